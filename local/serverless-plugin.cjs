/**
 * Serverless plugin: `sls offline` and `sls invoke local -f <fn> -p events/<fn>.json` bring up
 * (or reuse) the embedded local stack, rewrite the provider/function environment to plain strings
 * (offline cannot evaluate CloudFormation intrinsics) plus the local endpoint variables, and seed
 * the sample S3 objects under events/seed/. The stack itself is TypeScript, loaded with tsx.
 */
'use strict';

const path = require('node:path');

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
      'before:offline:start': () => this.start(),
      'before:offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
      // invoke local resolves CloudFormation refs against AWS in its own before:loadEnvVars hook,
      // which runs before any plugin's: start (and rewrite the env) at `initialize` instead.
      initialize: () => (this.isCommand('invoke', 'local') ? this.start() : undefined),
      'before:invoke:local:invoke': () => this.start(),
      'after:invoke:local:invoke': () => this.stop(),
    };
    process.once('exit', () => {
      // Last resort: never leave emulators behind (the stack also kills its children on exit).
      if (this.stack && this.stack.pids) for (const pid of this.stack.pids) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    });
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
      const { startLocalStack, seedBucket } = tsx.require('./stack.ts', __filename);
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
      this.log(`endpoints: ${Object.entries(stack.endpoints).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      return stack;
    })();
    return this.starting;
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
}

module.exports = CurepathLocalPlugin;
