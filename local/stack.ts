/**
 * The embedded local stack: emulators in child processes, the resources of serverless.yml +
 * resources/ created in them, local SageMaker/SNS/Firehose/Step Functions endpoints, and the real
 * handlers run in-process. Cloud and local share one definition.
 */
import './polyfills';
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve, sep } from 'node:path';
import { createCfnContext, LOCAL_ACCOUNT_ID, LOCAL_REGION, type CfnContext, type ResolvedService } from './cfn';
import { loadService } from './service-config';
import { createLambdaRuntime, type ModuleImporter } from './lambda-runtime';
import { runStateMachine, type AslEvent, type ExecutionResult } from './asl-runner';
import { startSfnEndpoint, type SfnEndpoint } from './endpoints/sfn';
import { startEventSources, type EventSources, type EventSourcesOptions } from './event-sources';
import { localClientOverrides, LOCAL_ENDPOINT_VARS, type LocalService } from '../src/adapters/local-overrides';
// Static: the plugin loads this file with tsx's CJS require, where a dynamic import() of an
// extensionless project path does not resolve.
import { batchPut } from '../src/adapters/dynamo-batch';
import { resolveChannelTargets, startChannels, type ChannelSimulator, type ChannelsOptions, type LocalChannels } from './channels';

export type EmulatorName = 'dynamodb' | 's3' | 'kinesis' | 'sqs' | 'sns' | 'firehose' | 'sagemaker';

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  kinesis: string;
  sqs: string;
  sns: string;
  firehose: string;
  sagemakerRuntime: string;
  sfn: string;
  /** SES v2 and End User Messaging SMS stand-ins (one in-process endpoint: local/channels). */
  sesv2: string;
  smsVoiceV2: string;
}

export interface StartLocalStackOptions {
  stage?: string;
  /** Default `<serviceDir>/.local/<stage>`. */
  dataDir?: string;
  /** DynamoDB, Kinesis (and SQS, always) in memory; S3 in a scratch folder removed on stop. */
  inMemory?: boolean;
  log?: (line: string) => void;
  /** Folder with serverless.yml; default the repository root this file lives in. */
  serviceDir?: string;
  /** Already-resolved service (the Serverless plugin passes its own). */
  service?: ResolvedService;
  /** How handlers are loaded (the CJS plugin passes tsx's tsImport). */
  importer?: ModuleImporter;
  /** Retry waits of executions started through the local SFN endpoint. */
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  /** Progress of executions started through the local SFN endpoint. */
  onExecutionEvent?: (executionArn: string, e: AslEvent) => void;
  /** Payload limit of the local SageMaker endpoint (default 6 MB, the service limit). */
  sageMakerMaxPayloadBytes?: number;
  /** Default `<serviceDir>/model/propensity-xgb.json`. */
  modelPath?: string;
  /** Variables that replace the resolved ones in every function (e.g. MODEL_BACKEND, CHUNK_SIZE for a run). */
  envOverrides?: Record<string, string>;
  /** Do not reuse the emulators of another live stack on the same data dir. */
  noReuse?: boolean;
  /**
   * Poll the SQS queues and Kinesis streams of `functions.<fn>.events` and invoke the handlers like
   * Lambda's event source mappings (local/event-sources.ts). Off by default.
   */
  eventSources?: boolean | EventSourcesOptions;
  /** Seed, behaviour rates, clock and ground-truth profiles of the SES/SMS stand-ins (local/channels). */
  channels?: Omit<ChannelsOptions, 'dataDir' | 'clientConfig'>;
}

export interface LocalStack {
  stage: string;
  dataDir: string;
  serviceDir: string;
  inMemory: boolean;
  /** true when this process started the emulators (false: reused another live stack's). */
  owner: boolean;
  endpoints: LocalEndpoints;
  /** Endpoint vars, CUREPATH_LOCAL=1, dummy credentials, plus every function's resolved environment. */
  env: Record<string, string>;
  service: ResolvedService;
  cfn: CfnContext;
  /** logicalId → physical name / ARN / URL (the Ref value). */
  resources: Record<string, string>;
  /** What startup did per resource: created, existing or skipped (no local meaning). */
  report: { logicalId: string; type: string; physical: string; outcome: 'created' | 'existing' | 'skipped' }[];
  functionEnv(name: string): Record<string, string>;
  stateMachineDefinition(name: string): Record<string, unknown>;
  stateMachineArn(name: string): string;
  functionForArn(arn: string): string | undefined;
  /** Invokes a function's real handler in-process, like Lambda. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Runs a state machine to completion in-process. */
  runStateMachine(
    name: string,
    input?: unknown,
    opts?: { onEvent?: (e: AslEvent) => void; retryIntervalOverrides?: number | Record<string, number | number[]>; executionName?: string },
  ): Promise<ExecutionResult>;
  /** SDK client settings for this stack's emulator of `service`. */
  clientConfig(service: LocalService): Record<string, unknown>;
  sfn: SfnEndpoint;
  /** The running event source mappings when started with `eventSources`; stop() stops them. */
  eventSources?: EventSources;
  /** The SES/SMS stand-ins: clock, flush(until), payments(), promises() (docs/local-stack.md). */
  channels: ChannelSimulator;
  /** pids of the emulator processes this stack started. */
  pids: number[];
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..');
const HOST_SCRIPT = join(__dirname, 'emulators', 'host.cjs');
const SAGEMAKER_SCRIPT = join(__dirname, 'emulators', 'sagemaker.ts');
const LOCK_FILE = 'stack.json';
const START_MUTEX = '.starting';

/** Types that exist in CloudFormation but have nothing to emulate locally. */
const SKIPPED_PREFIXES = ['AWS::IAM::', 'AWS::KMS::', 'AWS::Logs::', 'AWS::CloudWatch::', 'AWS::Events::', 'AWS::Scheduler::', 'AWS::Lambda::', 'AWS::ApiGateway', 'AWS::SSM::', 'AWS::SageMaker::', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::Subscription', 'AWS::StepFunctions::', 'AWS::Glue::', 'AWS::Athena::', 'AWS::CloudFormation::', 'AWS::Budgets::', 'AWS::Backup::'];

interface LockInfo {
  pid: number;
  endpoints: Omit<LocalEndpoints, 'sfn' | 'sesv2' | 'smsVoiceV2'>;
  inMemory: boolean;
  startedAt: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOpen(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((ok) => {
    const sock = connect({ host: u.hostname, port: Number(u.port) });
    const done = (v: boolean) => {
      sock.destroy();
      ok(v);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Serialises stack startups on one data dir across processes (stale holders are detected by pid). */
async function withStartMutex<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const file = join(dataDir, START_MUTEX);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSafe(file));
      if (!holder || !pidAlive(holder) || holder === process.pid) {
        // Stale (crashed holder) or our own leftover: take it over.
        if (holder && holder !== process.pid && pidAlive(holder)) continue;
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for process ${holder} to finish starting the local stack in ${dataDir}`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function liveLock(dataDir: string, inMemory: boolean): Promise<LockInfo | undefined> {
  const raw = readFileSafe(join(dataDir, LOCK_FILE));
  if (!raw) return undefined;
  let lock: LockInfo;
  try {
    lock = JSON.parse(raw) as LockInfo;
  } catch {
    return undefined;
  }
  if (!pidAlive(lock.pid) || lock.inMemory !== inMemory) return undefined;
  const checks = await Promise.all(Object.values(lock.endpoints).map((u) => portOpen(u)));
  return checks.every(Boolean) ? lock : undefined;
}

interface Emulator {
  name: EmulatorName;
  child: ChildProcess;
  port: number;
}

/**
 * Node flags per emulator process. dynalite keeps tables in persistent (copy-on-write) red-black
 * trees that allocate on every write: with V8's default young generation, garbage collection was
 * 16 % of its CPU in a 200,000-account run; a 64 MB semi-space halves that (profiled with
 * --cpu-prof; its CPU per account fell 9–22 %, `npm run bench`).
 */
const EMULATOR_NODE_FLAGS: Partial<Record<EmulatorName, string[]>> = {
  dynamodb: ['--max-semi-space-size=64'],
};

function startEmulator(name: EmulatorName, options: Record<string, unknown>, log: (l: string) => void): Promise<Emulator> {
  const isTs = name === 'sagemaker';
  const child = fork(isTs ? SAGEMAKER_SCRIPT : HOST_SCRIPT, isTs ? [] : [name], {
    cwd: REPO_ROOT,
    env: { ...process.env, CUREPATH_EMULATOR_OPTS: JSON.stringify(options), NODE_OPTIONS: '' },
    execArgv: isTs ? ['--import', 'tsx'] : (EMULATOR_NODE_FLAGS[name] ?? []),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return new Promise((ok, ko) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      ko(new Error(`emulator ${name} did not start within 30 s\n${stderr}`));
    }, 30_000);
    child.on('message', (m: { type: string; port?: number; message?: string }) => {
      if (m.type === 'ready' && m.port) {
        clearTimeout(timer);
        // Let the stack's stdin/exit not wait on the emulator's IPC channel.
        child.unref();
        (child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
        (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
        log(`emulator ${name} on port ${m.port} (pid ${child.pid})`);
        ok({ name, child, port: m.port });
      } else if (m.type === 'error') {
        clearTimeout(timer);
        ko(new Error(`emulator ${name} failed: ${m.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      ko(new Error(`emulator ${name} exited with code ${code}\n${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Deep-resolve intrinsics of a state machine definition: Task Resources become placeholder ARNs. */
function resolveDefinition(cfn: CfnContext, definition: unknown): Record<string, unknown> {
  return cfn.resolve(JSON.parse(JSON.stringify(definition))) as Record<string, unknown>;
}

export async function startLocalStack(opts: StartLocalStackOptions = {}): Promise<LocalStack> {
  const t0 = Date.now();
  const stage = opts.stage ?? 'dev';
  const serviceDir = resolve(opts.serviceDir ?? REPO_ROOT);
  const dataDir = resolve(opts.dataDir ?? join(serviceDir, '.local', stage));
  const inMemory = opts.inMemory ?? false;
  const log = opts.log ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });

  const servicePromise = opts.service ? Promise.resolve(opts.service) : loadService(stage, { serviceDir, log });
  const children: Emulator[] = [];
  let owner = false;
  let scratchS3: string | undefined;

  let emuEndpoints: Omit<LocalEndpoints, 'sfn' | 'sesv2' | 'smsVoiceV2'>;
  const service = await withStartMutex(dataDir, async () => {
    const lock = opts.noReuse ? undefined : await liveLock(dataDir, inMemory);
    if (lock) {
      emuEndpoints = lock.endpoints;
      log(`reusing the local stack of process ${lock.pid} (started ${lock.startedAt})`);
    } else {
      owner = true;
      scratchS3 = inMemory ? join(dataDir, `s3-mem-${process.pid}`) : undefined;
      const common = { dataDir, inMemory, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID };
      const specs: [EmulatorName, Record<string, unknown>][] = [
        ['dynamodb', { ...common, path: inMemory ? undefined : join(dataDir, 'dynamodb') }],
        ['s3', { ...common, path: scratchS3 ?? join(dataDir, 's3') }],
        ['kinesis', { ...common, path: inMemory ? undefined : join(dataDir, 'kinesis') }],
        ['sqs', common],
        ['sns', common],
        ['firehose', common],
        [
          'sagemaker',
          {
            modelPath: opts.modelPath ?? join(serviceDir, 'model', 'propensity-xgb.json'),
            srcDir: join(REPO_ROOT, 'src'),
            ...(opts.sageMakerMaxPayloadBytes ? { maxPayloadBytes: opts.sageMakerMaxPayloadBytes } : {}),
          },
        ],
      ];
      // The local Firehose delivers to S3, so it starts once the S3 emulator's port is known.
      const s3Started = startEmulator('s3', specs.find(([n]) => n === 's3')![1], log);
      const started = await Promise.allSettled(
        specs.map(([n, o]) =>
          n === 's3'
            ? s3Started
            : n === 'firehose'
              ? s3Started.then((s3) => startEmulator(n, { ...o, s3Endpoint: `http://127.0.0.1:${s3.port}` }, log))
              : startEmulator(n, o, log),
        ),
      );
      for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
      const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        await Promise.all(children.map((c) => stopChild(c.child)));
        throw failed.reason;
      }
      const port = (n: EmulatorName) => children.find((c) => c.name === n)!.port;
      emuEndpoints = {
        dynamodb: `http://127.0.0.1:${port('dynamodb')}`,
        s3: `http://127.0.0.1:${port('s3')}`,
        kinesis: `http://127.0.0.1:${port('kinesis')}`,
        sqs: `http://localhost:${port('sqs')}`,
        sns: `http://127.0.0.1:${port('sns')}`,
        firehose: `http://127.0.0.1:${port('firehose')}`,
        sagemakerRuntime: `http://127.0.0.1:${port('sagemaker')}`,
      };
      const info: LockInfo = { pid: process.pid, endpoints: emuEndpoints, inMemory, startedAt: new Date().toISOString() };
      const tmp = join(dataDir, `${LOCK_FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(info, null, 2));
      renameSync(tmp, join(dataDir, LOCK_FILE));
    }
    const svc = await servicePromise;
    return svc;
  }).catch(async (e: unknown) => {
    await Promise.all(children.map((c) => stopChild(c.child)));
    throw e;
  });

  let sfn: SfnEndpoint | undefined;
  let channels: LocalChannels | undefined;
  const exitHook = () => {
    for (const c of children) c.child.kill('SIGKILL');
  };
  process.once('exit', exitHook);

  try {
    const cfn = createCfnContext(service, { stage, sqsEndpoint: emuEndpoints!.sqs });
    const resources = cfn.refs();
    const stateMachineKeys = Object.keys(service.stepFunctions?.stateMachines ?? {});
    const smArn = (key: string) => {
      const sm = service.stepFunctions?.stateMachines?.[key];
      if (!sm) throw new Error(`Unknown state machine "${key}" (have: ${stateMachineKeys.join(', ')})`);
      const logicalId = sm.id ?? `${key.charAt(0).toUpperCase()}${key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}StepFunctionsStateMachine`;
      return cfn.physical[logicalId]!.attrs.Arn!;
    };

    // The sfn endpoint port is needed in env before handlers load, so start it first.
    const fnByArn = new Map(Object.keys(service.functions ?? {}).map((f) => [cfn.functionArn(f), f]));
    const baseEnv: Record<string, string> = {
      CUREPATH_LOCAL: '1',
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ACCOUNT_ID: LOCAL_ACCOUNT_ID,
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    };
    const functionEnv = (name: string): Record<string, string> => ({ ...baseEnv, ...cfn.functionEnv(name), ...opts.envOverrides });
    const definitions = new Map<string, Record<string, unknown>>();
    const stateMachineDefinition = (key: string) => {
      let d = definitions.get(key);
      if (!d) {
        const sm = service.stepFunctions?.stateMachines?.[key];
        if (!sm) throw new Error(`Unknown state machine "${key}" (have: ${stateMachineKeys.join(', ')})`);
        d = resolveDefinition(cfn, sm.definition);
        definitions.set(key, d);
      }
      return JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    };

    let runtime: ReturnType<typeof createLambdaRuntime> | undefined;
    const aslStack = {
      stateMachineDefinition,
      stateMachineArn: smArn,
      functionForArn: (arn: string) => fnByArn.get(arn) ?? (service.functions?.[arn] ? arn : undefined),
      invoke: (fn: string, event: unknown) => runtime!.invoke(fn, event),
    };
    sfn = await startSfnEndpoint({
      stack: aslStack,
      stateMachines: Object.fromEntries(stateMachineKeys.map((k) => [k, smArn(k)])),
      log,
      ...(opts.retryIntervalOverrides !== undefined ? { retryIntervalOverrides: opts.retryIntervalOverrides } : {}),
      ...(opts.onExecutionEvent ? { onEvent: opts.onExecutionEvent } : {}),
    });
    channels = await startChannels({
      ...opts.channels,
      dataDir,
      log,
      clientConfig: (svc) => localClientOverrides(svc, baseEnv),
      targets: { ...resolveChannelTargets(service, cfn), ...opts.channels?.targets },
    });
    const endpoints: LocalEndpoints = { ...emuEndpoints!, sfn: sfn.url, sesv2: channels.url, smsVoiceV2: channels.url };
    const endpointEnv: Record<string, string> = {
      [LOCAL_ENDPOINT_VARS.dynamodb]: endpoints.dynamodb,
      [LOCAL_ENDPOINT_VARS.s3]: endpoints.s3,
      [LOCAL_ENDPOINT_VARS.sqs]: endpoints.sqs,
      [LOCAL_ENDPOINT_VARS.kinesis]: endpoints.kinesis,
      [LOCAL_ENDPOINT_VARS.sns]: endpoints.sns,
      [LOCAL_ENDPOINT_VARS.sfn]: endpoints.sfn,
      [LOCAL_ENDPOINT_VARS['sagemaker-runtime']]: endpoints.sagemakerRuntime,
      [LOCAL_ENDPOINT_VARS.firehose]: endpoints.firehose,
      [LOCAL_ENDPOINT_VARS.sesv2]: endpoints.sesv2,
      [LOCAL_ENDPOINT_VARS['pinpoint-sms-voice-v2']]: endpoints.smsVoiceV2,
    };
    Object.assign(baseEnv, endpointEnv);
    const env: Record<string, string> = { ...baseEnv };
    for (const f of Object.keys(service.functions ?? {})) Object.assign(env, cfn.functionEnv(f));
    Object.assign(env, opts.envOverrides);
    Object.assign(env, baseEnv);

    runtime = createLambdaRuntime({ service, serviceDir, stage, functionEnv, ...(opts.importer ? { importer: opts.importer } : {}) });
    const clientConfig = (svc: LocalService) => localClientOverrides(svc, baseEnv);

    const report = await createResources(service, cfn, clientConfig, log);
    const created = report.filter((r) => r.outcome === 'created').length;
    const existing = report.filter((r) => r.outcome === 'existing').length;
    log(`local stack ${stage} ready in ${Date.now() - t0} ms: ${created} created, ${existing} already there, ${report.length - created - existing} skipped (data: ${dataDir})`);

    let stopped = false;
    const stack: LocalStack = {
      stage,
      dataDir,
      serviceDir,
      inMemory,
      owner,
      endpoints,
      env,
      service,
      cfn,
      resources,
      report,
      functionEnv,
      stateMachineDefinition,
      stateMachineArn: smArn,
      functionForArn: aslStack.functionForArn,
      invoke: (fn, event) => runtime!.invoke(fn, event),
      runStateMachine: (name, input, o = {}) =>
        runStateMachine({
          stack: aslStack,
          stateMachine: name,
          input,
          ...(o.onEvent ? { onEvent: o.onEvent } : {}),
          ...(o.executionName ? { executionName: o.executionName } : {}),
          ...((o.retryIntervalOverrides ?? opts.retryIntervalOverrides) !== undefined
            ? { retryIntervalOverrides: o.retryIntervalOverrides ?? opts.retryIntervalOverrides! }
            : {}),
        }),
      clientConfig,
      sfn,
      channels: channels.simulator,
      pids: children.map((c) => c.child.pid!).filter(Boolean),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', exitHook);
        await stack.eventSources?.stop();
        await sfn!.close();
        await channels!.close();
        if (owner) {
          await Promise.all(children.map((c) => stopChild(c.child)));
          const lock = readFileSafe(join(dataDir, LOCK_FILE));
          if (lock && (JSON.parse(lock) as LockInfo).pid === process.pid) rmSync(join(dataDir, LOCK_FILE), { force: true });
          if (scratchS3) rmSync(scratchS3, { recursive: true, force: true });
        }
        log(`local stack ${stage} stopped`);
      },
    };
    if (opts.eventSources) {
      const esOpts = opts.eventSources === true ? {} : opts.eventSources;
      try {
        stack.eventSources = await startEventSources(stack, { log, ...esOpts });
      } catch (e) {
        await stack.stop();
        throw e;
      }
    }
    return stack;
  } catch (e) {
    await sfn?.close().catch(() => undefined);
    await channels?.close().catch(() => undefined);
    process.removeListener('exit', exitHook);
    await Promise.all(children.map((c) => stopChild(c.child)));
    if (owner) rmSync(join(dataDir, LOCK_FILE), { force: true });
    if (scratchS3) rmSync(scratchS3, { recursive: true, force: true });
    throw e;
  }
}

type Report = LocalStack['report'];

/** Creates every resource the emulators can hold; idempotent (a second start keeps what is there). */
async function createResources(
  service: ResolvedService,
  cfn: CfnContext,
  clientConfig: (s: LocalService) => Record<string, unknown>,
  log: (l: string) => void,
): Promise<Report> {
  const all = Object.entries(service.resources?.Resources ?? {});
  const report: Report = [];
  const active = all.filter(([, r]) => !r.Condition || cfn.condition(r.Condition));
  const types = new Set(active.map(([, r]) => r.Type));
  const need = (t: string) => types.has(t);

  // SDK clients are loaded only for what the service declares (each costs ~100 ms to load).
  const [ddb, s3, sqs, kinesis, sns, firehose] = await Promise.all([
    need('AWS::DynamoDB::Table') ? import('@aws-sdk/client-dynamodb') : undefined,
    need('AWS::S3::Bucket') ? import('@aws-sdk/client-s3') : undefined,
    need('AWS::SQS::Queue') ? import('@aws-sdk/client-sqs') : undefined,
    need('AWS::Kinesis::Stream') ? import('@aws-sdk/client-kinesis') : undefined,
    need('AWS::SNS::Topic') ? import('@aws-sdk/client-sns') : undefined,
    need('AWS::KinesisFirehose::DeliveryStream') ? import('@aws-sdk/client-firehose') : undefined,
  ]);
  const ddbClient = ddb && new ddb.DynamoDBClient(clientConfig('dynamodb'));
  const s3Client = s3 && new s3.S3Client(clientConfig('s3'));
  const sqsClient = sqs && new sqs.SQSClient(clientConfig('sqs'));
  const kinesisClient = kinesis && new kinesis.KinesisClient(clientConfig('kinesis'));
  const snsClient = sns && new sns.SNSClient(clientConfig('sns'));
  const firehoseClient = firehose && new firehose.FirehoseClient(clientConfig('firehose'));

  const record = (logicalId: string, type: string, outcome: Report[number]['outcome']) => {
    const physical = cfn.physical[logicalId]?.ref ?? '';
    report.push({ logicalId, type, physical, outcome });
    if (outcome !== 'skipped') log(`${outcome === 'created' ? 'created ' : 'exists  '} ${type} ${logicalId} → ${physical}`);
  };

  const tables = async (id: string) => {
    const p = cfn.properties(id) as Record<string, any>;
    const TableName = cfn.physical[id]!.ref;
    const provisioned = p.BillingMode !== 'PAY_PER_REQUEST';
    const throughput = (t: any) => (provisioned ? { ProvisionedThroughput: t ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {});
    try {
      await ddbClient!.send(new ddb!.DescribeTableCommand({ TableName }));
      return record(id, 'AWS::DynamoDB::Table', 'existing');
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    try {
      await ddbClient!.send(
        new ddb!.CreateTableCommand({
          TableName,
          AttributeDefinitions: p.AttributeDefinitions,
          KeySchema: p.KeySchema,
          BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
          ...throughput(p.ProvisionedThroughput),
          ...(p.GlobalSecondaryIndexes?.length
            ? {
                GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map((g: any) => ({
                  IndexName: g.IndexName,
                  KeySchema: g.KeySchema,
                  Projection: g.Projection,
                  ...throughput(g.ProvisionedThroughput),
                })),
              }
            : {}),
          ...(p.LocalSecondaryIndexes?.length
            ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes.map((l: any) => ({ IndexName: l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection })) }
            : {}),
        }),
      );
      record(id, 'AWS::DynamoDB::Table', 'created');
    } catch (e) {
      if ((e as Error).name === 'ResourceInUseException') return record(id, 'AWS::DynamoDB::Table', 'existing');
      throw new Error(`CreateTable ${TableName} (${id}) failed: ${(e as Error).message}`);
    }
  };

  const buckets = async (id: string) => {
    const Bucket = cfn.physical[id]!.ref;
    try {
      await s3Client!.send(new s3!.HeadBucketCommand({ Bucket }));
      return record(id, 'AWS::S3::Bucket', 'existing');
    } catch {
      /* not there */
    }
    try {
      await s3Client!.send(new s3!.CreateBucketCommand({ Bucket }));
      record(id, 'AWS::S3::Bucket', 'created');
    } catch (e) {
      if (/BucketAlready/.test((e as Error).name)) return record(id, 'AWS::S3::Bucket', 'existing');
      throw new Error(`CreateBucket ${Bucket} (${id}) failed: ${(e as Error).message}`);
    }
  };

  const queues = async (id: string) => {
    const p = cfn.properties(id) as Record<string, any>;
    const QueueName = cfn.physical[id]!.attrs.QueueName!;
    try {
      await sqsClient!.send(new sqs!.GetQueueUrlCommand({ QueueName }));
      return record(id, 'AWS::SQS::Queue', 'existing');
    } catch {
      /* not there */
    }
    const attrs: Record<string, string> = {};
    for (const k of ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'FifoQueue', 'ContentBasedDeduplication']) {
      if (p[k] !== undefined) attrs[k] = String(p[k]);
    }
    if (p.RedrivePolicy) {
      const policy = (typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : { ...p.RedrivePolicy }) as Record<string, unknown>;
      // Point at the DLQ by the ARN the local SQS reports for it (it need not match the template's).
      const dlqName = String(policy.deadLetterTargetArn ?? '').split(':').pop()!;
      const { QueueUrl } = await sqsClient!.send(new sqs!.GetQueueUrlCommand({ QueueName: dlqName }));
      const a = await sqsClient!.send(new sqs!.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      policy.deadLetterTargetArn = a.Attributes?.QueueArn ?? policy.deadLetterTargetArn;
      policy.maxReceiveCount = String(policy.maxReceiveCount ?? 3);
      attrs.RedrivePolicy = JSON.stringify(policy);
    }
    await sqsClient!.send(new sqs!.CreateQueueCommand({ QueueName, ...(Object.keys(attrs).length ? { Attributes: attrs } : {}) }));
    record(id, 'AWS::SQS::Queue', 'created');
  };

  const streams = async (id: string) => {
    const p = cfn.properties(id) as Record<string, any>;
    const StreamName = cfn.physical[id]!.ref;
    // kinesalite refuses ON_DEMAND: one shard stands in for it.
    const ShardCount = p.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 1 : Number(p.ShardCount ?? 1);
    try {
      await kinesisClient!.send(new kinesis!.CreateStreamCommand({ StreamName, ShardCount }));
      record(id, 'AWS::Kinesis::Stream', 'created');
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw new Error(`CreateStream ${StreamName} (${id}) failed: ${(e as Error).message}`);
      record(id, 'AWS::Kinesis::Stream', 'existing');
    }
    for (let i = 0; i < 100; i++) {
      const d = await kinesisClient!.send(new kinesis!.DescribeStreamSummaryCommand({ StreamName }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      await sleep(20);
    }
  };

  const topics = async (id: string, existing: Set<string>) => {
    const arn = cfn.physical[id]!.ref;
    if (existing.has(arn)) return record(id, 'AWS::SNS::Topic', 'existing');
    await snsClient!.send(new sns!.CreateTopicCommand({ Name: cfn.physical[id]!.attrs.TopicName! }));
    record(id, 'AWS::SNS::Topic', 'created');
  };

  const deliveryStreams = async (id: string) => {
    const p = cfn.properties(id) as Record<string, any>;
    const DeliveryStreamName = cfn.physical[id]!.ref;
    // Only the S3 destination matters locally (bucket, prefix, compression); KMS, roles and buffering do not.
    const dest = p.ExtendedS3DestinationConfiguration ?? p.S3DestinationConfiguration;
    if (!dest) return record(id, 'AWS::KinesisFirehose::DeliveryStream', 'skipped');
    const destination = {
      BucketARN: dest.BucketARN,
      RoleARN: dest.RoleARN,
      ...(dest.Prefix !== undefined ? { Prefix: dest.Prefix } : {}),
      ...(dest.ErrorOutputPrefix !== undefined ? { ErrorOutputPrefix: dest.ErrorOutputPrefix } : {}),
      ...(dest.CompressionFormat !== undefined ? { CompressionFormat: dest.CompressionFormat } : {}),
      // Dynamic partitioning (!{partitionKeyFromQuery:…} prefixes): the emulator evaluates the JQ extraction.
      ...(dest.DynamicPartitioningConfiguration !== undefined ? { DynamicPartitioningConfiguration: dest.DynamicPartitioningConfiguration } : {}),
      ...(dest.ProcessingConfiguration !== undefined ? { ProcessingConfiguration: dest.ProcessingConfiguration } : {}),
    };
    try {
      await firehoseClient!.send(
        new firehose!.CreateDeliveryStreamCommand({
          DeliveryStreamName,
          DeliveryStreamType: 'DirectPut',
          ...(p.ExtendedS3DestinationConfiguration ? { ExtendedS3DestinationConfiguration: destination } : { S3DestinationConfiguration: destination }),
        }),
      );
      record(id, 'AWS::KinesisFirehose::DeliveryStream', 'created');
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw new Error(`CreateDeliveryStream ${DeliveryStreamName} (${id}) failed: ${(e as Error).message}`);
      record(id, 'AWS::KinesisFirehose::DeliveryStream', 'existing');
    }
  };

  try {
    const existingTopics = snsClient
      ? new Set(((await snsClient.send(new sns!.ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn ?? ''))
      : new Set<string>();
    // Queues with a RedrivePolicy after their dead-letter queues.
    const ordered = [...active].sort(([, a], [, b]) => Number(Boolean(a.Properties?.RedrivePolicy)) - Number(Boolean(b.Properties?.RedrivePolicy)));
    const first = ordered.filter(([, r]) => !r.Properties?.RedrivePolicy);
    const second = ordered.filter(([, r]) => r.Properties?.RedrivePolicy);
    for (const group of [first, second]) {
      await Promise.all(
        group.map(async ([id, r]) => {
          switch (r.Type) {
            case 'AWS::DynamoDB::Table':
              return tables(id);
            case 'AWS::S3::Bucket':
              return buckets(id);
            case 'AWS::SQS::Queue':
              return queues(id);
            case 'AWS::Kinesis::Stream':
              return streams(id);
            case 'AWS::SNS::Topic':
              return topics(id, existingTopics);
            case 'AWS::KinesisFirehose::DeliveryStream':
              return deliveryStreams(id);
            default:
              if (!SKIPPED_PREFIXES.some((p) => r.Type.startsWith(p))) {
                log(`skipped  ${r.Type} ${id} (no local emulator)`);
              }
              return record(id, r.Type, 'skipped');
          }
        }),
      );
    }
  } finally {
    for (const c of [ddbClient, s3Client, sqsClient, kinesisClient, snsClient, firehoseClient]) c?.destroy();
  }
  return report;
}

/**
 * Uploads every file under `seedDir` (default `<serviceDir>/events/seed`) to the stack's
 * DATA_BUCKET (or `bucket`) at the same relative key. Idempotent: unchanged objects are skipped.
 * `dynamodb/` at the top of `seedDir` holds table items (seedTables), not objects: it is skipped.
 */
export async function seedBucket(stack: LocalStack, opts: { seedDir?: string; bucket?: string } = {}): Promise<string[]> {
  const dir = opts.seedDir ?? join(stack.serviceDir, 'events', 'seed');
  if (!existsSync(dir)) return [];
  const bucket = opts.bucket ?? stack.env.DATA_BUCKET ?? stack.resources.DataBucket;
  if (!bucket) throw new Error('seedBucket: no DATA_BUCKET in the service environment and no DataBucket resource');
  const { S3Client, PutObjectCommand, HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client(stack.clientConfig('s3'));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (d !== dir || e.name !== TABLE_SEED_DIR) walk(p);
      } else if (e.isFile()) files.push(p);
    }
  };
  walk(dir);
  const uploaded: string[] = [];
  try {
    for (const f of files) {
      const key = relative(dir, f).split(sep).join('/');
      const body = readFileSync(f);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      if (head?.ContentLength === statSync(f).size) continue;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      uploaded.push(key);
    }
  } finally {
    s3.destroy();
  }
  return uploaded;
}

/** Directory of table seeds under the seed dir: `<TableLogicalId>.jsonl`. */
export const TABLE_SEED_DIR = 'dynamodb';

/**
 * Writes `<seedDir>/dynamodb/<TableLogicalId>.jsonl` (default seedDir `<serviceDir>/events/seed`)
 * into the stack's table of that logical id: one item per line, plain JSON (marshalled as the
 * DocumentClient would: numbers → N, arrays → L, objects → M, null → NULL). Idempotent: PutItem
 * semantics, an item with the same key is replaced. Sample events of functions that read a table
 * (e.g. the cdp core) reference these rows. Returns `<LogicalId>: <n> item(s)` per file.
 */
export async function seedTables(stack: LocalStack, opts: { seedDir?: string } = {}): Promise<string[]> {
  const dir = join(opts.seedDir ?? join(stack.serviceDir, 'events', 'seed'), TABLE_SEED_DIR);
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  if (files.length === 0) return [];
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
  const seeded: string[] = [];
  try {
    for (const f of files) {
      const logicalId = f.slice(0, -'.jsonl'.length);
      const table = stack.resources[logicalId];
      if (!table) throw new Error(`seedTables: ${TABLE_SEED_DIR}/${f}: no table ${logicalId} in the stack`);
      const items = readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => [line.trim(), i + 1] as const)
        .filter(([line]) => line !== '')
        .map(([line, n]) => {
          try {
            return marshall(JSON.parse(line) as Record<string, unknown>, { removeUndefinedValues: true });
          } catch (e) {
            throw new Error(`seedTables: ${TABLE_SEED_DIR}/${f}:${n}: ${(e as Error).message}`);
          }
        });
      await batchPut(ddb, table, items);
      seeded.push(`${logicalId}: ${items.length} item(s)`);
    }
  } finally {
    ddb.destroy();
  }
  return seeded;
}

