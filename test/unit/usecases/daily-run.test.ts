import modelJson from '../../../model/propensity-xgb.json';
import { EmbeddedScorer } from '../../../src/adapters/scorers';
import { PortfolioFileError } from '../../../src/domain/errors';
import { XgbModel } from '../../../src/domain/model/xgboost';
import { DEFAULT_CONTACT_POLICY } from '../../../src/domain/strategy/policy';
import { portfolioCsvLines } from '../../../src/synthetic/portfolio-generator';
import { fetchPortfolio } from '../../../src/usecases/fetch-portfolio';
import { inferChunk } from '../../../src/usecases/infer-chunk';
import { keys, parseJsonl } from '../../../src/usecases/keys';
import { notifyRun, type ChunkResult } from '../../../src/usecases/notify-run';
import { persistRankings } from '../../../src/usecases/persist-rankings';
import { planChunk } from '../../../src/usecases/plan-chunk';
import { MemoryActions, MemoryContacts, MemoryPublisher, MemoryRankings, MemoryStore } from '../../helpers/memory-ports';

const scorer = new EmbeddedScorer(XgbModel.fromJSON(modelJson), 'test-model');

function world() {
  return {
    store: new MemoryStore(),
    rankings: new MemoryRankings(),
    actions: new MemoryActions(),
    contacts: new MemoryContacts(),
    publisher: new MemoryPublisher(),
  };
}

async function runDay(w: ReturnType<typeof world>, runDate: string, csv: string, chunkSize = 40) {
  await w.store.putText(keys.portfolio(runDate), csv);
  const fetched = await fetchPortfolio({ store: w.store, chunkSize }, { runDate, executionStartTime: `${runDate}T10:00:00Z` });
  const results: ChunkResult[] = [];
  for (const chunk of fetched.chunks) {
    const infer = await inferChunk({ store: w.store, scorer }, { runDate, chunk });
    const persist = await persistRankings({ store: w.store, rankings: w.rankings }, { runDate, chunk, infer });
    const s = await planChunk(
      { store: w.store, contacts: w.contacts, actions: w.actions, policy: DEFAULT_CONTACT_POLICY },
      { runDate, chunk, infer, persist },
    );
    results.push({ index: chunk.index, failed: false, scored: infer.scored, persisted: persist.persisted, contacted: s.contacted, actions: s.actions, suppressed: s.suppressed });
  }
  const summary = await notifyRun(
    { store: w.store, publisher: w.publisher, now: () => new Date(`${runDate}T10:05:00Z`) },
    { kind: 'completed', runDate, fetch: fetched, chunkResults: results, executionStartTime: `${runDate}T10:00:00Z` },
  );
  return { fetched, summary };
}

const csvOf = (opts: Parameters<typeof portfolioCsvLines>[0]) => [...portfolioCsvLines(opts)].join('');

describe('daily run use cases (in-memory ports)', () => {
  const runDate = '2026-03-09';
  const csv = csvOf({ accounts: 200, runDate, seed: 11, malformedRate: 0.05 });

  it('quarantines malformed rows with their reason and keeps every valid one', async () => {
    const w = world();
    const { fetched, summary } = await runDay(w, runDate, csv);
    const dataRows = csv.trim().split('\n').length - 1;
    expect(fetched.rejected).toBeGreaterThan(0);
    expect(fetched.accounts + fetched.rejected).toBe(dataRows);
    const rejects = (await w.store.getText(fetched.rejectsKey)).trim().split('\n');
    expect(rejects[0]).toBe('row,account_id,reason');
    expect(rejects).toHaveLength(fetched.rejected + 1);
    expect(fetched.chunks.reduce((n, c) => n + c.count, 0)).toBe(fetched.accounts);
    expect(w.rankings.items.size).toBe(fetched.accounts);
    expect(summary.scored).toBe(fetched.accounts);
    expect(summary.actions.total).toBe(w.actions.items.size);
    expect(summary.actions.total).toBeGreaterThan(0);
    // Every scored account is either contacted or suppressed for a stated reason.
    const suppressed = Object.values(summary.suppressed).reduce((a, b) => a + b, 0);
    expect(summary.contacted + suppressed).toBe(summary.scored);
    expect(w.publisher.messages).toHaveLength(1);
    expect(w.publisher.messages[0]!.subject).toContain(runDate);
  });

  it('re-running the same day changes nothing: no duplicate rankings, actions or contact-log entries', async () => {
    const w = world();
    const first = await runDay(w, runDate, csv);
    const actionsBefore = new Map(w.actions.items);
    const logsBefore = JSON.stringify([...w.contacts.logs.entries()].sort());
    const second = await runDay(w, runDate, csv);
    expect(second.summary.actions).toEqual(first.summary.actions);
    expect(w.actions.items).toEqual(actionsBefore);
    expect(JSON.stringify([...w.contacts.logs.entries()].sort())).toBe(logsBefore);
    expect(w.rankings.items.size).toBe(first.fetched.accounts);
  });

  it('carries contact history into the next day', async () => {
    const w = world();
    await runDay(w, runDate, csv);
    const next = '2026-03-10';
    await runDay(w, next, csvOf({ accounts: 200, runDate: next, dayIndex: 1, seed: 11, malformedRate: 0.05 }));
    const withTwoDays = [...w.contacts.logs.values()].filter((events) => new Set(events.map((e) => e.actionId?.slice(0, 10))).size === 2);
    expect(withTwoDays.length).toBeGreaterThan(0);
  });

  it('fails the run before writing anything when a required column is missing', async () => {
    const w = world();
    const broken = csv.replace('days_past_due', 'dpd');
    await w.store.putText(keys.portfolio(runDate), broken);
    await expect(fetchPortfolio({ store: w.store, chunkSize: 50 }, { runDate, executionStartTime: `${runDate}T10:00:00Z` })).rejects.toThrow(
      PortfolioFileError,
    );
    expect(await w.store.list('runs/')).toEqual([]);
  });

  it('fails clearly when there is no file for the day', async () => {
    const w = world();
    await expect(fetchPortfolio({ store: w.store, chunkSize: 50 }, { executionStartTime: '2026-03-09T10:00:00Z' })).rejects.toThrow(
      /no portfolio file for 2026-03-09/,
    );
  });

  it('reports a failed chunk and keeps the other chunks in the manifest', async () => {
    const w = world();
    const { fetched } = await runDay(w, runDate, csv);
    const ok = { failed: false as const, scored: 1, persisted: 1, contacted: 1, actions: { email: 1, sms: 0, voice: 0 }, suppressed: {} };
    const summary = await notifyRun(
      { store: w.store, publisher: w.publisher },
      {
        kind: 'completed',
        runDate,
        fetch: fetched,
        chunkResults: [{ index: 0, ...ok }, { index: 1, failed: true, error: 'ModelInvocationError' }, { index: 2, ...ok }],
        executionStartTime: `${runDate}T10:00:00Z`,
      },
    );
    expect(summary.status).toBe('partial');
    expect(summary.failedChunks).toEqual([{ index: 1, error: 'ModelInvocationError' }]);
    const manifest = JSON.parse(await w.store.getText(keys.manifest(runDate))) as { complete: boolean; actions: string[] };
    expect(manifest.complete).toBe(false);
    expect(manifest.actions).toEqual([keys.actions(runDate, 0), keys.actions(runDate, 2)]);
  });

  it('writes the dialer call list with one row per voice action', async () => {
    const w = world();
    const { fetched } = await runDay(w, runDate, csv);
    const voice = fetched.chunks.flatMap((c) => (w.store.objects.get(keys.export(runDate, 'voice', c.index)) ?? '').trim().split('\n').slice(1)).filter(Boolean);
    const planned = [...w.actions.items.values()].filter((a) => a.channel === 'voice');
    expect(voice).toHaveLength(planned.length);
    for (const row of voice) expect(row).toMatch(/^\d{4}-\d{2}-\d{2}#/);
    const decisions = fetched.chunks.flatMap((c) => parseJsonl<{ reasons: string[] }>(w.store.objects.get(keys.decisions(runDate, c.index))!));
    expect(decisions).toHaveLength(fetched.accounts);
    for (const d of decisions) expect(d.reasons.length).toBeGreaterThan(0);
  });
});
