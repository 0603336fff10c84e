/**
 * A small CloudFormation evaluator over the resolved `resources.Resources` of the service, so the
 * local stack uses the same definitions (and the same env intrinsics) as the cloud deployment.
 * Only what the service needs is supported; anything else fails loudly instead of guessing.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

export type CfnValue = unknown;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

export interface ResolvedFunction {
  handler: string;
  name?: string;
  environment?: Record<string, unknown>;
  timeout?: number;
  memorySize?: number;
  events?: unknown[];
  [k: string]: unknown;
}

export interface ResolvedStateMachine {
  name?: string;
  id?: string;
  definition: Record<string, unknown>;
  [k: string]: unknown;
}

/** The subset of the variable-resolved serverless service the local stack reads. */
export interface ResolvedService {
  service: string;
  provider: { name: string; region?: string; stage?: string; environment?: Record<string, unknown>; [k: string]: unknown };
  functions?: Record<string, ResolvedFunction>;
  stepFunctions?: { stateMachines?: Record<string, ResolvedStateMachine>; [k: string]: unknown };
  resources?: { Resources?: Record<string, CfnResource>; Conditions?: Record<string, unknown>; Outputs?: unknown };
  params?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

export class CfnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CfnError';
  }
}

export interface CfnPhysical {
  /** Value of `Ref`. */
  ref: string;
  /** Values of `Fn::GetAtt` by attribute name. */
  attrs: Record<string, string>;
}

export interface CfnContext {
  stage: string;
  region: string;
  accountId: string;
  stackName: string;
  /** logicalId → physical ids (Ref + GetAtt attributes); includes Lambda functions and state machines. */
  physical: Record<string, CfnPhysical>;
  resolve(value: CfnValue): unknown;
  condition(name: string): boolean;
  /** Resolved `Properties` of a resource. */
  properties(logicalId: string): Record<string, unknown>;
  /** provider.environment + functions.<name>.environment, resolved to plain strings. */
  functionEnv(name: string): Record<string, string>;
  /** logicalId → Ref value (physical name/ARN/URL). */
  refs(): Record<string, string>;
  /** Local placeholder ARN of a function (by serverless function name). */
  functionArn(name: string): string;
}

/** Serverless' logical-id normalisation of a function or state machine name. */
export function normalizeName(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return n.charAt(0).toUpperCase() + n.slice(1);
}

function str(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new CfnError(`${what}: expected a string, got ${JSON.stringify(v)}`);
}

interface Options {
  stage: string;
  region?: string;
  accountId?: string;
  /** Base of local queue URLs (the SQS emulator's endpoint); default http://localhost:4576. */
  sqsEndpoint?: string;
}

export function createCfnContext(service: ResolvedService, opts: Options): CfnContext {
  const region = opts.region ?? LOCAL_REGION;
  const accountId = opts.accountId ?? LOCAL_ACCOUNT_ID;
  const stage = opts.stage;
  const stackName = `${service.service}-${stage}`;
  const sqsBase = (opts.sqsEndpoint ?? 'http://localhost:4576').replace(/\/$/, '');
  const resources = service.resources?.Resources ?? {};
  const conditions = service.resources?.Conditions ?? {};
  const pseudo: Record<string, string> = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': '',
  };
  const physical: Record<string, CfnPhysical> = {};
  const condCache = new Map<string, boolean>();
  const resolving = new Set<string>();

  const functionName = (name: string): string => service.functions?.[name]?.name ?? `${service.service}-${stage}-${name}`;
  const functionArn = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${functionName(name)}`;

  for (const fn of Object.keys(service.functions ?? {})) {
    const arn = functionArn(fn);
    const p = { ref: functionName(fn), attrs: { Arn: arn } };
    physical[`${normalizeName(fn)}LambdaFunction`] = p;
    // serverless-step-functions accepts the bare function name in Fn::GetAtt.
    physical[fn] ??= p;
  }
  for (const [key, sm] of Object.entries(service.stepFunctions?.stateMachines ?? {})) {
    const name = sm.name ?? `${normalizeName(key)}StepFunctionsStateMachine-local`;
    const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
    const p = { ref: arn, attrs: { Arn: arn, Name: name } };
    physical[sm.id ?? `${normalizeName(key)}StepFunctionsStateMachine`] = p;
  }

  function physicalOf(logicalId: string): CfnPhysical {
    const known = physical[logicalId];
    if (known) return known;
    const res = resources[logicalId];
    if (!res) throw new CfnError(`Unknown resource "${logicalId}" (not in resources.Resources, functions or stepFunctions)`);
    if (resolving.has(logicalId)) throw new CfnError(`Circular reference through "${logicalId}"`);
    resolving.add(logicalId);
    try {
      const p = computePhysical(logicalId, res);
      physical[logicalId] = p;
      return p;
    } finally {
      resolving.delete(logicalId);
    }
  }

  function prop(res: CfnResource, key: string): string | undefined {
    const v = res.Properties?.[key];
    return v === undefined ? undefined : str(resolve(v), `${key}`);
  }

  /** Physical names follow CloudFormation: explicit name property, else a generated `<stack>-<logicalId>`. */
  function computePhysical(logicalId: string, res: CfnResource): CfnPhysical {
    const generated = `${stackName}-${logicalId}`.toLowerCase();
    switch (res.Type) {
      case 'AWS::DynamoDB::Table': {
        const name = prop(res, 'TableName') ?? generated;
        const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        return { ref: name, attrs: { Arn: arn, StreamArn: `${arn}/stream/1970-01-01T00:00:00.000` } };
      }
      case 'AWS::S3::Bucket': {
        const name = prop(res, 'BucketName') ?? generated;
        return {
          ref: name,
          attrs: {
            Arn: `arn:aws:s3:::${name}`,
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
          },
        };
      }
      case 'AWS::SQS::Queue': {
        const fifo = res.Properties?.FifoQueue === true || res.Properties?.FifoQueue === 'true';
        const name = prop(res, 'QueueName') ?? `${stackName}-${logicalId}${fifo ? '.fifo' : ''}`;
        // The local SQS's queue URL shape (it matches URLs on http://localhost:PORT/queues/<name>).
        const url = `${sqsBase}/queues/${name}`;
        return { ref: url, attrs: { Arn: `arn:aws:sqs:${region}:${accountId}:${name}`, QueueName: name, QueueUrl: url } };
      }
      case 'AWS::SNS::Topic': {
        const name = prop(res, 'TopicName') ?? `${stackName}-${logicalId}`;
        const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
        return { ref: arn, attrs: { TopicArn: arn, TopicName: name } };
      }
      case 'AWS::Kinesis::Stream': {
        const name = prop(res, 'Name') ?? `${stackName}-${logicalId}`;
        return { ref: name, attrs: { Arn: `arn:aws:kinesis:${region}:${accountId}:stream/${name}` } };
      }
      case 'AWS::KinesisFirehose::DeliveryStream': {
        const name = prop(res, 'DeliveryStreamName') ?? `${stackName}-${logicalId}`;
        return { ref: name, attrs: { Arn: `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}` } };
      }
      case 'AWS::KMS::Key': {
        const id = `00000000-0000-4000-8000-${hex12(logicalId)}`;
        return { ref: id, attrs: { Arn: `arn:aws:kms:${region}:${accountId}:key/${id}`, KeyId: id } };
      }
      case 'AWS::KMS::Alias': {
        const name = prop(res, 'AliasName') ?? `alias/${generated}`;
        return { ref: name, attrs: {} };
      }
      case 'AWS::IAM::Role': {
        const name = prop(res, 'RoleName') ?? `${stackName}-${logicalId}`;
        return { ref: name, attrs: { Arn: `arn:aws:iam::${accountId}:role/${name}`, RoleId: `AROA${hex12(logicalId).toUpperCase()}` } };
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = prop(res, 'ManagedPolicyName') ?? `${stackName}-${logicalId}`;
        const arn = `arn:aws:iam::${accountId}:policy/${name}`;
        return { ref: arn, attrs: { PolicyArn: arn } };
      }
      case 'AWS::Logs::LogGroup': {
        const name = prop(res, 'LogGroupName') ?? `/${stackName}/${logicalId}`;
        return { ref: name, attrs: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` } };
      }
      case 'AWS::Events::Rule': {
        const name = prop(res, 'Name') ?? `${stackName}-${logicalId}`;
        return { ref: name, attrs: { Arn: `arn:aws:events:${region}:${accountId}:rule/${name}` } };
      }
      case 'AWS::SageMaker::Endpoint': {
        const name = prop(res, 'EndpointName') ?? `${stackName}-${logicalId}`;
        return { ref: `arn:aws:sagemaker:${region}:${accountId}:endpoint/${name}`, attrs: { EndpointName: name } };
      }
      default:
        return { ref: generated, attrs: { Arn: `arn:aws:local:${region}:${accountId}:${logicalId}` } };
    }
  }

  function condition(name: string): boolean {
    const cached = condCache.get(name);
    if (cached !== undefined) return cached;
    if (!(name in conditions)) throw new CfnError(`Unknown condition "${name}"`);
    const v = resolve(conditions[name]);
    if (typeof v !== 'boolean') throw new CfnError(`Condition "${name}" did not evaluate to a boolean`);
    condCache.set(name, v);
    return v;
  }

  function ref(name: string): string {
    if (name in pseudo) return pseudo[name]!;
    return physicalOf(name).ref;
  }

  function getAtt(logicalId: string, attr: string): string {
    const p = physicalOf(logicalId);
    const v = p.attrs[attr];
    if (v === undefined) throw new CfnError(`Fn::GetAtt ${logicalId}.${attr}: attribute not supported locally`);
    return v;
  }

  function sub(template: string, vars: Record<string, unknown>): string {
    return template.replace(/\$\{(!?)([^}]+)\}/g, (whole, bang: string, expr: string) => {
      if (bang) return `\${${expr}}`; // ${!Literal} escapes
      const key = expr.trim();
      if (key in vars) return str(resolve(vars[key]), `Fn::Sub variable ${key}`);
      if (key in pseudo) return pseudo[key]!;
      const dot = key.indexOf('.');
      if (dot > 0) return getAtt(key.slice(0, dot), key.slice(dot + 1));
      return ref(key);
    });
  }

  function resolve(value: CfnValue): unknown {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const k = keys[0]!;
      const arg = obj[k];
      if (k === 'Ref') return ref(str(arg, 'Ref'));
      if (k === 'Condition') return condition(str(arg, 'Condition'));
      if (k.startsWith('Fn::')) return intrinsic(k, arg);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = resolve(obj[k]);
    return out;
  }

  function intrinsic(fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Fn::Sub': {
        if (typeof arg === 'string') return sub(arg, {});
        if (Array.isArray(arg) && typeof arg[0] === 'string') return sub(arg[0], (arg[1] ?? {}) as Record<string, unknown>);
        throw new CfnError(`Fn::Sub: bad argument ${JSON.stringify(arg)}`);
      }
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? arg.split('.') : (resolve(arg) as unknown[]);
        if (!Array.isArray(parts) || parts.length < 2) throw new CfnError(`Fn::GetAtt: bad argument ${JSON.stringify(arg)}`);
        return getAtt(str(parts[0], 'Fn::GetAtt'), parts.slice(1).map((p) => str(p, 'Fn::GetAtt')).join('.'));
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnError('Fn::Join: expected [delimiter, [values]]');
        const list = resolve(arg[1]);
        if (!Array.isArray(list)) throw new CfnError('Fn::Join: second argument must be a list');
        return list.map((v) => str(v, 'Fn::Join item')).join(str(arg[0], 'Fn::Join delimiter'));
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnError('Fn::Select: expected [index, [values]]');
        const idx = Number(resolve(arg[0]));
        const list = resolve(arg[1]);
        if (!Array.isArray(list) || !Number.isInteger(idx) || idx < 0 || idx >= list.length) {
          throw new CfnError(`Fn::Select: index ${idx} out of range`);
        }
        return list[idx];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnError('Fn::Split: expected [delimiter, string]');
        return str(resolve(arg[1]), 'Fn::Split').split(str(arg[0], 'Fn::Split delimiter'));
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) throw new CfnError('Fn::If: expected [condition, then, else]');
        return condition(str(arg[0], 'Fn::If condition')) ? resolve(arg[1]) : resolve(arg[2]);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new CfnError('Fn::Equals: expected two values');
        return JSON.stringify(resolve(arg[0])) === JSON.stringify(resolve(arg[1]));
      }
      case 'Fn::Not': {
        if (!Array.isArray(arg) || arg.length !== 1) throw new CfnError('Fn::Not: expected one condition');
        return !bool(arg[0]);
      }
      case 'Fn::And':
        if (!Array.isArray(arg) || arg.length < 2) throw new CfnError('Fn::And: expected 2..10 conditions');
        return arg.every(bool);
      case 'Fn::Or':
        if (!Array.isArray(arg) || arg.length < 2) throw new CfnError('Fn::Or: expected 2..10 conditions');
        return arg.some(bool);
      case 'Fn::GetAZs':
        return [`${region}a`, `${region}b`, `${region}c`];
      case 'Fn::Base64':
        return Buffer.from(str(resolve(arg), 'Fn::Base64')).toString('base64');
      default:
        throw new CfnError(`Unsupported intrinsic function ${fn} in the local stack`);
    }
  }

  function bool(v: unknown): boolean {
    const r = resolve(v);
    if (typeof r !== 'boolean') throw new CfnError(`Expected a condition, got ${JSON.stringify(v)}`);
    return r;
  }

  function properties(logicalId: string): Record<string, unknown> {
    const res = resources[logicalId];
    if (!res) throw new CfnError(`Unknown resource "${logicalId}"`);
    return (resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
  }

  function functionEnv(name: string): Record<string, string> {
    const fn = service.functions?.[name];
    if (!fn) throw new CfnError(`Unknown function "${name}"`);
    const merged = { ...(service.provider.environment ?? {}), ...(fn.environment ?? {}) };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) {
      if (v === undefined || v === null) continue;
      out[k] = str(resolve(v), `environment ${name}.${k}`);
    }
    return out;
  }

  function refs(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const id of Object.keys(resources)) out[id] = physicalOf(id).ref;
    for (const [id, p] of Object.entries(physical)) out[id] ??= p.ref;
    return out;
  }

  return { stage, region, accountId, stackName, physical, resolve, condition, properties, functionEnv, refs, functionArn };
}

function hex12(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, '0') + '0000').slice(0, 12);
}
