import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CHANNELS, type Channel } from '../domain/portfolio/account';
import type { ContactView, SelfServiceContacts } from '../usecases/accounts/ports';
import { decodePlannedAction } from './dynamo-repositories';

const setOf = (v: unknown): string[] => (v instanceof Set ? [...(v as Set<string>)] : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Self-service on the contacts table (docs/data-model.md): reads the Strategy's LEDGER (today's
 * plan) and writes INBOUND — promiseUntil, prefChannel/prefLanguage/prefHours (SET, so the last
 * choice wins) and opt-outs as atomic ADDs to the channel's suppression set, like the engagement
 * loop's, so neither writer can lose the other's entries.
 */
export class DynamoSelfServiceContacts implements SelfServiceContacts {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async view(accountId: string): Promise<ContactView> {
    const [ledger, inbound] = await Promise.all(
      (['LEDGER', 'INBOUND'] as const).map((kind) =>
        this.doc.send(new GetCommand({ TableName: this.table, Key: { accountId, kind }, ConsistentRead: true })).then((o) => o.Item),
      ),
    );
    const runDate = str(ledger?.runDate);
    const plan =
      ledger && runDate
        ? {
            runDate,
            actions: ((ledger.plan as string[] | undefined) ?? []).map((s) => {
              const a = decodePlannedAction(s, accountId, runDate);
              return { channel: a.channel, sendAt: a.sendAt, timezone: a.timezone };
            }),
          }
        : null;
    const prefChannel = str(inbound?.prefChannel);
    return {
      plan,
      promiseUntil: str(inbound?.promiseUntil),
      preferences: {
        channel: prefChannel && (CHANNELS as readonly string[]).includes(prefChannel) ? (prefChannel as Channel) : null,
        language: str(inbound?.prefLanguage),
        hours: str(inbound?.prefHours),
      },
      suppressed: { email: setOf(inbound?.email), sms: setOf(inbound?.sms), voice: setOf(inbound?.voice) },
    };
  }

  async setPromiseUntil(accountId: string, date: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        UpdateExpression: 'SET promiseUntil = :d',
        ExpressionAttributeValues: { ':d': date },
      }),
    );
  }

  async setPreferences(
    accountId: string,
    prefs: { channel?: Channel | null; language?: string | null; hours?: string | null },
    optOuts: { channel: Channel; address: string }[],
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    const adds: string[] = [];
    const attr = { channel: 'prefChannel', language: 'prefLanguage', hours: 'prefHours' } as const;
    for (const k of ['channel', 'language', 'hours'] as const) {
      const v = prefs[k];
      if (v === undefined) continue;
      names[`#${k}`] = attr[k];
      if (v === null) removes.push(`#${k}`);
      else {
        values[`:${k}`] = v;
        sets.push(`#${k} = :${k}`);
      }
    }
    for (const ch of CHANNELS) {
      const addresses = optOuts.filter((o) => o.channel === ch).map((o) => o.address);
      if (addresses.length === 0) continue;
      names[`#s_${ch}`] = ch;
      values[`:s_${ch}`] = new Set(addresses);
      adds.push(`#s_${ch} :s_${ch}`);
    }
    const parts = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].filter(Boolean);
    if (parts.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        UpdateExpression: parts.join(' '),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }
}
