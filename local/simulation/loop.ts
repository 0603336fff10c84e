/**
 * The local loop between (and after) the daily runs: dispatch → real senders → SES/SMS stand-ins →
 * Kinesis/SQS → real engagement handlers, on a simulated clock, and the next day's portfolio with
 * what customers paid and promised. docs/simulation.md.
 */
import { DynamoDBClient, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DEFAULT_CONTACT_POLICY } from '../../src/domain/strategy/policy';
import type { S3ObjectStore } from '../../src/adapters/s3-object-store';
import { keys } from '../../src/usecases/keys';
import type { RunSummary } from '../../src/usecases/notify-run';
import { startEventSources, type EventSourcesOptions } from '../event-sources';
import type { LocalStack } from '../stack';
import { SimClock } from './clock';
import { EventRecorder, type EventLine } from './events';
import { computeMetrics, type PlannedAction, type SendRecord, type SimulationMetrics } from './metrics';
import { writeDayPortfolio, type AccountEffects, type DayAccount } from './portfolio';
import { addDays } from '../../src/domain/dates';
import { placeCalls, resultsCsv, type PlacedCall } from '../channels/dialer';
import type { DialerIngestResult } from '../../src/usecases/dialer/ingest-results';

export const ENGAGEMENT_FUNCTIONS = ['engagementStream', 'sesNotifications'] as const;
export const LOOP_FUNCTIONS = ['sendEmail', 'sendSms', ...ENGAGEMENT_FUNCTIONS] as const;

/** Variables the loop needs in every function: dispatch one minute ahead, so no message waits on a real DelaySeconds. */
export const LOOP_ENV_OVERRIDES: Record<string, string> = { DISPATCH_HORIZON_MINUTES: '1' };

export interface LoopOptions {
  seed: number;
  accounts: number;
  malformedRate: number;
  /** UTC hour at which each day's run plans (default 10: before 08:00 in every US zone, after 21:00 in Hawaii the day before). */
  runHourUtc?: number;
  /** Extra flush/drain steps every N simulated minutes between the send times (default 60). */
  stepMinutes?: number;
  /** Event sources' timeScale (default 0.01: a 180 s visibility timeout becomes 1.8 s). */
  timeScale?: number;
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The local loop on a started stack (without eventSources: the loop starts its own, on the simulated clock). */
export class Simulation {
  readonly clock = new SimClock();
  readonly recorder: EventRecorder;
  private readonly effects = new Map<string, AccountEffects>();
  private readonly plannedAt = new Map<string, number>();
  private readonly states = new Map<string, string>();
  private day1?: Map<string, DayAccount>;
  private last?: { accounts: Map<string, DayAccount>; paidAtWrite: Map<string, number> };
  private paymentsApplied = 0;
  private promisesApplied = 0;
  private readonly actions: PlannedAction[] = [];
  private readonly suppressed: Record<string, number> = {};
  private readonly log: (line: string) => void;
  private stepsRun = 0;
  private dispatchCalls = 0;
  /** One-click unsubscribes of the stand-ins already POSTed to the real unsubscribe function. */
  private unsubscribesApplied = 0;
  private unsubscribesRefused = 0;
  /** Every call the dialer stand-in placed, and what dialerResults made of each day's file. */
  private readonly calls: PlacedCall[] = [];
  private readonly dialerRuns: ({ runDate: string } & Pick<DialerIngestResult, 'results' | 'conversations' | 'suppressed'>)[] = [];

  private constructor(
    private readonly stack: LocalStack,
    private readonly opts: LoopOptions,
  ) {
    this.log = opts.log ?? (() => undefined);
    this.recorder = new EventRecorder((phone) => this.accountsFor(phone));
  }

  private ddb?: DynamoDBClient;
  /** The phone directory the SMS sender writes (engagement table `PHONE#<e164>` / `ACCT#<id>`). */
  private async accountsFor(phone: string): Promise<string[]> {
    this.ddb ??= new DynamoDBClient({ region: 'us-east-1', ...this.stack.clientConfig('dynamodb') });
    const res = await this.ddb.send(
      new QueryCommand({
        TableName: this.stack.functionEnv('engagementStream').ENGAGEMENT_TABLE!,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :acct)',
        ExpressionAttributeValues: { ':pk': { S: `PHONE#${phone}` }, ':acct': { S: 'ACCT#' } },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => i.accountId?.S ?? i.sk?.S?.slice(5) ?? '').filter(Boolean);
  }

  /** Sets the stand-ins' clock to the simulation's and starts the event sources with the clock-scoped invoke. */
  static async start(stack: LocalStack, opts: LoopOptions, es: EventSourcesOptions = {}): Promise<Simulation> {
    if (stack.eventSources) throw new Error('start the stack without eventSources: the simulation starts them on its clock');
    const sim = new Simulation(stack, opts);
    stack.channels.setClock(() => sim.clock.now());
    const host = {
      service: stack.service,
      cfn: stack.cfn,
      stage: stack.stage,
      clientConfig: stack.clientConfig,
      invoke: async (fn: string, event: unknown) => {
        const res = await sim.clock.run(() => stack.invoke(fn, event)).catch((e: unknown) => {
          if ((ENGAGEMENT_FUNCTIONS as readonly string[]).includes(fn)) sim.recorder.errors++;
          throw e;
        });
        if ((ENGAGEMENT_FUNCTIONS as readonly string[]).includes(fn)) await sim.recorder.record(fn, event, res, sim.clock.now());
        return res;
      },
    };
    stack.eventSources = await startEventSources(host, {
      functions: [...LOOP_FUNCTIONS],
      timeScale: opts.timeScale ?? 0.01,
      pollIntervalMs: 50,
      log: opts.log ?? (() => undefined),
      ...es,
    });
    return sim;
  }

  runAtMs(runDate: string): number {
    return Date.parse(`${runDate}T${String(this.opts.runHourUtc ?? 10).padStart(2, '0')}:00:00Z`);
  }

  /** Writes day d's portfolio (generator + effects) and hands the stand-ins the ground truth. */
  async writePortfolio(file: string, runDate: string, dayIndex: number): Promise<number> {
    this.clock.set(this.runAtMs(runDate));
    this.applyOutcomes(iso(this.runAtMs(runDate)));
    const { rows, profiles, accounts } = await writeDayPortfolio(
      file,
      { accounts: this.opts.accounts, runDate, dayIndex, seed: this.opts.seed, malformedRate: this.opts.malformedRate },
      this.effects,
    );
    this.stack.channels.setProfiles(profiles);
    for (const a of accounts.values()) this.states.set(a.accountId, a.state);
    if (!this.day1) this.day1 = accounts;
    this.last = { accounts, paidAtWrite: new Map([...this.effects].map(([k, e]) => [k, e.paidCents])) };
    return rows;
  }

  /** Payments and promises released so far, not yet applied: into the effects and events.jsonl. */
  private applyOutcomes(appliedAt: string): void {
    const payments = this.stack.channels.payments();
    for (const p of payments.slice(this.paymentsApplied)) {
      const e = this.effects.get(p.accountId) ?? { paidCents: 0 };
      e.paidCents += p.amountCents;
      e.lastPaymentDate = p.at.slice(0, 10);
      e.lastPaymentCents = p.amountCents;
      this.effects.set(p.accountId, e);
      this.recorder.addOutcome('payment', p, appliedAt);
    }
    this.paymentsApplied = payments.length;
    const promises = this.stack.channels.promises();
    for (const p of promises.slice(this.promisesApplied)) {
      const e = this.effects.get(p.accountId) ?? { paidCents: 0 };
      if (!e.promisedDate || p.promisedDate > e.promisedDate) e.promisedDate = p.promisedDate;
      this.effects.set(p.accountId, e);
      this.recorder.addOutcome('promise', p, appliedAt);
    }
    this.promisesApplied = promises.length;
  }

  /** After day d's run: its actions, then the day on the clock until the next day's run. */
  async afterRun(store: S3ObjectStore, runDate: string, summary: RunSummary): Promise<void> {
    const planned = this.runAtMs(runDate);
    this.plannedAt.set(runDate, planned);
    for (const [k, v] of Object.entries(summary.suppressed)) this.suppressed[k] = (this.suppressed[k] ?? 0) + v;
    const manifest = JSON.parse(await store.getText(keys.manifest(runDate))) as { actions?: string[]; parts?: { voice?: string[] } };
    const instants = new Set<number>();
    for (const key of manifest.actions ?? []) {
      for (const line of (await store.getText(key)).split('\n')) {
        if (!line.trim()) continue;
        const a = JSON.parse(line) as PlannedAction & { reasons?: string[] };
        const ranker = a.reasons?.map((r) => /ranker=([\w-]+)/.exec(r)?.[1]).find(Boolean);
        this.actions.push({ actionId: a.actionId, accountId: a.accountId, runDate: a.runDate, channel: a.channel, sendAt: a.sendAt, timezone: a.timezone, segment: a.segment, ...(ranker ? { ranker } : {}) });
        if (a.channel !== 'voice') instants.add(Date.parse(a.sendAt));
      }
    }
    const dayEnd = this.runAtMs(addDays(runDate, 1));
    const step = (this.opts.stepMinutes ?? 60) * 60_000;
    const times = new Set<number>(instants);
    for (let t = planned + step; t < dayEnd; t += step) times.add(t);
    const t0 = Date.now();
    for (const t of [...times].filter((x) => x >= planned && x < dayEnd).sort((a, b) => a - b)) {
      this.clock.set(t);
      const f = await this.stack.channels.flush(t);
      await this.applyUnsubscribes(t);
      // What customers did up to T is processed before the sends due at T (in AWS it is a race).
      if (instants.has(t) && f.kinesis + f.sesNotifications + f.smsInbound > 0) await this.drain();
      if (instants.has(t)) {
        this.dispatchCalls++;
        // Dispatch takes `now` in its event: it runs on the wall clock (its S3 client is shared with
        // the daily run's functions, and the SDK would learn a clock offset from s3rver's Date header).
        await this.stack.invoke('dispatch', { runDate, now: iso(t) });
      }
      await this.drain();
      this.stepsRun++;
    }
    const late = [...instants].filter((x) => x < planned || x >= dayEnd).length;
    if (late) this.log(`[${runDate}] warning: ${late} send times outside the simulated day were not dispatched`);
    this.clock.set(dayEnd);
    await this.stack.channels.flush(dayEnd);
    await this.applyUnsubscribes(dayEnd);
    await this.drain();
    await this.dial(store, runDate, manifest.parts?.voice ?? []);
    const s = this.stack.channels.stats();
    this.log(`[${runDate}] loop: ${times.size} steps in ${Date.now() - t0} ms; stand-ins accepted ${s.email} emails, ${s.sms} texts so far; ${this.recorder.lines.length} events processed, ${this.stack.channels.payments().length} payments`);
  }

  /**
   * The mailbox provider's one-click POST (List-Unsubscribe-Post) for every unsubscribe the
   * stand-ins released, through the real `unsubscribe` function: it suppresses the address at once.
   */
  private async applyUnsubscribes(_nowMs: number): Promise<void> {
    const all = this.stack.channels.unsubscribes();
    for (const u of all.slice(this.unsubscribesApplied + this.unsubscribesRefused)) {
      const url = new URL(u.url);
      // On the simulated clock: the endpoint stamps the opt-out it emits to the lake with its `now`.
      const appliedAt = this.clock.now();
      const res = (await this.clock.run(() => this.stack.invoke('unsubscribe', {
        version: '2.0',
        routeKey: 'POST /unsubscribe',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        queryStringParameters: Object.fromEntries(url.searchParams),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        requestContext: { http: { method: 'POST', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'mailbox-provider' }, routeKey: 'POST /unsubscribe', stage: '$default' },
        body: 'List-Unsubscribe=One-Click',
        isBase64Encoded: false,
      }))) as { statusCode?: number } | null;
      if (res?.statusCode === 200 && u.accountId && u.actionId) {
        this.unsubscribesApplied++;
        // The POST is the opt-out (the mailbox provider sends it when the person clicks): it happened and was processed then.
        this.recorder.addUnsubscribe({ accountId: u.accountId, at: new Date(appliedAt).toISOString(), actionId: u.actionId }, new Date(appliedAt).toISOString());
      } else this.unsubscribesRefused++;
    }
  }

  /**
   * The dialer stand-in works the day's call list and, before the next run, drops its results file
   * where a real dialer would; the real dialerResults function applies it (conversations → the
   * Regulation F cooldown, cease / wrong number → the number is never called again).
   */
  private async dial(store: S3ObjectStore, runDate: string, parts: readonly string[]): Promise<void> {
    const calls: PlacedCall[] = [];
    for (const key of parts) calls.push(...placeCalls(await store.getText(key), this.opts.seed));
    if (calls.length === 0) return;
    this.calls.push(...calls);
    const key = `inbox/dialer-results/${runDate}/sim-dialer.csv`;
    await store.putText(key, resultsCsv(calls), 'text/csv');
    const bucket = this.stack.functionEnv('dialerResults').DATA_BUCKET!;
    // On the wall clock, like dispatch (its S3 client is shared with the daily run's functions); the
    // event's `time` is the simulated arrival, which bounds the rows' attempted_at.
    const res = (await this.stack.invoke('dialerResults', {
      version: '0',
      id: `sim-${runDate}`,
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: iso(this.clock.now()),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: { version: '0', bucket: { name: bucket }, object: { key }, reason: 'PutObject' },
    })) as DialerIngestResult;
    this.dialerRuns.push({ runDate, results: res.results, conversations: res.conversations, suppressed: res.suppressed });
  }

  private async drain(): Promise<void> {
    await this.stack.eventSources!.drain({ timeoutMs: this.opts.drainTimeoutMs ?? 120_000 });
  }

  /** The send ledger (sends table), without the dispatcher's markers. */
  async sendLedger(): Promise<Map<string, SendRecord>> {
    const ddb = new DynamoDBClient({ region: 'us-east-1', ...this.stack.clientConfig('dynamodb') });
    const out = new Map<string, SendRecord>();
    try {
      let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
      do {
        const res = await ddb.send(
          new ScanCommand({
            TableName: this.stack.functionEnv('sendEmail').SENDS_TABLE!,
            ProjectionExpression: 'actionId, #s, reason, completedAt',
            ExpressionAttributeNames: { '#s': 'status' },
            ExclusiveStartKey,
          }),
        );
        for (const i of res.Items ?? []) {
          const actionId = i.actionId?.S;
          if (!actionId || actionId.startsWith('dispatch#')) continue;
          out.set(actionId, {
            actionId,
            status: i.status?.S ?? 'unknown',
            ...(i.reason?.S ? { reason: i.reason.S } : {}),
            ...(i.completedAt?.S ? { completedAt: i.completedAt.S } : {}),
          });
        }
        ExclusiveStartKey = res.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    } finally {
      ddb.destroy();
      this.ddb?.destroy();
      this.ddb = undefined;
    }
    return out;
  }

  /** The figures of the whole simulation (after the last day). */
  async finish(): Promise<{ metrics: SimulationMetrics; events: EventLine[]; sends: Map<string, SendRecord>; loop: Record<string, unknown> }> {
    this.applyOutcomes(iso(this.clock.now()));
    const sends = await this.sendLedger();
    const final = new Map<string, { pastDueCents: number; finalPastDueCents: number }>();
    for (const [id, d] of this.day1 ?? []) {
      const last = this.last?.accounts.get(id);
      const paidSince = (this.effects.get(id)?.paidCents ?? 0) - (this.last?.paidAtWrite.get(id) ?? 0);
      const base = last ? last.pastDueCents : d.pastDueCents - (this.effects.get(id)?.paidCents ?? 0);
      final.set(id, { pastDueCents: d.pastDueCents, finalPastDueCents: Math.max(0, base - (last ? paidSince : 0)) });
    }
    const stats = this.stack.channels.stats();
    const engagementEnv = this.stack.functionEnv('engagementStream');
    const metrics = computeMetrics({
      actions: this.actions,
      sends,
      events: this.recorder.lines,
      accepted: { email: stats.email, sms: stats.sms },
      plannedAt: this.plannedAt,
      day1: final,
      states: this.states,
      suppressed: this.suppressed,
      contactWindow: DEFAULT_CONTACT_POLICY.contactWindow,
      calls: this.calls,
      conversationCooldownDays: DEFAULT_CONTACT_POLICY.regF.conversationCooldownDays,
      regFCallsPer7Days: DEFAULT_CONTACT_POLICY.regF.callsPer7Days,
      maCallsAndTextsPer7Days: DEFAULT_CONTACT_POLICY.statePolicies.MA?.callsAndTextsPer7Days ?? 2,
      transient: { limit: Number(engagementEnv.TRANSIENT_FAILURE_LIMIT ?? 3), windowDays: Number(engagementEnv.TRANSIENT_FAILURE_WINDOW_DAYS ?? 7) },
    });
    const es = this.stack.eventSources?.stats() ?? [];
    const loop = {
      steps: this.stepsRun,
      dispatchCalls: this.dispatchCalls,
      engagementHandlerErrors: this.recorder.errors,
      unattributedEvents: this.recorder.unattributed,
      invocations: Object.fromEntries(es.map((m) => [m.functionName, { invocations: m.invocations, records: m.records, failed: m.failedInvocations, onFailure: m.onFailureSent }])),
      unsubscribeLinkClicks: this.stack.channels.unsubscribes().length,
      unsubscribesApplied: this.unsubscribesApplied,
      unsubscribesRefused: this.unsubscribesRefused,
      // The dialer stand-in's calls and what the real dialerResults function recorded of them, per day.
      dialer: {
        calls: this.calls.length,
        outcomes: this.calls.reduce<Record<string, number>>((m, c) => ((m[c.outcome] = (m[c.outcome] ?? 0) + 1), m), {}),
        days: this.dialerRuns,
      },
    };
    return { metrics, events: this.recorder.lines, sends, loop };
  }

  /** Every planned action with what happened to it (for actions.jsonl): ledger status and reason, when it was planned. */
  outcomeOf(actionId: string, sends: Map<string, SendRecord>): Record<string, unknown> {
    const s = sends.get(actionId);
    return s ? { status: s.status, ...(s.reason ? { reason: s.reason } : {}), ...(s.completedAt ? { at: s.completedAt } : {}) } : { status: 'not_sent' };
  }

  /** Every email/SMS/voice action the runs planned (the analytics lake's sends). */
  get plannedActions(): readonly PlannedAction[] {
    return this.actions;
  }

  plannedAtOf(runDate: string): string | undefined {
    const t = this.plannedAt.get(runDate);
    return t === undefined ? undefined : iso(t);
  }
}

