/**
 * Serverless plugin: `sls offline` and `sls invoke local -f <fn> -p events/<fn>.json` bring up
 * (or reuse) the embedded local stack, rewrite the provider/function environment to plain strings
 * (offline cannot evaluate CloudFormation intrinsics) plus the local endpoint variables, and seed
 * the sample S3 objects under events/seed/ and the table rows under events/seed/dynamodb/. The
 * stack itself is TypeScript, loaded with tsx.
 *
 * For `invoke local`, placeholders in the event (`Bearer <TOKEN:admin>`, `<DATE+7>`, …) are
 * filled with a fresh local-issuer token / today's dates first (local/event-placeholders.ts).
 *
 * Environment: CUREPATH_LOCAL_IN_MEMORY=1 (emulator data in memory), CUREPATH_LOCAL_DATA_DIR
 * (default `.local/<stage>`).
 *
 * Offline only, the HTTP routes' `aws_iam` and JWT authorizers are dropped (see
 * neutralizeIamAuthorizers / neutralizeJwtAuthorizers: the functions verify local JWTs themselves).
 * Nothing here runs for `sls package` / `sls deploy`: the template keeps its authorizers.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** After a failed command or a finished `invoke local`, exit even if a handle (e.g. esbuild's service child) lingers. */
const FORCED_EXIT_AFTER_MS = 1500;

function isIamAuthorizer(authorizer) {
  if (!authorizer) return false;
  const type = typeof authorizer === 'string' ? authorizer : authorizer.type;
  return typeof type === 'string' && type.toLowerCase() === 'aws_iam';
}

/** An httpApi event's authorizer that names a provider.httpApi JWT authorizer (e.g. cognitoJwt). */
function isJwtAuthorizer(authorizer, provider) {
  if (!authorizer) return false;
  const name = typeof authorizer === 'string' ? authorizer : authorizer.name;
  const def = name && provider && provider.httpApi && provider.httpApi.authorizers && provider.httpApi.authorizers[name];
  return Boolean(def && typeof def.type === 'string' && def.type.toLowerCase() === 'jwt');
}

/** Serverless merges `resources: [ ... ]` lists; configurationInput may still hold the list. */
function mergeResources(res) {
  if (!Array.isArray(res)) return res || {};
  const out = { Resources: {}, Outputs: {}, Conditions: {} };
  for (const part of res) {
    if (!part) continue;
    for (const k of Object.keys(part)) out[k] = { ...(out[k] || {}), ...part[k] };
  }
  return out;
}

class CurepathLocalPlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    const log = utils && utils.log;
    this.log = (line) => (log && log.notice ? log.notice(`[local stack] ${line}`) : console.log(`[local stack] ${line}`));
    this.stack = undefined;
    this.starting = undefined;

    this.hooks = {
      // `sls offline` runs offline:start; `sls offline start` runs offline:start:init.
      'before:offline:start': () => this.startOffline(),
      'before:offline:start:init': () => this.startOffline(),
      // Only `sls offline start` reaches this: plain `sls offline` calls process.exit(0) on
      // SIGINT/SIGTERM, and the exit handler below cleans up instead.
      'offline:start:end': () => this.stop(),
      // invoke local resolves CloudFormation refs against AWS in its own before:loadEnvVars hook,
      // which runs before any plugin's: start (and rewrite the env) at `initialize` instead.
      initialize: () => (this.isCommand('invoke', 'local') ? this.start() : this.isOffline() ? this.addOfflineNotFound() : undefined),
      // After invoke local parsed the event (-p/-d), before the handler runs.
      'before:invoke:local:invoke': async () => {
        await this.start();
        await this.fillEventPlaceholders();
      },
      'after:invoke:local:invoke': () => this.stopAndExit(),
      // Any failed command (a handler build error, a port in use for offline, ...): without this
      // the emulators' scratch data stays behind and an open server keeps the process alive.
      error: () => (this.starting ? this.stopAndExit(1) : undefined),
    };
    process.once('exit', () => this.cleanupSync());
    this.useOwnEsbuildFolder();
  }

  /**
   * CUREPATH_ESBUILD_WORK_FOLDER (e.g. set by bench:api): serverless-esbuild builds into that folder
   * instead of the shared `.esbuild`, so a concurrent `sls package` or another offline process in
   * the same checkout cannot delete the handlers this one is serving. Set here, in the constructor:
   * serverless-esbuild reads its options in its own `initialize` hook.
   */
  useOwnEsbuildFolder() {
    const folder = process.env.CUREPATH_ESBUILD_WORK_FOLDER;
    const svc = this.serverless.service;
    if (!folder || !svc) return;
    svc.custom = svc.custom || {};
    svc.custom.esbuild = { ...(svc.custom.esbuild || {}), outputWorkFolder: folder };
  }

  /**
   * serverless-offline cannot emulate IAM (SigV4) authorization: it reads any httpApi authorizer
   * that is not `request` as a JWT authorizer and refuses to start ("only supports retrieving JWT
   * from the headers"). So, for the offline process only, the aws_iam authorizer is removed from
   * the in-memory service; other authorizers (a JWT one later) stay and are emulated. This is
   * narrower than serverless-offline's `noAuth`, which would switch every authorizer off.
   * The deployed API keeps AWS_IAM: package/deploy never run these hooks.
   */
  neutralizeIamAuthorizers() {
    const dropped = [];
    for (const [name, fn] of Object.entries(this.serverless.service.functions || {})) {
      for (const event of (fn && fn.events) || []) {
        const http = event && (event.httpApi || event.http);
        if (!http || typeof http !== 'object' || !isIamAuthorizer(http.authorizer)) continue;
        delete http.authorizer;
        dropped.push(`${name} (${http.method || '*'} ${http.path || '/'})`);
      }
    }
    if (dropped.length) this.log(`offline: no IAM authorization locally for ${dropped.join(', ')} (AWS_IAM when deployed)`);
    return dropped;
  }

  /**
   * serverless-offline "emulates" a JWT authorizer by decoding the token WITHOUT verifying its
   * signature, and compares iss/aud with issuerUrl/audience, which are unresolved CloudFormation
   * intrinsics here (Fn::Sub of the user pool): every token would fail, or worse, a forged one
   * pass. So, offline only, the routes' JWT authorizer is dropped and the functions' own
   * `authenticate` middleware verifies each token's RS256 signature, issuer, audience and expiry
   * against the local development issuer's JWKS (src/http/auth.ts) — the same checks API Gateway
   * makes in AWS. Deploy/package keep the authorizer.
   */
  neutralizeJwtAuthorizers() {
    const provider = this.serverless.service.provider;
    const dropped = [];
    for (const [name, fn] of Object.entries(this.serverless.service.functions || {})) {
      for (const event of (fn && fn.events) || []) {
        const http = event && event.httpApi;
        if (!http || typeof http !== 'object' || !isJwtAuthorizer(http.authorizer, provider)) continue;
        delete http.authorizer;
        dropped.push(`${http.method || '*'} ${http.path || '/'}`);
      }
    }
    if (dropped.length) this.log(`offline: JWTs verified by the functions against the local issuer for ${dropped.length} route(s)`);
    return dropped;
  }

  isOffline() {
    return this.isCommand('offline') || this.isCommand('offline', 'start');
  }

  /**
   * Offline only: a `$default` route (unknown path or method → JSON 404 like API Gateway's), in
   * place of serverless-offline's 404 page that lists every route. Added at `initialize`, before
   * serverless-esbuild collects the functions to build.
   */
  addOfflineNotFound() {
    const fns = this.serverless.service.functions || (this.serverless.service.functions = {});
    if (fns.offlineNotFound) return;
    fns.offlineNotFound = { handler: 'local/offline-not-found.handler', events: [{ httpApi: '*' }] };
  }

  startOffline() {
    this.neutralizeIamAuthorizers();
    this.neutralizeJwtAuthorizers();
    return this.start();
  }

  /** The variable-resolved service in the shape local/stack.ts expects. */
  resolvedService() {
    const svc = this.serverless.service;
    const input = this.serverless.configurationInput || {};
    return JSON.parse(
      JSON.stringify({
        service: typeof svc.service === 'string' ? svc.service : svc.serviceObject ? svc.serviceObject.name : input.service,
        provider: svc.provider,
        functions: svc.functions,
        params: input.params,
        stepFunctions: input.stepFunctions || svc.stepFunctions,
        resources: mergeResources(svc.resources && Object.keys(svc.resources).length ? svc.resources : input.resources),
      }),
    );
  }

  isCommand(...words) {
    const cmds = (this.serverless.processedInput && this.serverless.processedInput.commands) || [];
    return words.every((w, i) => cmds[i] === w) && cmds.length === words.length;
  }

  stage() {
    return this.options.stage || (this.serverless.service.provider && this.serverless.service.provider.stage) || 'dev';
  }

  async start() {
    if (this.starting) return this.starting;
    this.starting = (async () => {
      const serviceDir = this.serverless.serviceDir || this.serverless.config.servicePath || process.cwd();
      const tsx = require('tsx/cjs/api');
      const { startLocalStack, seedBucket, seedTables } = tsx.require('./stack.ts', __filename);
      // Handlers (for the local Step Functions endpoint) are TypeScript too.
      const importer = async (abs) => tsx.require(abs, __filename);
      const stage = this.stage();
      const stack = await startLocalStack({
        stage,
        serviceDir,
        dataDir: process.env.CUREPATH_LOCAL_DATA_DIR || path.join(serviceDir, '.local', stage),
        inMemory: process.env.CUREPATH_LOCAL_IN_MEMORY === '1',
        service: this.resolvedService(),
        importer,
        log: this.log,
      });
      this.stack = stack;
      this.rewriteEnvironment(stack);
      const seeded = await seedBucket(stack);
      if (seeded.length) this.log(`seeded ${seeded.length} object(s) from events/seed: ${seeded.join(', ')}`);
      // Rows the sample events read (events/seed/dynamodb/<TableLogicalId>.jsonl, e.g. the cdp core).
      const rows = await seedTables(stack);
      if (rows.length) this.log(`seeded tables from events/seed/dynamodb: ${rows.join(', ')}`);
      this.log(`endpoints: ${Object.entries(stack.endpoints).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      return stack;
    })();
    return this.starting;
  }

  /**
   * Sample events carry placeholders instead of tokens and dates that would go stale
   * (`Bearer <TOKEN:admin>`, `<TOKEN:customer:CUS-5521>`, `<DATE+7>`, …; see
   * local/event-placeholders.ts): fill them with a freshly minted local-issuer token (the keys the
   * handler verifies against, under .local/auth of this directory) and today's dates.
   */
  async fillEventPlaceholders() {
    const data = this.options.data;
    if (data == null || data === '') return;
    const tsx = require('tsx/cjs/api');
    const { fillPlaceholders, placeholdersIn } = tsx.require('./event-placeholders.ts', __filename);
    const found = placeholdersIn(data);
    if (!found.length) return;
    this.options.data = await fillPlaceholders(data);
    // A PII placeholder's value stays out of the log (sample data, but the rule is the rule).
    this.log(`event: filled ${found.map((p) => (p.startsWith('PII:') ? `<${p.slice(0, p.lastIndexOf(':'))}:…>` : `<${p}>`)).join(', ')}`);
  }

  rewriteEnvironment(stack) {
    const svc = this.serverless.service;
    const local = {};
    for (const [k, v] of Object.entries(stack.env)) if (k.startsWith('AWS_') || k === 'CUREPATH_LOCAL') local[k] = v;
    const providerEnv = {};
    for (const [k, v] of Object.entries(svc.provider.environment || {})) providerEnv[k] = stack.cfn.resolve(v) == null ? '' : String(stack.cfn.resolve(v));
    svc.provider.environment = { ...providerEnv, ...local };
    for (const name of Object.keys(svc.functions || {})) {
      svc.functions[name].environment = { ...stack.functionEnv(name) };
    }
    // `invoke local` runs the handler in this process: make the same variables visible here.
    Object.assign(process.env, local);
  }

  async stop() {
    const stack = this.stack;
    this.stack = undefined;
    this.starting = undefined;
    if (stack) await stack.stop();
  }

  /** Stops the stack, then makes sure the process ends with `code` (or the exit code osls set). */
  async stopAndExit(code) {
    if (code) process.exitCode = process.exitCode || code;
    try {
      await this.stop();
    } catch (e) {
      this.log(`stopping the local stack failed: ${(e && e.message) || e}`);
    }
    // Unref'd: a no-op when nothing else holds the event loop; otherwise the bound on the wait.
    setTimeout(() => process.exit(process.exitCode || 0), FORCED_EXIT_AFTER_MS).unref();
  }

  /**
   * Synchronous last resort on process exit (e.g. `sls offline` exits straight from its signal
   * handler): kill the emulators, drop our lock file and the in-memory S3 scratch folder, as
   * stack.stop() would. The stack also SIGKILLs its own children on exit.
   */
  cleanupSync() {
    const stack = this.stack;
    if (!stack) return;
    this.stack = undefined;
    for (const pid of stack.pids || []) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    if (!stack.owner) return;
    try {
      const lockFile = path.join(stack.dataDir, 'stack.json');
      const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
      if (lock.pid === process.pid) fs.rmSync(lockFile, { force: true });
    } catch { /* no lock */ }
    if (stack.inMemory) fs.rmSync(path.join(stack.dataDir, `s3-mem-${process.pid}`), { recursive: true, force: true });
  }
}

module.exports = CurepathLocalPlugin;
