import type { EngagementChannel, EngagementEvent } from '../../../src/domain/engagement';
import type { ArchiveRecord, ChannelEngagement, ConfirmationSender, EngagementStore, EventArchiver, OptOutConfirmationRequest, PhoneDirectory, SuppressionWriter } from '../../../src/usecases/engagement';
import { DEFAULT_SUPPRESSION_RULES } from '../../../src/domain/engagement';

/** In-memory engagement ports with the same idempotency semantics as the DynamoDB adapters. */
export class MemoryEngagement implements EngagementStore, PhoneDirectory, SuppressionWriter, ConfirmationSender, EventArchiver {
  counted = new Map<string, Set<string>>();
  counts = new Map<string, Partial<Record<string, number>>>();
  soft = new Map<string, Set<string>>();
  confirmationsClaimed = new Map<string, { revocationId: string; at: string }>();
  inbound = new Map<string, { email: Set<string>; sms: Set<string>; voice: Set<string> }>();
  phones = new Map<string, Set<string>>();
  confirmations: OptOutConfirmationRequest[] = [];
  archived: ArchiveRecord[] = [];

  async recordEvent(accountId: string, e: EngagementEvent) {
    const key = `${accountId}|${e.channel}`;
    const ids = this.counted.get(key) ?? new Set<string>();
    if (ids.has(e.eventId)) return false;
    ids.add(e.eventId);
    this.counted.set(key, ids);
    const c = this.counts.get(key) ?? {};
    c[e.kind] = (c[e.kind] ?? 0) + 1;
    this.counts.set(key, c);
    return true;
  }
  async addTransientFailure(accountId: string, channel: EngagementChannel, address: string, at: string, eventId: string) {
    const key = `${accountId}|${channel}|${address}`;
    const s = this.soft.get(key) ?? new Set<string>();
    s.add(`${at}|${eventId}`);
    this.soft.set(key, s);
    return [...s].map((x) => x.split('|')[0]!);
  }
  async claimConfirmation(phone: string, revocationId: string, now: string, cooldownDays: number) {
    const prev = this.confirmationsClaimed.get(phone);
    if (prev && (prev.revocationId === revocationId || Date.parse(prev.at) > Date.parse(now) - cooldownDays * 86_400_000)) return false;
    this.confirmationsClaimed.set(phone, { revocationId, at: now });
    return true;
  }
  async getEngagement(accountId: string) {
    const out: Partial<Record<EngagementChannel, ChannelEngagement>> = {};
    for (const [k, c] of this.counts) {
      const [a, ch] = k.split('|') as [string, EngagementChannel];
      if (a === accountId) out[ch] = { counts: c, lastAt: {} };
    }
    return out;
  }
  async suppress(accountId: string, channel: 'email' | 'sms' | 'voice', address: string) {
    const item = this.inbound.get(accountId) ?? { email: new Set<string>(), sms: new Set<string>(), voice: new Set<string>() };
    item[channel].add(address);
    this.inbound.set(accountId, item);
  }
  async accountsFor(phone: string) {
    return [...(this.phones.get(phone) ?? [])];
  }
  async register(phone: string, accountId: string) {
    this.phones.set(phone, (this.phones.get(phone) ?? new Set<string>()).add(accountId));
  }
  async requestOptOutConfirmation(req: OptOutConfirmationRequest) {
    this.confirmations.push(req);
  }
  async archive(records: readonly ArchiveRecord[]) {
    this.archived.push(...records);
  }
  deps(now = () => new Date('2026-01-05T12:00:00Z')) {
    return { store: this, directory: this, suppressions: this, confirmations: this, archiver: this, rules: DEFAULT_SUPPRESSION_RULES, now };
  }
}
