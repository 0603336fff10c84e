import { engagementRows, SIMULATION_ONLY_SOURCES } from '../../../local/analytics/simulation-lake';
import { appliedRow, businessDate, lakeKey, runSummaryRow, sendLakeRecord, writeLakeDataset } from '../../../src/usecases/analytics/lake';
import { notifyRun, type RunSummary } from '../../../src/usecases/notify-run';
import { MemoryPublisher, MemoryStore } from '../../helpers/memory-ports';

test('Notify writes one flat run-summary line and copies the rejects into the lake', async () => {
  const store = new MemoryStore();
  await store.putText('runs/2026-03-09/rejects.csv', 'row,account_id,reason\n7,ACC7,"email: not a valid email address"\n');
  const fetch = { runDate: '2026-03-09', accounts: 10, rejected: 1, rejectsKey: 'runs/2026-03-09/rejects.csv', chunks: [{ index: 0, key: 'k', accounts: 10 }] } as never;
  await notifyRun(
    { store, publisher: new MemoryPublisher(), now: () => new Date('2026-03-09T10:05:00Z') },
    {
      kind: 'completed',
      runDate: '2026-03-09',
      fetch,
      chunkResults: [{ index: 0, failed: false, scored: 10, persisted: 10, contacted: 4, actions: { email: 2, sms: 1, voice: 1 }, suppressed: { bankruptcy: 1 } }],
      executionStartTime: '2026-03-09T10:00:00Z',
    },
  );
  const line = await store.getText('lake/run_summaries/dt=2026-03-09/summary.jsonl');
  expect(line.trim().split('\n')).toHaveLength(1);
  expect(JSON.parse(line)).toMatchObject({ runDate: '2026-03-09', status: 'completed', accounts: 10, rejected: 1, contacted: 4, actionsEmail: 2, actionsSms: 1, actionsVoice: 1, failedChunks: 0, failedChunksJson: '[]', errorName: null });
  expect(await store.getText('lake/rejects/dt=2026-03-09/rejects.csv')).toContain('ACC7');
});

test('a run summary row flattens the failed chunks and the error', () => {
  const s = { runDate: 'd', status: 'failed', accounts: 0, scored: 0, rejected: 0, contacted: 0, actions: { email: 0, sms: 0, voice: 0, total: 0 }, suppressed: {}, chunks: 2, failedChunks: [{ index: 1, error: 'X' }], summaryKey: 'k', error: { name: 'PortfolioFileError', message: 'm' }, durationMs: 1 } satisfies RunSummary;
  expect(runSummaryRow(s)).toMatchObject({ failedChunks: 1, failedChunksJson: '[{"index":1,"error":"X"}]', errorName: 'PortfolioFileError' });
});

test('datasets are partitioned by dt, one part per partition; events by the business day (10:00Z)', async () => {
  const store = new MemoryStore();
  const keys = await writeLakeDataset(store, 'x', [{ d: '2026-03-02', v: 1 }, { d: '2026-03-03', v: 2 }, { d: '2026-03-02', v: 3 }], (r) => r.d);
  expect(keys).toEqual([lakeKey('x', '2026-03-02'), lakeKey('x', '2026-03-03')]);
  expect((await store.getText('lake/x/dt=2026-03-02/part-00000.jsonl')).trim().split('\n').map((l) => JSON.parse(l).v)).toEqual([1, 3]);
  expect(businessDate(Date.parse('2026-03-03T09:59:59Z'))).toBe('2026-03-02');
  expect(businessDate(Date.parse('2026-03-03T10:00:00Z'))).toBe('2026-03-03');
});

test('send rows go to the run date\'s partition; the simulation writes only its stand-ins\' payments and promises; events flat, no addresses', () => {
  const row = { actionId: 'a1', accountId: 'A1', runDate: '2026-03-02', channel: 'email', segment: 's', status: 'sent', reason: null, completedAtMs: Date.parse('2026-03-03T01:00:00Z') };
  expect(sendLakeRecord(row)).toEqual({ ...row, dt: '2026-03-02' });
  expect([...SIMULATION_ONLY_SOURCES]).toEqual(['simulation']);
  expect(appliedRow({ eventId: 'unsubscribe|a1', accountId: 'A1', type: 'opt_out', channel: 'email', atMs: 5, source: 'unsubscribe-endpoint', actionId: 'a1' })).toMatchObject({ atMs: 5, processedAtMs: 5, suppressing: true, amountCents: null });
  const ev = engagementRows([{ eventId: 'e', accountId: 'A1', channel: 'sms', type: 'opt_out', at: '2026-03-02T15:00:00.000Z', processedAt: '2026-03-02T15:01:00.000Z', suppressing: true, source: 'sms-inbound' }]);
  expect(ev[0]).toEqual({ eventId: 'e', accountId: 'A1', channel: 'sms', type: 'opt_out', atMs: Date.parse('2026-03-02T15:00:00Z'), processedAtMs: Date.parse('2026-03-02T15:01:00Z'), suppressing: true, messageId: null, actionId: null, source: 'sms-inbound', amountCents: null });
});
