import type { Account, ChunkRecord } from '../../../src/domain/portfolio/account';
import { chunkPortfolio } from '../../../src/domain/portfolio/chunker';
import type { PortfolioItem, PortfolioReject } from '../../../src/domain/portfolio/reader';

const account = (id: string) => ({ accountId: id }) as Account;

async function* items(n: number, rejectEvery = 0): AsyncGenerator<PortfolioItem> {
  for (let i = 0; i < n; i++) {
    const row = i + 2;
    if (rejectEvery > 0 && i % rejectEvery === rejectEvery - 1) yield { kind: 'reject', row, accountId: `A${i}`, reason: 'x' };
    else yield { kind: 'account', row, account: account(`A${i}`) };
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('chunkPortfolio', () => {
  it('writes full chunks in order and a last partial one; counts accounts and rejects', async () => {
    const written = new Map<number, ChunkRecord[]>();
    const rejectBatches: PortfolioReject[][] = [];
    const summary = await chunkPortfolio(items(23, 5), 4, {
      writeChunk: async (i, records) => void written.set(i, records),
      writeRejects: async (batch) => void rejectBatches.push(batch),
    }, { rejectBatchSize: 2 });
    // 23 rows, every 5th rejected → 4 rejects, 19 accounts → chunks 4,4,4,4,3
    expect(summary).toEqual({
      accounts: 19,
      rejected: 4,
      chunks: [{ index: 0, count: 4 }, { index: 1, count: 4 }, { index: 2, count: 4 }, { index: 3, count: 4 }, { index: 4, count: 3 }],
    });
    expect([...written.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(written.get(0)!.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(written.get(4)!.map((r) => r.account.accountId)).toEqual(['A20', 'A21', 'A22']);
    expect(rejectBatches.map((b) => b.map((r) => r.row))).toEqual([[6, 11], [16, 21]]);
  });

  it('writes no chunk when there are no accounts', async () => {
    const writeChunk = jest.fn(async () => undefined);
    expect(await chunkPortfolio(items(0), 10, { writeChunk })).toEqual({ accounts: 0, rejected: 0, chunks: [] });
    expect(writeChunk).not.toHaveBeenCalled();
  });

  it('writes chunks while reading (not at the end) and never has more than maxInFlight pending', async () => {
    const settle = () => new Promise((r) => setImmediate(r));
    let pulled = 0;
    async function* counted(): AsyncGenerator<PortfolioItem> {
      for await (const item of items(100)) {
        pulled++;
        yield item;
      }
    }
    const pending: ReturnType<typeof deferred>[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let pulledAtFirstWrite = -1;
    const done = chunkPortfolio(counted(), 10, {
      writeChunk: async () => {
        if (pulledAtFirstWrite < 0) pulledAtFirstWrite = pulled;
        const d = deferred();
        pending.push(d);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await d.promise;
        inFlight--;
      },
    }, { maxInFlight: 2 });
    await settle();
    await settle();
    expect(pulledAtFirstWrite).toBe(10);
    expect(pending).toHaveLength(2);
    expect(pulled).toBe(30); // the 3rd chunk is full and waits for a free slot: reading is paused
    // Release writes one at a time until everything is through.
    for (let i = 0; i < 10; i++) {
      await settle();
      pending[i]!.resolve();
    }
    const summary = await done;
    expect(summary.chunks).toHaveLength(10);
    expect(pending).toHaveLength(10);
    expect(maxInFlight).toBe(2);
  });

  it('stops reading after a failed write, waits for writes in flight, and throws the first error', async () => {
    let pulled = 0;
    let closed = false;
    async function* counted(): AsyncGenerator<PortfolioItem> {
      try {
        for await (const item of items(1000)) {
          pulled++;
          yield item;
        }
      } finally {
        closed = true;
      }
    }
    const settled: number[] = [];
    const promise = chunkPortfolio(counted(), 10, {
      writeChunk: async (i) => {
        await new Promise((r) => setImmediate(r));
        settled.push(i);
        if (i === 1) throw new Error('S3 down');
      },
    }, { maxInFlight: 3 });
    await expect(promise).rejects.toThrow('S3 down');
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(1000);
    expect(settled.length).toBeGreaterThanOrEqual(2); // everything started was awaited
  });

  it('rethrows an error from the reader after the writes in flight settle', async () => {
    async function* broken(): AsyncGenerator<PortfolioItem> {
      yield* items(25);
      throw new Error('bad file');
    }
    const settled: number[] = [];
    await expect(
      chunkPortfolio(broken(), 10, {
        writeChunk: async (i) => {
          await new Promise((r) => setImmediate(r));
          settled.push(i);
        },
      }),
    ).rejects.toThrow('bad file');
    expect(settled.sort()).toEqual([0, 1]);
  });

  it('validates its options', async () => {
    await expect(chunkPortfolio(items(1), 0, { writeChunk: async () => undefined })).rejects.toThrow(RangeError);
  });
});
