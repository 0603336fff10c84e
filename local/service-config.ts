/**
 * The fully variable-resolved serverless service (`sls print`), cached on disk keyed by a hash of
 * everything that can change it, so only the first local start pays the ~4 s of the framework.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ResolvedService } from './cfn';

export type { ResolvedService } from './cfn';

export interface LoadServiceOptions {
  /** Folder holding serverless.yml; default: the repository root (cwd). */
  serviceDir?: string;
  /** Default `<serviceDir>/.local/cache`. */
  cacheDir?: string;
  /** Skip the cache (still writes it). */
  refresh?: boolean;
  log?: (line: string) => void;
}

/** Files and folders whose content changes the resolved service. */
const INPUTS = ['serverless.yml', 'serverless.yaml', 'resources', 'state-machines', 'package.json', 'config'];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export function serviceHash(serviceDir: string, stage: string): string {
  const h = createHash('sha256').update(`stage=${stage}\n`);
  for (const input of INPUTS) {
    const p = join(serviceDir, input);
    if (!existsSync(p)) continue;
    const files = statSync(p).isDirectory() ? listFiles(p).sort() : [p];
    for (const f of files) h.update(relative(serviceDir, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function slsBin(serviceDir: string): string {
  // Prefer the project's own osls; walk up like node resolution does.
  let dir = resolve(serviceDir);
  for (;;) {
    const bin = join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js');
    if (existsSync(bin)) return bin;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('serverless (osls) is not installed: run npm install');
    dir = parent;
  }
}

export function printService(stage: string, serviceDir: string): Promise<ResolvedService> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    // `sls print` never calls AWS for our config, but the SDK wants credentials to exist.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_ENDPOINT_URL')) delete env[k];
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      [slsBin(serviceDir), 'print', '--stage', stage, '--format', 'json'],
      { cwd: serviceDir, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return fail(new Error(`sls print --stage ${stage} failed: ${stderr || err.message}`));
        const start = stdout.indexOf('{');
        try {
          ok(JSON.parse(stdout.slice(start)) as ResolvedService);
        } catch (e) {
          fail(new Error(`sls print returned no JSON: ${(e as Error).message}\n${stderr}`));
        }
      },
    );
  });
}

export async function loadService(stage: string, opts: LoadServiceOptions = {}): Promise<ResolvedService> {
  const serviceDir = resolve(opts.serviceDir ?? process.cwd());
  const cacheDir = opts.cacheDir ?? join(serviceDir, '.local', 'cache');
  const file = join(cacheDir, `service-${stage}-${serviceHash(serviceDir, stage)}.json`);
  if (!opts.refresh && existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ResolvedService;
    } catch {
      // A torn cache file is just a miss.
    }
  }
  const t0 = Date.now();
  const service = await printService(stage, serviceDir);
  opts.log?.(`resolved serverless service (${stage}) in ${Date.now() - t0} ms`);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(service));
  renameSync(tmp, file); // atomic: a concurrent start never reads half a file
  return service;
}
