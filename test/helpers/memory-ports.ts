import { NotFoundError } from '../../src/domain/errors';
import type {
  ActionRepository,
  ContactEventRecord,
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

export class MemoryActions implements ActionRepository {
  readonly items = new Map<string, PlannedAction>();
  async putActions(actions: readonly PlannedAction[]) {
    for (const a of actions) this.items.set(`${a.accountId}|${a.runDate}#${a.channel}`, a);
  }
}

export class MemoryContacts implements ContactRepository {
  readonly logs = new Map<string, ContactEventRecord[]>();
  readonly suppressions = new Map<string, ContactState['suppressions']>();
  async getStates(ids: readonly string[]) {
    return new Map(
      ids.map((id) => [
        id,
        { history: [...(this.logs.get(id) ?? [])], suppressions: this.suppressions.get(id) ?? { email: [], sms: [], voice: [] } },
      ]),
    );
  }
  async putLogs(logs: readonly { accountId: string; events: ContactEventRecord[] }[]) {
    for (const l of logs) this.logs.set(l.accountId, l.events);
  }
}

export class MemoryPublisher implements Publisher {
  readonly messages: { subject: string; message: string }[] = [];
  async publish(subject: string, message: string) {
    this.messages.push({ subject, message });
  }
}
