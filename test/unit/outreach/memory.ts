import { PermanentSendError, RetryableSendError } from '../../../src/domain/outreach/errors';
import type { ClaimRequest, ClaimResult, EmailSender, OutboundEmail, OutboundSms, SendCompletion, SendLedger, SendRecord, SmsSender, SuppressionReader } from '../../../src/usecases/outreach/ports';

type Stored = SendRecord & { leaseToken?: string };

/** Same conditions as DynamoSendLedger (claim: absent or expired `sending`; complete/release: lease holder). */
export class MemoryLedger implements SendLedger {
  readonly records = new Map<string, Stored>();
  private n = 0;
  async claim(r: ClaimRequest): Promise<ClaimResult> {
    const cur = this.records.get(r.actionId);
    const now = r.now.getTime();
    if (cur && !(cur.status === 'sending' && (cur.leaseUntil ?? 0) < now)) return { claimed: false, record: { ...cur } };
    const leaseToken = `t${++this.n}`;
    const attempts = (cur?.attempts ?? 0) + 1;
    this.records.set(r.actionId, { actionId: r.actionId, accountId: r.accountId, channel: r.channel, status: 'sending', attempts, leaseUntil: now + r.leaseMs, leaseToken });
    return { claimed: true, leaseToken, attempt: attempts };
  }
  async complete(actionId: string, token: string, c: SendCompletion): Promise<boolean> {
    const cur = this.records.get(actionId);
    if (!cur || cur.status !== 'sending' || cur.leaseToken !== token) return false;
    const { leaseToken: _t, leaseUntil: _l, ...rest } = cur;
    this.records.set(actionId, { ...rest, status: c.status, ...(c.status === 'sent' ? { providerMessageId: c.providerMessageId } : {}), ...(c.status === 'failed' ? { reason: c.reason } : {}) });
    return true;
  }
  async release(actionId: string, token: string): Promise<void> {
    const cur = this.records.get(actionId);
    if (cur && cur.status === 'sending' && cur.leaseToken === token) cur.leaseUntil = 0;
  }
  async get(actionId: string) {
    return this.records.get(actionId);
  }
}

type Behaviour = 'ok' | 'throttle' | 'reject' | 'optout' | Error;

export class FakeEmail implements EmailSender {
  readonly sent: OutboundEmail[] = [];
  next: Behaviour[] = [];
  async send(m: OutboundEmail) {
    const b = this.next.shift() ?? 'ok';
    if (b === 'throttle') throw new RetryableSendError('SES TooManyRequestsException');
    if (b === 'reject') throw new PermanentSendError('rejected', 'SES BadRequestException');
    if (b instanceof Error) throw b;
    this.sent.push(m);
    return { providerMessageId: `ses-${this.sent.length}` };
  }
}

export class FakeSms implements SmsSender {
  readonly sent: OutboundSms[] = [];
  next: Behaviour[] = [];
  async send(m: OutboundSms) {
    const b = this.next.shift() ?? 'ok';
    if (b === 'throttle') throw new RetryableSendError('SMS ThrottlingException');
    if (b === 'optout') throw new PermanentSendError('opted_out_at_provider', 'opted out');
    if (b instanceof Error) throw b;
    this.sent.push(m);
    return { providerMessageId: `sms-${this.sent.length}` };
  }
}

export class MemorySuppressions implements SuppressionReader {
  readonly email = new Map<string, Set<string>>();
  readonly sms = new Map<string, Set<string>>();
  async suppressed(accountId: string) {
    return { email: this.email.get(accountId) ?? new Set<string>(), sms: this.sms.get(accountId) ?? new Set<string>() };
  }
}
