/**
 * Runs a serverless function's real handler in-process, the way Lambda calls it: the event is a
 * JSON round-trip, the context has the usual fields, and a thrown error is reported with
 * errorType = error.name so Step Functions' ErrorEquals matches the domain error names.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedService } from './cfn';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './cfn';

export type Handler = (event: unknown, context: LambdaContext, callback?: (err: unknown, res?: unknown) => void) => unknown;
export type ModuleImporter = (absPath: string) => Promise<Record<string, unknown>>;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(err?: unknown, res?: unknown): void;
  fail(err: unknown): void;
  succeed(res: unknown): void;
}

/** What Lambda reports for a failed invocation; `name` is the errorType (ASL matches on it). */
export class LambdaFunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(errorType: string, errorMessage: string, trace: string[] = []) {
    // Same Cause string as AWS: the JSON error payload.
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.trace = trace;
  }
}

export interface LambdaRuntimeOptions {
  service: ResolvedService;
  serviceDir: string;
  stage: string;
  /** Resolved environment of a function (provider + function, plain strings, plus local endpoints). */
  functionEnv(name: string): Record<string, string>;
  /** How to load a TS/JS module; default dynamic import (works under tsx and @swc/jest). */
  importer?: ModuleImporter;
}

export interface LambdaRuntime {
  invoke(name: string, event: unknown): Promise<unknown>;
  loadHandler(name: string): Promise<Handler>;
  functionNames(): string[];
}

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** `functions/fetch.handler` → [<dir>/functions/fetch.ts, 'handler']. */
export function resolveHandlerPath(serviceDir: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`Bad handler "${handler}" (expected path/to/file.export)`);
  const base = resolve(serviceDir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  for (const ext of EXTENSIONS) if (existsSync(base + ext)) return { file: base + ext, exportName };
  if (existsSync(join(base, 'index.ts'))) return { file: join(base, 'index.ts'), exportName };
  throw new Error(`Handler file for "${handler}" not found (looked for ${base}{${EXTENSIONS.join(',')}})`);
}

const defaultImporter: ModuleImporter = async (absPath) => {
  // Under jest (CJS), import() is compiled to require(), which the transform handles; elsewhere a file URL.
  const spec = typeof require === 'function' && typeof jest !== 'undefined' ? absPath : pathToFileURL(absPath).href;
  return (await import(spec)) as Record<string, unknown>;
};
declare const jest: unknown;

export function createLambdaRuntime(opts: LambdaRuntimeOptions): LambdaRuntime {
  const importer = opts.importer ?? defaultImporter;
  const cache = new Map<string, Promise<Handler>>();
  const fn = (name: string) => {
    const f = opts.service.functions?.[name];
    if (!f) throw new Error(`Unknown function "${name}" (serverless functions: ${Object.keys(opts.service.functions ?? {}).join(', ')})`);
    return f;
  };

  function loadHandler(name: string): Promise<Handler> {
    let p = cache.get(name);
    if (!p) {
      p = (async () => {
        // Handlers read their configuration at module load (cold start): set the env first.
        Object.assign(process.env, opts.functionEnv(name));
        const { file, exportName } = resolveHandlerPath(opts.serviceDir, fn(name).handler);
        const mod = await importer(file);
        const h = (mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName]) as Handler | undefined;
        if (typeof h !== 'function') throw new Error(`${file} has no exported function "${exportName}"`);
        return h;
      })();
      p.catch(() => cache.delete(name));
      cache.set(name, p);
    }
    return p;
  }

  async function invoke(name: string, event: unknown): Promise<unknown> {
    const f = fn(name);
    const handler = await loadHandler(name);
    Object.assign(process.env, opts.functionEnv(name));
    const functionName = f.name ?? `${opts.service.service}-${opts.stage}-${name}`;
    const timeoutMs = (Number(f.timeout ?? opts.service.provider.timeout ?? 6) || 6) * 1000;
    const deadline = Date.now() + timeoutMs;
    const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
    return new Promise<unknown>((ok, ko) => {
      let settled = false;
      const done = (err: unknown, res?: unknown) => {
        if (settled) return;
        settled = true;
        if (err != null) ko(toLambdaError(err));
        else ok(res === undefined ? null : JSON.parse(JSON.stringify(res)));
      };
      const context: LambdaContext = {
        awsRequestId: randomUUID(),
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
        memoryLimitInMB: String(f.memorySize ?? opts.service.provider.memorySize ?? 1024),
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: `local/${randomUUID()}`,
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done,
        fail: (err) => done(err ?? new Error('failed')),
        succeed: (res) => done(null, res),
      };
      try {
        const r = handler(payload, context, done);
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then((v) => done(null, v), (e) => done(e ?? new Error('rejected')));
        else if (handler.length < 3) done(null, r);
      } catch (e) {
        done(e);
      }
    });
  }

  return { invoke, loadHandler, functionNames: () => Object.keys(opts.service.functions ?? {}) };
}

export function toLambdaError(err: unknown): LambdaFunctionError {
  if (err instanceof LambdaFunctionError) return err;
  if (err instanceof Error) {
    const trace = (err.stack ?? '').split('\n').slice(1).map((l) => l.trim());
    return new LambdaFunctionError(err.name || 'Error', err.message, trace);
  }
  return new LambdaFunctionError('Error', typeof err === 'string' ? err : JSON.stringify(err));
}
