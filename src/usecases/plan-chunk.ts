import type { Account, Channel } from '../domain/portfolio/account';
import { csvCell, defuseFormula } from '../domain/portfolio/rejects';
import { decide, mergeHistory, stoppedByLenderFlags } from '../domain/strategy/engine';
import { historyWindowDays, type ContactPolicy } from '../domain/strategy/policy';
import type { Action, ChannelRanker, Decision } from '../domain/strategy/types';
import { createThompsonRanker, statsFromSummedCounters, voiceStatsFromHistory, type PreferencePolicy, type PreferenceRanker } from '../domain/preference';
import type { ContactRepository, ContactState, LedgerEntry, ObjectStore } from '../ports';
import type { PersistInput } from './persist-rankings';
import { loadScoredChunk } from './infer-chunk';
import { keys, toJsonl } from './keys';
import { slices } from '../adapters/dynamo-batch';

export interface StrategyInput extends PersistInput {
  persist?: { persisted: number };
  /** From Fetch: no earlier attempt of this run date exists, so no plan of today can need withdrawing. */
  firstRunOfDay?: boolean;
}

/** Accounts per pipeline step, and how many steps' contact state is read ahead. */
const PIPELINE_SLICE = 500;
const PIPELINE_READ_AHEAD = 2;

const NO_STATE: ContactState = { history: [], suppressions: { email: [], sms: [], voice: [] } };

export interface StrategyResult {
  contacted: number;
  actions: Record<Channel, number>;
  suppressed: Record<string, number>;
  actionsKey: string;
  decisionsKey: string;
}

export interface StrategyDeps {
  store: ObjectStore;
  contacts: ContactRepository;
  policy: ContactPolicy;
  /** The learned channel preference (Thompson sampling with a holdout); absent → baseline order. */
  preference?: PreferencePolicy;
  /** A fixed ranker (tests); wins over `preference`. */
  channelRanker?: ChannelRanker;
}

/**
 * One Thompson ranker per chunk, fed by the engagement counters that came with the contact state
 * (no extra read) and the voice attempts/conversations of the history. Holdout accounts stay on
 * the baseline order, so lift is measured, not assumed.
 */
function preferenceRanker(policy: PreferencePolicy, states: Map<string, ContactState>, runDate: string): PreferenceRanker {
  return createThompsonRanker({
    policy,
    statsFor: (accountId) => {
      const state = states.get(accountId);
      if (!state) return undefined;
      const stats = state.engagement ? statsFromSummedCounters(state.engagement, policy) : {};
      const voice = voiceStatsFromHistory(state.history, `${runDate}#${accountId}#`, policy);
      return voice ? { ...stats, voice } : stats;
    },
  });
}

const VOICE_HEADER =
  'action_id,account_id,customer_id,first_name,last_name,phone,timezone,send_at,segment,template,language,amount_past_due,days_past_due\n';

const dollars = (cents: number) => (cents / 100).toFixed(2);

/**
 * The dialer's call list: one row per voice action (PII stays inside the encrypted bucket).
 * Free text (names) is defused against spreadsheet formulas; the E.164 phone keeps its '+'.
 */
function voiceRow(a: Action, acc: Account): string {
  return (
    [a.actionId, acc.accountId, acc.customerId, defuseFormula(acc.firstName), defuseFormula(acc.lastName), acc.phone ?? '', a.timezone, a.sendAt, a.segment, a.template, a.language]
      .map(csvCell)
      .join(',') + `,${dollars(acc.amountPastDueCents)},${acc.daysPastDue}\n`
  );
}

/**
 * The senders' work item (issue: outreach): what a template needs, and where to send it. Built
 * field by field: the action's reasons and score stay in the actions and decisions files (the
 * audit), not in every queue message, and no copy of the whole action is made per send.
 */
function messageWork(a: Action, acc: Account) {
  return {
    actionId: a.actionId,
    accountId: a.accountId,
    runDate: a.runDate,
    channel: a.channel,
    sendAt: a.sendAt,
    timezone: a.timezone,
    segment: a.segment,
    template: a.template,
    language: a.language,
    to: a.channel === 'email' ? acc.email : acc.phone,
    customerId: acc.customerId,
    firstName: acc.firstName,
    lastName: acc.lastName,
    product: acc.product,
    amountPastDueCents: acc.amountPastDueCents,
    balanceDueCents: acc.balanceDueCents,
    daysPastDue: acc.daysPastDue,
  };
}

/**
 * A decisions-file line: the decision with its actions as ids (the actions file, written beside it,
 * holds the actions themselves): half the bytes to serialize and store per chunk.
 */
function auditLine(d: Decision, arm: string | null) {
  return {
    accountId: d.accountId,
    runDate: d.runDate,
    segment: d.segment,
    score: d.score,
    contact: d.contact,
    actionIds: d.actions.map((a) => a.actionId),
    suppressedBy: d.suppressedBy,
    reasons: d.reasons,
    // champion/challenger arm (learned | holdout), null without the learned preference: the lake's lift by arm
    arm,
  };
}

/**
 * Plans one chunk: for every scored account, decide (segment, channel, send time, compliance),
 * then write each contacted account's ledger (the day's plan + attempt history) to DynamoDB and the
 * day's work to S3 (actions, audit decisions, dialer call list, sender work).
 * Re-running the same day is idempotent: this run's own earlier attempts are replaced, not added
 * to, and every key (action, log, file) is deterministic.
 */
export async function planChunk(deps: StrategyDeps, input: StrategyInput): Promise<StrategyResult> {
  const { runDate } = input;
  const scored = await loadScoredChunk(deps.store, input.chunk.key, input.infer.scoresKey);
  // Accounts the lender's own flags stop are decided without their contact state (nothing in it can
  // lift a stop): ~15 % fewer keys read. Only on the day's first run: a re-run must read every
  // ledger, to withdraw an earlier plan of today for an account that is stopped now.
  const needsState = (s: (typeof scored)[number]) => input.firstRunOfDay !== true || !stoppedByLenderFlags(s.record.account, runDate, deps.policy);

  // The chunk is planned in slices, pipelined: the contact state of the next slices is read, and the
  // ledgers of the last ones written, while this one is decided — the database and the CPU work at
  // once instead of taking turns (a shorter Lambda in AWS; a busier emulator locally).
  const sliced = slices(scored, PIPELINE_SLICE);
  const states = new Map<string, ContactState>();
  const reads = sliced.map(() => null as Promise<void> | null);
  const readSlice = (k: number): Promise<void> => {
    if (k >= sliced.length) return Promise.resolve();
    const ids = sliced[k]!.filter(needsState).map((s) => s.record.account.accountId);
    return (reads[k] ??= ids.length === 0 ? Promise.resolve() : deps.contacts.getStates(ids).then((m) => void m.forEach((v, id) => states.set(id, v))));
  };
  const writes: Promise<void>[] = [];
  const learned = !deps.channelRanker && deps.preference ? preferenceRanker(deps.preference, states, runDate) : undefined;

  // The day's files, serialized slice by slice inside the pipeline (while the database works).
  const out = { actions: [] as string[], decisions: [] as string[], email: [] as string[], sms: [] as string[], voice: [VOICE_HEADER] };
  let contacted = 0;
  const keepDays = historyWindowDays(deps.policy);
  const suppressed: Record<string, number> = {};
  const counts: Record<Channel, number> = { email: 0, sms: 0, voice: 0 };

  try {
    for (let k = 0; k < sliced.length; k++) {
      for (let ahead = 0; ahead <= PIPELINE_READ_AHEAD; ahead++) void readSlice(k + ahead).catch(() => undefined); // awaited below
      await readSlice(k);
      const ledgers: LedgerEntry[] = [];
      const decisions: Decision[] = [];
      const actions: Action[] = [];
      for (const { record, score } of sliced[k]!) {
        const account = record.account;
        const state = states.get(account.accountId) ?? NO_STATE;
        // decide() ignores this run's own earlier attempts (a re-run of the day), never a conversation.
        const decision = decide(
          {
            account,
            score,
            runDate,
            history: state.history,
            suppressions: state.suppressions,
            ...(state.preferences ? { preferences: state.preferences } : {}),
            ...(deps.channelRanker ? { channelRanker: deps.channelRanker } : learned ? { channelRanker: learned.forAccount(account.accountId) } : {}),
          },
          deps.policy,
        );
        decisions.push(decision);
        if (decision.contact) {
          contacted++;
          for (const a of decision.actions) {
            actions.push(a);
            counts[a.channel]++;
            if (a.channel === 'voice') out.voice.push(voiceRow(a, account));
            else out[a.channel].push(JSON.stringify(messageWork(a, account)) + '\n');
          }
        } else if (decision.suppressedBy) {
          suppressed[decision.suppressedBy] = (suppressed[decision.suppressedBy] ?? 0) + 1;
        }
        // Only ledgers that change are written: a contact today, or an earlier plan of today being replaced.
        const ownPrefix = `${runDate}#${account.accountId}#`;
        const plannedBefore = state.history.some((e) => e.kind === 'attempt' && e.actionId?.startsWith(ownPrefix));
        if (decision.actions.length > 0 || plannedBefore) {
          ledgers.push({
            accountId: account.accountId,
            runDate,
            plan: decision.actions,
            attempts: mergeHistory(state.history, decision, keepDays),
          });
        }
      }
      if (ledgers.length > 0) {
        const w = deps.contacts.putLedgers(ledgers);
        w.catch(() => undefined); // awaited below; a rejection is not unhandled meanwhile
        writes.push(w);
      }
      out.actions.push(toJsonl(actions));
      out.decisions.push(toJsonl(decisions.map((d) => auditLine(d, learned ? learned.armOf(d.accountId) : null))));
    }
  } catch (err) {
    // Nothing is left running behind a failed plan: the run's retry starts from a quiet table.
    await Promise.allSettled([...reads, ...writes]);
    throw err;
  }

  const index = input.chunk.index;
  const actionsKey = keys.actions(runDate, index);
  const decisionsKey = keys.decisions(runDate, index);
  // Settled, not raced: a failed write is reported only once nothing of this plan is still in flight.
  const outcomes = await Promise.allSettled([
    ...writes,
    deps.store.putText(actionsKey, out.actions.join(''), 'application/x-ndjson'),
    deps.store.putText(decisionsKey, out.decisions.join(''), 'application/x-ndjson'),
    deps.store.putText(keys.export(runDate, 'email', index), out.email.join(''), 'application/x-ndjson'),
    deps.store.putText(keys.export(runDate, 'sms', index), out.sms.join(''), 'application/x-ndjson'),
    deps.store.putText(keys.export(runDate, 'voice', index), out.voice.join(''), 'text/csv'),
  ]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;

  return {
    contacted,
    actions: counts,
    suppressed,
    actionsKey,
    decisionsKey,
  };
}
