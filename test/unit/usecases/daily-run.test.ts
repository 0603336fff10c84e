import modelJson from '../../../model/propensity-xgb.json';
import { EmbeddedScorer } from '../../../src/adapters/scorers';
import { PortfolioFileError } from '../../../src/domain/errors';
import { workItemSchema } from '../../../src/domain/outreach/work-item';
import { XgbModel } from '../../../src/domain/model/xgboost';
import { DEFAULT_CONTACT_POLICY } from '../../../src/domain/strategy/policy';
import { assignArm, DEFAULT_PREFERENCE_POLICY } from '../../../src/domain/preference';
import { portfolioCsvLines } from '../../../src/synthetic/portfolio-generator';
import { fetchPortfolio } from '../../../src/usecases/fetch-portfolio';
import { inferChunk } from '../../../src/usecases/infer-chunk';
import { keys, parseJsonl } from '../../../src/usecases/keys';
import { notifyRun, type ChunkResult } from '../../../src/usecases/notify-run';
import { persistRankings } from '../../../src/usecases/persist-rankings';
import { planChunk } from '../../../src/usecases/plan-chunk';
import { MemoryContacts, MemoryPublisher, MemoryRankings, MemoryStore } from '../../helpers/memory-ports';

const scorer = new EmbeddedScorer(XgbModel.fromJSON(modelJson), 'test-model');

function world() {
  const contacts = new MemoryContacts();
  return {
    store: new MemoryStore(),
    rankings: new MemoryRankings(),
    contacts,
    publisher: new MemoryPublisher(),
    suppressions: (accountId: string, s: { email: string[]; sms: string[]; voice: string[] }) => contacts.suppressions.set(accountId, s),
  };
}

async function runDay(w: ReturnType<typeof world>, runDate: string, csv: string, chunkSize = 40, preference?: typeof DEFAULT_PREFERENCE_POLICY) {
  await w.store.putText(keys.portfolio(runDate), csv);
  const fetched = await fetchPortfolio({ store: w.store, chunkSize }, { runDate, executionStartTime: `${runDate}T10:00:00Z` });
  const results: ChunkResult[] = [];
  for (const chunk of fetched.chunks) {
    const infer = await inferChunk({ store: w.store, scorer }, { runDate, chunk });
    const persist = await persistRankings({ store: w.store, rankings: w.rankings }, { runDate, chunk, infer });
    const s = await planChunk(
      { store: w.store, contacts: w.contacts, policy: DEFAULT_CONTACT_POLICY, ...(preference ? { preference } : {}) },
      { runDate, chunk, infer, persist, firstRunOfDay: fetched.firstRunOfDay },
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

/** Accounts the lender's own flags stopped (decided without reading their contact state on a first run). */
const stoppedByFlags = (suppressed: Record<string, number>) =>
  ['do_not_contact', 'in_dispute', 'bankruptcy', 'promise_pending', 'nothing_past_due'].reduce((n, k) => n + (suppressed[k] ?? 0), 0);

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
    expect(summary.actions.total).toBe(w.contacts.actions().length);
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
    const ledgersBefore = JSON.stringify([...w.contacts.ledgers.entries()].sort());
    const second = await runDay(w, runDate, csv);
    expect(second.summary.actions).toEqual(first.summary.actions);
    expect(JSON.stringify([...w.contacts.ledgers.entries()].sort())).toBe(ledgersBefore);
    expect(w.rankings.items.size).toBe(first.fetched.accounts);
  });

  it('carries contact history into the next day', async () => {
    const w = world();
    await runDay(w, runDate, csv);
    const next = '2026-03-10';
    await runDay(w, next, csvOf({ accounts: 200, runDate: next, dayIndex: 1, seed: 11, malformedRate: 0.05 }));
    const withTwoDays = [...w.contacts.ledgers.values()].filter((l) => new Set(l.attempts.map((e) => e.actionId?.slice(0, 10))).size === 2);
    expect(withTwoDays.length).toBeGreaterThan(0);
  });

  it('honours inbound signals the next day: a phone conversation stops calls, an opted-out number gets no SMS', async () => {
    const next = '2026-03-10';
    const nextCsv = csvOf({ accounts: 200, runDate: next, dayIndex: 1, seed: 11, malformedRate: 0.05 });
    const control = world();
    await runDay(control, runDate, csv);
    await runDay(control, next, nextCsv);
    const day2 = control.contacts.actions().filter((a) => a.runDate === next);
    const called = day2.find((a) => a.channel === 'voice')!.accountId;
    const texted = day2.find((a) => a.channel === 'sms' && a.accountId !== called)!.accountId;

    const treated = world();
    await runDay(treated, runDate, csv);
    treated.contacts.conversations.set(called, [`${runDate}T18:00:00.000Z`]);
    const phone = (await treated.store.getText(keys.chunk(runDate, 0)))
      .split('\n')
      .concat((await treated.store.getText(keys.chunk(runDate, 1))).split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { account: { accountId: string; phone: string } })
      .find((r) => r.account.accountId === texted)!.account.phone;
    treated.suppressions(texted, { email: [], sms: [phone], voice: [] });
    await runDay(treated, next, nextCsv);
    const after = treated.contacts.actions().filter((a) => a.runDate === next);
    expect(after.some((a) => a.accountId === called && a.channel === 'voice')).toBe(false);
    expect(after.some((a) => a.accountId === texted && a.channel === 'sms')).toBe(false);
    // Everyone else is planned exactly as in the control world.
    const others = (xs: typeof after) => xs.filter((a) => a.accountId !== called && a.accountId !== texted).map((a) => a.actionId).sort();
    expect(others(after)).toEqual(others(day2));
  });

  it('the learned preference follows engagement history; the holdout stays on the baseline order', async () => {
    const w = world();
    // Everyone answers texts and ignores email.
    const engagement = { email: { counts: { delivered: 40, click: 0 } }, sms: { counts: { delivered: 40, reply: 30 } } };
    for (const line of csv.split('\n').slice(1)) {
      const id = line.split(',')[0];
      if (id) w.contacts.engagement.set(id, engagement);
    }
    await runDay(w, runDate, csv, 40, DEFAULT_PREFERENCE_POLICY);
    const arm = (id: string) => assignArm(id, DEFAULT_PREFERENCE_POLICY.experiment);
    const smsShare = (which: 'learned' | 'holdout') => {
      const plans = [...w.contacts.ledgers.values()].filter((l) => arm(l.accountId) === which && l.plan.some((a) => a.channel === 'email' || a.channel === 'sms'));
      const withSms = plans.filter((l) => l.plan.some((a) => a.channel === 'sms'));
      return { n: plans.length, share: withSms.length / Math.max(1, plans.length) };
    };
    const learned = smsShare('learned');
    const holdout = smsShare('holdout');
    expect(learned.n).toBeGreaterThan(20);
    expect(holdout.n).toBeGreaterThan(0);
    // Texts are chosen more often where the model learned that texts get answers.
    expect(learned.share).toBeGreaterThan(holdout.share);
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
    const planned = w.contacts.actions().filter((a) => a.channel === 'voice');
    expect(voice).toHaveLength(planned.length);
    for (const row of voice) expect(row).toMatch(/^\d{4}-\d{2}-\d{2}#/);
    const decisions = fetched.chunks.flatMap((c) => parseJsonl<{ reasons: string[] }>(w.store.objects.get(keys.decisions(runDate, c.index))!));
    expect(decisions).toHaveLength(fetched.accounts);
    for (const d of decisions) expect(d.reasons.length).toBeGreaterThan(0);
  });

  it('exports sender work items that pass the senders’ schema, one per email/SMS action, without the audit fields', async () => {
    const w = world();
    const { fetched } = await runDay(w, runDate, csv);
    const lines = fetched.chunks.flatMap((c) =>
      (['email', 'sms'] as const).flatMap((ch) => parseJsonl<Record<string, unknown>>(w.store.objects.get(keys.export(runDate, ch, c.index)) ?? '')),
    );
    const planned = w.contacts.actions().filter((a) => a.channel !== 'voice');
    expect(lines.map((l) => l.actionId).sort()).toEqual(planned.map((a) => a.actionId).sort());
    for (const line of lines) {
      expect(workItemSchema.safeParse(line).success).toBe(true);
      // reasons and score live in the actions/decisions files (the audit), not in every queue message
      expect(line).not.toHaveProperty('reasons');
      expect(line).not.toHaveProperty('score');
    }
  });

  it('on the first run of a day, reads no contact state for accounts stopped by the lender’s flags — with the same decisions', async () => {
    const w = world();
    const asked: string[] = [];
    const getStates = w.contacts.getStates.bind(w.contacts);
    w.contacts.getStates = async (ids) => (asked.push(...ids), getStates(ids));
    const { fetched, summary } = await runDay(w, runDate, csv);
    expect(fetched.firstRunOfDay).toBe(true);
    const stopped = stoppedByFlags(summary.suppressed);
    expect(stopped).toBeGreaterThan(0);
    expect(asked).toHaveLength(fetched.accounts - stopped);

    // The same day decided with every account's state read (a re-run reads all) agrees account by account.
    const decisionsOf = (x: ReturnType<typeof world>) =>
      fetched.chunks.flatMap((c) => parseJsonl<{ accountId: string; contact: boolean; suppressedBy: string | null; actionIds: string[] }>(x.store.objects.get(keys.decisions(runDate, c.index))!));
    const full = world();
    await full.store.putText(keys.chunk(runDate, 999), ''); // an earlier attempt of the day → firstRunOfDay false
    const again = await runDay(full, runDate, csv);
    expect(again.fetched.firstRunOfDay).toBe(false);
    expect(decisionsOf(full).map((d) => [d.accountId, d.contact, d.suppressedBy, d.actionIds])).toEqual(
      decisionsOf(w).map((d) => [d.accountId, d.contact, d.suppressedBy, d.actionIds]),
    );
  });

  it('a re-run of the day withdraws an earlier plan of an account the lender has stopped since', async () => {
    const w = world();
    await runDay(w, runDate, csv);
    const contacted = [...w.contacts.ledgers.values()].find((l) => l.plan.length > 0)!;
    // The lender re-sends the day's file with that account flagged do-not-contact.
    const lines = csv.split('\n');
    const header = lines[0]!.split(',');
    const dnc = header.indexOf('do_not_contact');
    const changed = lines.map((line) => {
      if (!line.startsWith(`${contacted.accountId},`)) return line;
      const cells = line.split(',');
      cells[dnc] = 'true';
      return cells.join(',');
    });
    expect(changed.join('\n')).not.toBe(csv);
    const again = await runDay(w, runDate, changed.join('\n'));
    expect(again.fetched.firstRunOfDay).toBe(false);
    expect(w.contacts.ledgers.get(contacted.accountId)!.plan).toEqual([]);
    expect(w.contacts.actions().some((a) => a.accountId === contacted.accountId)).toBe(false);
  });

  describe('a chunk larger than a pipeline slice (500 accounts)', () => {
    const bigDate = '2026-03-10';
    const bigCsv = csvOf({ accounts: 1300, runDate: bigDate, seed: 12 });

    it('reads contact state slice by slice, ahead of the decisions, and every needed account once', async () => {
      const w = world();
      const calls: { op: 'read' | 'write'; ids: string[] }[] = [];
      const getStates = w.contacts.getStates.bind(w.contacts);
      const putLedgers = w.contacts.putLedgers.bind(w.contacts);
      w.contacts.getStates = async (ids) => (calls.push({ op: 'read', ids: [...ids] }), getStates(ids));
      w.contacts.putLedgers = async (entries) => (calls.push({ op: 'write', ids: entries.map((e) => e.accountId) }), putLedgers(entries));
      const { fetched, summary } = await runDay(w, bigDate, bigCsv, 2000);
      expect(fetched.chunks).toHaveLength(1);
      const reads = calls.filter((c) => c.op === 'read');
      expect(reads).toHaveLength(3);
      for (const r of reads) expect(r.ids.length).toBeLessThanOrEqual(500);
      const asked = reads.flatMap((r) => r.ids);
      expect(new Set(asked).size).toBe(asked.length);
      expect(asked).toHaveLength(fetched.accounts - stoppedByFlags(summary.suppressed));
      // The next slices' state is asked for before the first slice's ledgers are written.
      expect(calls.slice(0, 3).map((c) => c.op)).toEqual(['read', 'read', 'read']);
      // Each slice's ledgers go in their own write, one per contacted account in all.
      const written = calls.filter((c) => c.op === 'write').flatMap((c) => c.ids);
      expect(written.sort()).toEqual([...w.contacts.ledgers.keys()].sort());
      expect(written).toHaveLength(summary.contacted);
    });

    it('plans the same as slice-sized chunks would', async () => {
      const decisionsOf = (x: ReturnType<typeof world>, chunks: { index: number }[]) =>
        chunks
          .flatMap((c) => parseJsonl<{ accountId: string; contact: boolean; suppressedBy: string | null; actionIds: string[] }>(x.store.objects.get(keys.decisions(bigDate, c.index))!))
          .map((d) => [d.accountId, d.contact, d.suppressedBy, d.actionIds]);
      const one = world();
      const many = world();
      const a = await runDay(one, bigDate, bigCsv, 2000);
      const b = await runDay(many, bigDate, bigCsv, 250);
      expect(b.fetched.chunks.length).toBeGreaterThan(1);
      expect(decisionsOf(one, a.fetched.chunks)).toEqual(decisionsOf(many, b.fetched.chunks));
      expect([...one.contacts.ledgers.entries()].sort()).toEqual([...many.contacts.ledgers.entries()].sort());
    });

    it('a failed ledger write of one slice fails the chunk (for the state machine to retry), after the other writes settled', async () => {
      const w = world();
      const putLedgers = w.contacts.putLedgers.bind(w.contacts);
      let n = 0;
      let settled = 0;
      w.contacts.putLedgers = async (entries) => {
        if (++n === 2) throw new Error('throttled');
        if (n === 3) await new Promise((r) => setTimeout(r, 50)); // still in flight when slice 2's write fails
        await putLedgers(entries);
        settled++;
      };
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        await expect(runDay(w, bigDate, bigCsv, 2000)).rejects.toThrow('throttled');
        expect(settled).toBe(2);
        await new Promise((r) => setImmediate(r));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
      expect(n).toBe(3);
      expect(settled).toBe(2);
    });

    it('a failed read fails the chunk before any ledger is written', async () => {
      const w = world();
      const putLedgers = jest.fn(w.contacts.putLedgers.bind(w.contacts));
      w.contacts.putLedgers = putLedgers;
      w.contacts.getStates = async () => {
        throw new Error('read failed');
      };
      await expect(runDay(w, bigDate, bigCsv, 2000)).rejects.toThrow('read failed');
      expect(putLedgers).not.toHaveBeenCalled();
    });
  });
});
