/**
 * aws-local-stepfunctions calls Promise.withResolvers (a Node 22 API); CurePath's local tooling
 * runs on Node 20 too. Import this module before loading it.
 */
type Resolvers<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// The local tooling runs on Node 20 (Lambda runs nodejs22.x): the SDK's one-line Node 20 notice
// would repeat in every npm start / test / bench output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
