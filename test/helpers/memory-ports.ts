import { NotFoundError } from '../../src/domain/errors';
import type {
  ContactEventRecord,
  LedgerEntry,
  ContactRepository,
  ContactState,
  ObjectStore,
  PlannedAction,
  Publisher,
  Ranking,
  RankingRepository,
} from '../../src/ports';

/** In-memory ports for use-case unit tests (integration tests use the emulators). */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, string>();

  async getText(key: string): Promise<string> {
    const v = this.objects.get(key);
    if (v === undefined) throw new NotFoundError(`${key} does not exist`);
    return v;
  }
  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const text = await this.getText(key);
    const bytes = Buffer.from(text, 'utf8');
    return (async function* () {
      // Small pieces: exercises records split across chunk boundaries.
      for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
    })();
  }
  async putText(key: string, body: string): Promise<void> {
    this.objects.set(key, body);
  }
  openWriter(key: string) {
    let buf = '';
    return {
      write: async (s: string) => void (buf += s),
      close: async () => void this.objects.set(key, buf),
      abort: async () => undefined,
    };
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export class MemoryRankings implements RankingRepository {
  readonly items = new Map<string, Ranking>();
  async putRankings(rankings: readonly Ranking[]) {
    for (const r of rankings) this.items.set(`${r.accountId}|${r.runDate}`, r);
  }
}

export class MemoryContacts implements ContactRepository {
  readonly ledgers = new Map<string, LedgerEntry>();
  readonly suppressions = new Map<string, ContactState['suppressions']>();
  readonly conversations = new Map<string, string[]>();
  /** Engagement counters as the INBOUND item carries them (per account). */
  readonly engagement = new Map<string, NonNullable<ContactState['engagement']>>();
  async getStates(ids: readonly string[]) {
    return new Map(
      ids.map((id) => {
        const history: ContactEventRecord[] = [
          ...(this.ledgers.get(id)?.attempts ?? []),
          ...(this.conversations.get(id) ?? []).map((at) => ({ at, channel: 'voice' as const, kind: 'conversation' as const })),
        ].sort((a, b) => a.at.localeCompare(b.at));
        const engagement = this.engagement.get(id);
        return [id, { history, suppressions: this.suppressions.get(id) ?? { email: [], sms: [], voice: [] }, ...(engagement ? { engagement } : {}) }];
      }),
    );
  }
  async putLedgers(entries: readonly LedgerEntry[]) {
    // Like the adapter: the ledger keeps our attempts only (conversations live in INBOUND).
    for (const e of entries) this.ledgers.set(e.accountId, { ...e, attempts: e.attempts.filter((a) => a.kind === 'attempt') });
  }
  /** Every planned action, as the senders and tests see them. */
  actions(): PlannedAction[] {
    return [...this.ledgers.values()].flatMap((l) => l.plan);
  }
}

export class MemoryPublisher implements Publisher {
  readonly messages: { subject: string; message: string }[] = [];
  async publish(subject: string, message: string) {
    this.messages.push({ subject, message });
  }
}
