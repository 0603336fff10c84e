/**
 * Channel stand-ins of the local stack: SES v2 and End User Messaging SMS endpoints that accept the
 * senders' messages, plan what the synthetic customer does (behaviour.ts) on the simulation's
 * clock, and on `flush(until)` deliver it in AWS's own formats into the stack's real resources:
 *  - SES event publishing → EventBridge event → Kinesis `…-engagement` (partition key = account);
 *  - SES bounce/complaint feedback → SNS envelope → the SQS queue subscribed to `…-ses-notifications`;
 *  - SMS status → EventBridge event → Kinesis;
 *  - two-way SMS replies → SNS envelope → the SQS queue subscribed to `…-sms-inbound`.
 * Payments, promises and one-click unsubscribes have no AWS event: they are kept for the
 * simulation (`payments()`, `promises()`, `unsubscribes()`). docs/local-stack.md.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelRequestError, startChannelEndpoint, type ChannelEndpoint } from './endpoint';
import {
  eventBridgeEvent,
  inboundSms,
  sesEventRecord,
  sesMessageId,
  sesNotification,
  snsEnvelope,
  smsStatusEvent,
  SES_DETAIL_TYPE,
  uuidOf,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type AcceptedEmail,
  type AcceptedSms,
  type SesEventType,
} from './formats';
import {
  behaviourConfig,
  fallbackP30,
  planEmail,
  planOutcome,
  planSms,
  SERVICE_OPT_OUT_KEYWORDS,
  type AccountProfile,
  type BehaviourConfig,
  type BehaviourOverrides,
} from './behaviour';

export * from './behaviour';
export { parseSendEmail, parseSendText, ChannelRequestError } from './endpoint';

export interface ChannelTargets {
  /** Kinesis stream the EventBridge rule targets (SES events, SMS status). */
  engagementStream?: string;
  /** SQS queue subscribed to the SES notifications topic, its topic ARN, raw delivery. */
  sesNotificationsQueueUrl?: string;
  sesNotificationsTopicArn?: string;
  sesNotificationsRaw?: boolean;
  /** SQS queue subscribed to the two-way SMS topic, its topic ARN, raw delivery. */
  smsInboundQueueUrl?: string;
  smsInboundTopicArn?: string;
  smsInboundRaw?: boolean;
  /** Feedback types the identity publishes to the topic (default Bounce, Complaint). */
  sesNotificationTypes?: ('Bounce' | 'Complaint' | 'Delivery')[];
}

export interface ChannelsOptions {
  /** Seed of every behaviour draw (default 1). */
  seed?: number;
  behaviour?: BehaviourOverrides;
  /** The simulated clock (epoch ms); default the wall clock. */
  now?: () => number;
  /** The account's ground-truth profile (see profileFromAccount); without one p30 is drawn from the account id. */
  profiles?: (accountId: string) => AccountProfile | undefined;
  targets?: ChannelTargets;
  /** Where accepted messages are recorded (`<dir>/channels/{email,sms}.jsonl`); none: not recorded. */
  dataDir?: string;
  /** SDK client settings of the stack's emulators (Kinesis, SQS). */
  clientConfig?: (service: 'kinesis' | 'sqs') => Record<string, unknown>;
  /** Keep every released record in memory (`released()`): tests. */
  keepReleased?: boolean;
  log?: (line: string) => void;
}

export interface ReleasedRecord {
  at: number;
  target: 'kinesis' | 'ses-notifications' | 'sms-inbound';
  /** Kinesis partition key (the account). */
  partitionKey?: string;
  /** The Kinesis data / SQS body, as JSON text. */
  body: string;
  /** What it is: e.g. `Email Delivered`, `TEXT_DELIVERED`, `Bounce notification`, `inbound`. */
  kind: string;
  accountId?: string;
}

export interface Payment {
  accountId: string;
  at: string;
  amountCents: number;
  channel: 'email' | 'sms';
  actionId?: string;
}
export interface PromiseToPay {
  accountId: string;
  at: string;
  promisedDate: string;
  amountCents: number;
  channel: 'email' | 'sms';
  actionId?: string;
}
export interface Unsubscribe {
  accountId?: string;
  at: string;
  /** The List-Unsubscribe HTTPS URL to POST `List-Unsubscribe=One-Click` to. */
  url: string;
  actionId?: string;
}

export interface FlushReport {
  until: string;
  kinesis: number;
  sesNotifications: number;
  smsInbound: number;
  /** Records whose target is not resolved (no stream/queue): counted, not delivered. */
  undeliverable: number;
  payments: number;
  promises: number;
  unsubscribes: number;
}

interface Planned {
  at: number;
  order: string;
  record?: Omit<ReleasedRecord, 'at'>;
  payment?: Payment;
  promise?: PromiseToPay;
  unsubscribe?: Unsubscribe;
}

const toMs = (t: number | string | Date) => (typeof t === 'number' ? t : new Date(t).getTime());

export class ChannelSimulator {
  readonly seed: number;
  readonly behaviour: BehaviourConfig;
  private now: () => number;
  private profiles: (accountId: string) => AccountProfile | undefined;
  private targets: ChannelTargets;
  private planned: Planned[] = [];
  private flushedUntil = -Infinity;
  private readonly paymentsList: Payment[] = [];
  private readonly promisesList: PromiseToPay[] = [];
  private readonly unsubscribesList: Unsubscribe[] = [];
  private readonly releasedList: ReleasedRecord[] = [];
  private readonly optOuts = new Map<string, number>();
  private readonly sendCounts = new Map<string, number>();
  private readonly counts = { email: 0, sms: 0, rejected: 0 };
  private clients?: { kinesis: import('@aws-sdk/client-kinesis').KinesisClient; sqs: import('@aws-sdk/client-sqs').SQSClient; k: typeof import('@aws-sdk/client-kinesis'); s: typeof import('@aws-sdk/client-sqs') };
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ChannelsOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.behaviour = behaviourConfig(opts.behaviour);
    this.now = opts.now ?? Date.now;
    this.profiles = opts.profiles ?? (() => undefined);
    this.targets = { ...opts.targets };
    if (opts.dataDir) mkdirSync(join(opts.dataDir, 'channels'), { recursive: true });
  }

  /** The simulation's clock (epoch ms). Messages are stamped with it when accepted. */
  setClock(now: () => number): void {
    this.now = now;
  }
  setProfiles(profiles: ((accountId: string) => AccountProfile | undefined) | Map<string, AccountProfile>): void {
    this.profiles = profiles instanceof Map ? (id) => profiles.get(id) : profiles;
  }
  setTargets(t: ChannelTargets): void {
    this.targets = { ...this.targets, ...t };
  }
  getTargets(): ChannelTargets {
    return { ...this.targets };
  }
  stats() {
    return { ...this.counts, pending: this.planned.length, optedOutNumbers: this.optOuts.size };
  }

  private record(channel: 'email' | 'sms', m: object) {
    if (this.opts.dataDir) appendFileSync(join(this.opts.dataDir, 'channels', `${channel}.jsonl`), JSON.stringify(m) + '\n');
  }

  private p30(accountId: string | undefined): AccountProfile {
    const p = accountId ? this.profiles(accountId) : undefined;
    return p ?? { p30: fallbackP30(this.seed, accountId ?? '') };
  }

  /** Message ids are deterministic: (seed, action/account, recipient, n-th send of it). */
  private nextId(...parts: string[]): string {
    const key = parts.join('|');
    const n = (this.sendCounts.get(key) ?? 0) + 1;
    this.sendCounts.set(key, n);
    return `${key}|${n}`;
  }

  acceptEmail(req: Omit<AcceptedEmail, 'messageId' | 'sentAt'>): { messageId: string } {
    const sentAt = this.now();
    const accountId = req.tags.account;
    const actionId = req.tags.action;
    const messageId = sesMessageId(this.seed, this.nextId(actionId ?? accountId ?? '', req.to.join(',')));
    const m: AcceptedEmail = { ...req, messageId, sentAt };
    this.counts.email++;
    this.record('email', m);
    const facts = { channel: 'email' as const, seed: this.seed, accountId, actionId, address: m.to[0]!.toLowerCase(), sentAt };
    const profile = this.p30(accountId);
    const plan = planEmail(facts, this.behaviour, profile.p30);
    const notify = new Set(this.targets.sesNotificationTypes ?? ['Bounce', 'Complaint']);
    plan.forEach((e, i) => {
      const extra = e.type === 'Bounce' ? { bounceType: e.bounceType } : {};
      const order = `${messageId}#${i}`;
      if (e.type === 'Subscription' && !m.listManagement) {
        // Our own List-Unsubscribe link, not SES list management: the customer POSTs to it.
        if (m.unsubscribeUrl) this.push({ at: e.at, order, unsubscribe: { ...(accountId ? { accountId } : {}), at: new Date(e.at).toISOString(), url: m.unsubscribeUrl, ...(actionId ? { actionId } : {}) } });
        return;
      }
      const detail = sesEventRecord(e.type, m, e.at, extra);
      this.push({ at: e.at, order, record: { target: 'kinesis', kind: SES_DETAIL_TYPE[e.type], partitionKey: accountId ?? messageId, body: JSON.stringify(eventBridgeEvent('aws.ses', SES_DETAIL_TYPE[e.type], e.at, detail)), ...(accountId ? { accountId } : {}) } });
      if ((e.type === 'Bounce' || e.type === 'Complaint' || e.type === 'Delivery') && notify.has(e.type)) {
        const n = sesNotification(e.type, m, e.at, extra);
        const topic = this.targets.sesNotificationsTopicArn ?? `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:ses-notifications`;
        const body = this.targets.sesNotificationsRaw ? JSON.stringify(n) : JSON.stringify(snsEnvelope(topic, n, e.at + 150));
        this.push({ at: e.at + 150, order: `${order}n`, record: { target: 'ses-notifications', kind: `${e.type} notification`, body, ...(accountId ? { accountId } : {}) } });
      }
    });
    this.outcome('email', facts, profile, plan, []);
    return { messageId };
  }

  acceptSms(req: Omit<AcceptedSms, 'messageId' | 'sentAt'>): { messageId: string } {
    const sentAt = this.now();
    const optedOutAt = this.optOuts.get(req.to);
    if (optedOutAt !== undefined && optedOutAt <= sentAt) {
      this.counts.rejected++;
      throw new ChannelRequestError(400, 'ConflictException', 'The destination phone number is opted out', {
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        ResourceType: 'opt-out-list',
        ResourceId: 'Default',
      });
    }
    // The sender puts accountId/actionId in Context; the engagement docs read account/action: both accepted.
    const accountId = req.context.account ?? req.context.accountId;
    const actionId = req.context.action ?? req.context.actionId;
    const messageId = uuidOf('sms', this.seed, this.nextId(actionId ?? accountId ?? '', req.to));
    const m: AcceptedSms = { ...req, messageId, sentAt };
    this.counts.sms++;
    this.record('sms', m);
    const facts = { channel: 'sms' as const, seed: this.seed, accountId, actionId, address: req.to, sentAt };
    const profile = this.p30(accountId);
    const plan = planSms(facts, this.behaviour);
    plan.forEach((e, i) => {
      const order = `${messageId}#${i}`;
      if (e.type === 'status') {
        const detail = smsStatusEvent(m, e.status, e.at);
        this.push({ at: e.at, order, record: { target: 'kinesis', kind: e.status, partitionKey: accountId ?? req.to, body: JSON.stringify(eventBridgeEvent('aws.sms-voice', 'Text Message Delivery Status Updated', e.at, detail)), ...(accountId ? { accountId } : {}) } });
        return;
      }
      const keyword = e.body.trim().toUpperCase().replace(/[^A-Z -]/g, '').trim();
      const serviceKeyword = SERVICE_OPT_OUT_KEYWORDS.has(keyword.replace(/ /g, '')) ? keyword : undefined;
      // The service itself opts the number out on its registered keywords (later sends: ConflictException).
      if (serviceKeyword) this.optOuts.set(req.to, Math.min(this.optOuts.get(req.to) ?? Infinity, e.at));
      const payload = inboundSms(m, e.body, serviceKeyword);
      const topic = this.targets.smsInboundTopicArn ?? `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:sms-inbound`;
      const body = this.targets.smsInboundRaw ? JSON.stringify(payload) : JSON.stringify(snsEnvelope(topic, payload, e.at));
      this.push({ at: e.at, order, record: { target: 'sms-inbound', kind: e.revocation ? 'inbound revocation' : 'inbound reply', body, ...(accountId ? { accountId } : {}) } });
    });
    this.outcome('sms', facts, profile, [], plan);
    return { messageId };
  }

  private outcome(channel: 'email' | 'sms', facts: Parameters<typeof planOutcome>[0], profile: AccountProfile, email: Parameters<typeof planOutcome>[3], sms: Parameters<typeof planOutcome>[4]) {
    if (!facts.accountId) return;
    const o = planOutcome(facts, this.behaviour, profile, email, sms);
    const base = { accountId: facts.accountId, channel, ...(facts.actionId ? { actionId: facts.actionId } : {}) };
    const order = `${facts.accountId}|${facts.actionId ?? ''}|${channel}`;
    if (o.payment) this.push({ at: o.payment.at, order: `${order}|pay`, payment: { ...base, at: new Date(o.payment.at).toISOString(), amountCents: o.payment.amountCents } });
    if (o.promise) this.push({ at: o.promise.at, order: `${order}|promise`, promise: { ...base, at: new Date(o.promise.at).toISOString(), promisedDate: o.promise.promisedDate, amountCents: o.promise.amountCents } });
  }

  private push(p: Planned) {
    // Planned before the last flush (a message accepted "in the past"): released by the next flush.
    this.planned.push(p);
  }

  /** Planned events not yet released. */
  pending(): number {
    return this.planned.length;
  }

  /**
   * Releases everything planned at or before `until` (default: the clock's now), in time order:
   * records to Kinesis / SQS, payments, promises and unsubscribes to their lists. Serialised.
   */
  flush(until?: number | string | Date): Promise<FlushReport> {
    const run = this.flushing.then(() => this.flushNow(until === undefined ? this.now() : toMs(until)));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async flushNow(until: number): Promise<FlushReport> {
    const due: Planned[] = [];
    const keep: Planned[] = [];
    for (const p of this.planned) (p.at <= until ? due : keep).push(p);
    due.sort((a, b) => a.at - b.at || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const report: FlushReport = { until: new Date(until).toISOString(), kinesis: 0, sesNotifications: 0, smsInbound: 0, undeliverable: 0, payments: 0, promises: 0, unsubscribes: 0 };
    const kinesis: ReleasedRecord[] = [];
    const queues = { 'ses-notifications': [] as ReleasedRecord[], 'sms-inbound': [] as ReleasedRecord[] };
    for (const p of due) {
      if (p.payment) (this.paymentsList.push(p.payment), report.payments++);
      if (p.promise) (this.promisesList.push(p.promise), report.promises++);
      if (p.unsubscribe) (this.unsubscribesList.push(p.unsubscribe), report.unsubscribes++);
      if (!p.record) continue;
      const r: ReleasedRecord = { at: p.at, ...p.record };
      if (this.opts.keepReleased) this.releasedList.push(r);
      if (r.target === 'kinesis') kinesis.push(r);
      else queues[r.target].push(r);
    }
    const stream = this.targets.engagementStream;
    const sesQueue = this.targets.sesNotificationsQueueUrl;
    const smsQueue = this.targets.smsInboundQueueUrl;
    const deliverable = (this.opts.clientConfig !== undefined) as boolean;
    if (deliverable && stream) report.kinesis = await this.putKinesis(stream, kinesis);
    else report.undeliverable += kinesis.length;
    if (deliverable && sesQueue) report.sesNotifications = await this.sendSqs(sesQueue, queues['ses-notifications']);
    else report.undeliverable += queues['ses-notifications'].length;
    if (deliverable && smsQueue) report.smsInbound = await this.sendSqs(smsQueue, queues['sms-inbound']);
    else report.undeliverable += queues['sms-inbound'].length;
    // Only once delivered: a failed flush keeps nothing half-released in the plan twice.
    this.planned = keep;
    this.flushedUntil = Math.max(this.flushedUntil, until);
    if (due.length) this.opts.log?.(`channels: flushed to ${report.until}: ${report.kinesis} Kinesis, ${report.sesNotifications + report.smsInbound} SQS, ${report.undeliverable} undeliverable, ${report.payments} payments, ${report.promises} promises`);
    return report;
  }

  private async sdk() {
    if (!this.clients) {
      const [k, s] = await Promise.all([import('@aws-sdk/client-kinesis'), import('@aws-sdk/client-sqs')]);
      this.clients = { k, s, kinesis: new k.KinesisClient(this.opts.clientConfig!('kinesis')), sqs: new s.SQSClient(this.opts.clientConfig!('sqs')) };
    }
    return this.clients;
  }

  /** PutRecords in batches of ≤ 500 records / 5 MB, resending the entries that failed. */
  private async putKinesis(stream: string, records: ReleasedRecord[]): Promise<number> {
    const { kinesis, k } = await this.sdk();
    for (let i = 0; i < records.length; ) {
      let batch: ReleasedRecord[] = [];
      let bytes = 0;
      while (i < records.length && batch.length < 500 && bytes + records[i]!.body.length < 4_500_000) {
        bytes += records[i]!.body.length + (records[i]!.partitionKey?.length ?? 0);
        batch.push(records[i++]!);
      }
      for (let round = 0; batch.length > 0; round++) {
        if (round > 8) throw new Error(`channels: ${batch.length} Kinesis records still failing after ${round} rounds`);
        const out = await kinesis.send(new k.PutRecordsCommand({ StreamName: stream, Records: batch.map((r) => ({ Data: Buffer.from(r.body), PartitionKey: (r.partitionKey ?? 'none').slice(0, 256) })) }));
        batch = out.FailedRecordCount ? batch.filter((_, j) => out.Records?.[j]?.ErrorCode) : [];
        if (batch.length) await new Promise((r) => setTimeout(r, 50 * (round + 1)));
      }
    }
    return records.length;
  }

  /** SendMessageBatch of ≤ 10, resending failed entries (SNS → SQS delivery retries too). */
  private async sendSqs(queueUrl: string, records: ReleasedRecord[]): Promise<number> {
    const { sqs, s } = await this.sdk();
    for (let i = 0; i < records.length; i += 10) {
      let batch = records.slice(i, i + 10).map((r, j) => ({ Id: `m${j}`, MessageBody: r.body }));
      for (let round = 0; batch.length > 0; round++) {
        if (round > 8) throw new Error(`channels: ${batch.length} SQS messages still failing after ${round} rounds`);
        const out = await sqs.send(new s.SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        batch = batch.filter((b) => failed.has(b.Id));
      }
    }
    return records.length;
  }

  /** Payments released so far (at or before the last flush), at most one per account and UTC day (the earliest). */
  payments(): Payment[] {
    const best = new Map<string, Payment>();
    for (const p of this.paymentsList) {
      const key = `${p.accountId}|${p.at.slice(0, 10)}`;
      const cur = best.get(key);
      if (!cur || p.at < cur.at || (p.at === cur.at && p.channel < cur.channel)) best.set(key, p);
    }
    return [...best.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.accountId < b.accountId ? -1 : 1));
  }
  promises(): PromiseToPay[] {
    return [...this.promisesList].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.accountId < b.accountId ? -1 : 1));
  }
  unsubscribes(): Unsubscribe[] {
    return [...this.unsubscribesList];
  }
  /** Released records (only with `keepReleased`). */
  released(): ReleasedRecord[] {
    return [...this.releasedList];
  }
  /** The simulated instant up to which everything has been released. */
  releasedUntil(): number {
    return this.flushedUntil;
  }

  destroy(): void {
    this.clients?.kinesis.destroy();
    this.clients?.sqs.destroy();
  }
}

export interface LocalChannels {
  simulator: ChannelSimulator;
  endpoint: ChannelEndpoint;
  /** The endpoint URL (both AWS_ENDPOINT_URL_SESV2 and AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2). */
  url: string;
  close(): Promise<void>;
}

/** Starts the endpoints and the simulator behind them. */
export async function startChannels(opts: ChannelsOptions & { host?: string; port?: number } = {}): Promise<LocalChannels> {
  const simulator = new ChannelSimulator(opts);
  const endpoint = await startChannelEndpoint(simulator, { ...(opts.host ? { host: opts.host } : {}), ...(opts.port ? { port: opts.port } : {}) });
  return {
    simulator,
    endpoint,
    url: endpoint.url,
    close: async () => {
      await endpoint.close();
      simulator.destroy();
    },
  };
}

/** The resources the stand-ins deliver into, found in the resolved service (never hard-coded names). */
export function resolveChannelTargets(service: { resources?: { Resources?: Record<string, { Type: string; Condition?: string }> } }, cfn: {
  physical: Record<string, { ref: string; attrs: Record<string, string> }>;
  properties(id: string): unknown;
  condition(name: string): boolean;
}): ChannelTargets {
  const all = Object.entries(service.resources?.Resources ?? {}).filter(([, r]) => !r.Condition || cfn.condition(r.Condition));
  const out: ChannelTargets = {};
  const streams = all.filter(([, r]) => r.Type === 'AWS::Kinesis::Stream').map(([id]) => cfn.physical[id]?.ref ?? '');
  const stream = streams.find((s) => /-engagement$/.test(s));
  if (stream) out.engagementStream = stream;
  const topics = all.filter(([, r]) => r.Type === 'AWS::SNS::Topic').map(([id]) => cfn.physical[id]!);
  const queueByArn = new Map(all.filter(([, r]) => r.Type === 'AWS::SQS::Queue').map(([id]) => [cfn.physical[id]!.attrs.Arn!, cfn.physical[id]!.ref]));
  const subs = all
    .filter(([, r]) => r.Type === 'AWS::SNS::Subscription')
    .map(([id]) => cfn.properties(id) as { Protocol?: string; TopicArn?: string; Endpoint?: string; RawMessageDelivery?: boolean | string });
  const wire = (suffix: string, set: (arn: string, url: string | undefined, raw: boolean) => void) => {
    const topic = topics.find((t) => (t.attrs.TopicName ?? '').endsWith(suffix));
    if (!topic) return;
    const sub = subs.find((s) => s.Protocol === 'sqs' && s.TopicArn === topic.ref && s.Endpoint && queueByArn.has(s.Endpoint));
    set(topic.ref, sub ? queueByArn.get(sub.Endpoint!) : undefined, String(sub?.RawMessageDelivery) === 'true');
  };
  wire('-ses-notifications', (arn, url, raw) => {
    out.sesNotificationsTopicArn = arn;
    if (url) out.sesNotificationsQueueUrl = url;
    if (raw) out.sesNotificationsRaw = true;
  });
  wire('-sms-inbound', (arn, url, raw) => {
    out.smsInboundTopicArn = arn;
    if (url) out.smsInboundQueueUrl = url;
    if (raw) out.smsInboundRaw = true;
  });
  return out;
}
