/**
 * Copies what the analytics tables read (docs/analytics.md) from the local stack's data bucket into
 * a directory that mirrors the keys, for DuckDB: `runs/<dt>/{scores,decisions,actions}/` and `lake/`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LAKE_KEY } from '../../src/adapters/local-lake-query-engine';
import type { ObjectStore } from '../../src/ports';

export { LAKE_KEY };

export async function pullLake(store: ObjectStore, root: string): Promise<{ files: number; bytes: number }> {
  await rm(root, { recursive: true, force: true });
  const keys = [...(await store.list('runs/')), ...(await store.list('lake/'))].filter((k) => LAKE_KEY.test(k));
  let bytes = 0;
  // A few at a time: s3rver is one process shared with the rest of the stack.
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(
      keys.slice(i, i + 16).map(async (key) => {
        const body = await store.getText(key);
        const file = join(root, key);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, body);
        bytes += Buffer.byteLength(body);
      }),
    );
  }
  return { files: keys.length, bytes };
}
