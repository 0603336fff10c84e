/**
 * Runs `sls offline` as a child process (the local plugin brings up the local stack inside it) and
 * stops it with everything it started. Used by the offline integration test; handy in scripts.
 *
 * The child is the node process of the framework itself (not an `npx` wrapper): serverless-offline
 * ends on SIGTERM to that process, and killing a wrapper can leave it running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface StartOfflineOptions {
  /** Folder with serverless.yml; default the repository root. */
  serviceDir?: string;
  stage?: string;
  /** Default: a free port. */
  httpPort?: number;
  /** Default: a free port. */
  lambdaPort?: number;
  /** CUREPATH_LOCAL_DATA_DIR of the stack (default `.local/<stage>`). */
  dataDir?: string;
  /** CUREPATH_LOCAL_IN_MEMORY=1. */
  inMemory?: boolean;
  /** Extra environment for the child. */
  env?: Record<string, string>;
  /** Default 90 s. */
  readyTimeoutMs?: number;
  /** Every output line of the child (stdout and stderr). */
  onLine?: (line: string) => void;
}

export interface OfflineProcess {
  /** http://localhost:<httpPort> */
  url: string;
  httpPort: number;
  lambdaPort: number;
  pid: number;
  child: ChildProcess;
  /** The last ~200 lines of output. */
  output(): string;
  /**
   * SIGTERM to the framework process (it stops its servers and emulators), SIGKILL to the whole
   * tree after `graceMs`. Resolves with the pids of the tree that are still alive afterwards
   * (none expected).
   */
  stop(graceMs?: number): Promise<number[]>;
}

const REPO_ROOT = resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const srv = createServer();
    srv.once('error', ko);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** A zombie (exited, not yet reaped by its new parent) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone between the two calls, or no /proc at all (then trust kill(0)).
    return !existsSync('/proc/self/stat');
  }
}

/** Every live descendant of `pid` (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export async function startOffline(opts: StartOfflineOptions = {}): Promise<OfflineProcess> {
  const serviceDir = resolve(opts.serviceDir ?? REPO_ROOT);
  const httpPort = opts.httpPort ?? (await freePort());
  const lambdaPort = opts.lambdaPort ?? (await freePort());
  const sls = require.resolve('serverless/bin/serverless.js', { paths: [serviceDir] });
  const env: Record<string, string | undefined> = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    // Never a real account: the plugin points every client at the local stack anyway.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    ...(opts.dataDir ? { CUREPATH_LOCAL_DATA_DIR: opts.dataDir } : {}),
    ...(opts.inMemory ? { CUREPATH_LOCAL_IN_MEMORY: '1' } : {}),
    // jest's or tsx's loader flags must not leak into the framework process.
    NODE_OPTIONS: '',
    ...opts.env,
  };
  const args = [sls, 'offline', '--stage', opts.stage ?? 'dev', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)];
  // Own process group: the last-resort kill reaches grandchildren (emulators, esbuild) too.
  const child = spawn(process.execPath, args, { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid!;
  const lines: string[] = [];
  let ready = false;
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      opts.onLine?.(line);
      if (line.includes('Server ready:')) ready = true;
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const isExited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  };
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  // If the caller crashes, do not leave offline (and its emulators) running.
  process.once('exit', killGroup);

  const stop = async (graceMs = 10_000): Promise<number[]> => {
    const tree = [pid, ...descendants(pid)];
    if (!isExited()) {
      child.kill('SIGTERM');
      await waitExit(graceMs);
    }
    if (!isExited() || tree.some(pidAlive)) {
      killGroup();
      for (const p of tree) if (pidAlive(p)) process.kill(p, 'SIGKILL');
      await waitExit(2000);
    }
    process.removeListener('exit', killGroup);
    // Give the kernel a moment to reap.
    for (let i = 0; i < 20 && tree.some(pidAlive); i++) await sleep(50);
    return tree.filter(pidAlive);
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  while (!ready) {
    if (isExited()) {
      await stop(0);
      throw new Error(`sls offline exited with code ${child.exitCode} before it was ready:\n${lines.slice(-40).join('\n')}`);
    }
    if (Date.now() > deadline) {
      await stop(0);
      throw new Error(`sls offline not ready within ${opts.readyTimeoutMs ?? 90_000} ms:\n${lines.slice(-40).join('\n')}`);
    }
    await sleep(100);
  }
  return { url: `http://localhost:${httpPort}`, httpPort, lambdaPort, pid, child, output: () => lines.join('\n'), stop };
}
