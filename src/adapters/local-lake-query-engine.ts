/**
 * The analytics engine of the local stack (CUREPATH_LOCAL=1: `sls offline`, `sls invoke local`):
 * the same SQL on an embedded DuckDB over a mirror of the lake objects in the local S3's data
 * bucket. The mirror is kept per process and synced before each query by ETag (only changed objects
 * are fetched); queries that arrive while a sync is running share it, so one invocation's batch of
 * parallel queries costs one listing. DuckDB is imported lazily: AWS bundles never load it.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { QueryName } from '../analytics/queries.generated';
import type { AnalyticsQueryEngine, Row } from '../usecases/analytics/ports';

/** What the analytics tables read (src/analytics/catalog.ts): the run files and everything under lake/. */
export const LAKE_KEY = /^(runs\/\d{4}-\d{2}-\d{2}\/(scores|decisions|actions)\/|lake\/)/;

export interface OpenedEngine extends AnalyticsQueryEngine {
  close(): void;
}

type Open = (root: string) => Promise<OpenedEngine>;
const openDuckDb: Open = async (root) => (await import('./duckdb-query-engine')).DuckDbQueryEngine.open(root);

async function listLake(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, { tag: string; size: number }>> {
  const out = new Map<string, { tag: string; size: number }>();
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of r.Contents ?? []) if (o.Key && LAKE_KEY.test(o.Key)) out.set(o.Key, { tag: o.ETag ?? `${o.Size}-${o.LastModified?.getTime()}`, size: o.Size ?? 0 });
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * Mirrors the lake objects of `bucket` into `root` (same keys as paths), bytes as stored: Firehose's
 * .gz parts stay gzipped (DuckDB reads them by extension). `etags` holds what `root` has already
 * (key → ETag) and is updated: only changed objects are fetched, vanished ones are removed.
 */
export async function mirrorLake(
  s3: S3Client,
  bucket: string,
  root: string,
  etags: Map<string, string> = new Map(),
): Promise<{ files: number; bytes: number; changed: number; gone: number }> {
  const now = new Map([...(await listLake(s3, bucket, 'runs/')), ...(await listLake(s3, bucket, 'lake/'))]);
  const changed = [...now].filter(([k, o]) => etags.get(k) !== o.tag).map(([k]) => k);
  const gone = [...etags.keys()].filter((k) => !now.has(k));
  // A few at a time: s3rver is one process shared with the rest of the stack.
  for (let i = 0; i < changed.length; i += 16) {
    await Promise.all(
      changed.slice(i, i + 16).map(async (key) => {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const file = join(root, key);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, await r.Body!.transformToByteArray());
        etags.set(key, now.get(key)!.tag);
      }),
    );
  }
  for (const key of gone) {
    await rm(join(root, key), { force: true });
    etags.delete(key);
  }
  let bytes = 0;
  for (const o of now.values()) bytes += o.size;
  return { files: now.size, bytes, changed: changed.length, gone: gone.length };
}

export class LocalLakeQueryEngine implements AnalyticsQueryEngine {
  private readonly etags = new Map<string, string>();
  private current: { engine: OpenedEngine; inFlight: number; stale: boolean } | undefined;
  private syncing: Promise<void> | undefined;
  /** Objects fetched so far (what a test or a log line can check the cache by). */
  fetched = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly root = join(tmpdir(), `curepath-lake-${process.pid}-${Math.random().toString(36).slice(2, 8)}`),
    private readonly open: Open = openDuckDb,
  ) {}

  async run(query: QueryName, period: { from: string; to: string }): Promise<Row[]> {
    await (this.syncing ??= this.sync().finally(() => (this.syncing = undefined)));
    const slot = this.current!;
    slot.inFlight++;
    try {
      return await slot.engine.run(query, period);
    } finally {
      slot.inFlight--;
      if (slot.stale && slot.inFlight === 0) slot.engine.close();
    }
  }

  private async sync(): Promise<void> {
    const { changed, gone } = await mirrorLake(this.s3, this.bucket, this.root, this.etags);
    this.fetched += changed;
    if (this.current && changed === 0 && gone === 0) return;
    // Views are bound to which tables have files when opened: reopen (in-memory, a few ms) on any change.
    await mkdir(this.root, { recursive: true });
    const previous = this.current;
    this.current = { engine: await this.open(this.root), inFlight: 0, stale: false };
    if (previous) {
      previous.stale = true;
      if (previous.inFlight === 0) previous.engine.close();
    }
  }
}
