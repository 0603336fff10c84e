import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HmacCardTokenizer } from '../../../src/adapters/cdp/card-tokenizer';
import { coreChangeOf } from '../../../src/adapters/cdp/dynamo-core';
import { EsdkFieldCipher, localAesKeyring } from '../../../src/adapters/cdp/field-cipher';
import type { StreamRecord } from '../../../src/domain/cdp/records';
import { generateTabFormer } from '../../../src/synthetic/tabformer/generator';
import type { TabTransaction } from '../../../src/synthetic/tabformer/types';
import { CardTokenCache, extractChanges } from '../../../src/usecases/cdp/extract';
import type { CoreReader, StreamPublisher } from '../../../src/usecases/cdp/ports';

describe('extractChanges', () => {
  let dir: string;
  const data = generateTabFormer({ users: 2, seed: 9, days: 3 });
  const core: CoreReader = {
    customer: async (u) => data.users.find((x) => x.user === u),
    card: async (u, i) => data.cards.find((c) => c.user === u && c.cardIndex === i),
    cards: async (u) => data.cards.filter((c) => c.user === u),
    async *transactions() {},
  };
  const published: StreamRecord[] = [];
  let rejectIndexes: number[] = [];
  const stream: StreamPublisher = {
    publish: async (rs) => {
      published.push(...rs);
      return { failed: rejectIndexes };
    },
  };
  let deps: Parameters<typeof extractChanges>[0];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdp-extract-'));
    deps = { cipher: new EsdkFieldCipher(localAesKeyring(join(dir, 'k'))), tokenizer: new HmacCardTokenizer(Buffer.alloc(32, 1)), core, stream, tokens: new CardTokenCache(), now: () => new Date('2026-11-23T00:00:00Z') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    published.length = 0;
    rejectIndexes = [];
  });

  it('a customer change re-emits each of their cards; a card change its snapshot; a transaction itself; removals are ignored', async () => {
    const u = data.users[0]!;
    const t = data.transactions.find((x) => x.user === u.user)!;
    const changes = [
      coreChangeOf('1', { pk: `CUST#${u.user}`, sk: 'PROFILE', ...u }),
      coreChangeOf('2', { pk: `CUST#${u.user}`, sk: 'CARD#0', ...data.cards.find((c) => c.user === u.user)! }),
      coreChangeOf('3', { pk: `CUST#${u.user}`, sk: `TXN#${t.at}#${t.id}`, ...t }),
      coreChangeOf('4', undefined),
    ];
    const res = await extractChanges(deps, changes);
    const cards = data.cards.filter((c) => c.user === u.user).length;
    expect(published.map((r) => r.kind)).toEqual([...Array<string>(cards + 1).fill('card'), 'transaction']);
    expect(res).toMatchObject({ published: cards + 2, failed: [] });
    expect(res.encryptedFields).toBeGreaterThanOrEqual((cards + 1) * 9);
    expect(published.at(-1)!.cardToken).toBe(deps.tokenizer.token(data.cards.find((c) => c.user === t.user && c.cardIndex === t.card)!.cardNumber));
  });

  it('reports the changes whose rows are missing or whose records were not accepted', async () => {
    const t = data.transactions[0]!;
    const orphan: TabTransaction = { ...t, id: 'x', user: 999 };
    const res = await extractChanges(deps, [coreChangeOf('10', { pk: 'CUST#999', sk: 'TXN#x', ...orphan }), coreChangeOf('11', { pk: 'p', sk: `TXN#${t.at}#${t.id}`, ...t })]);
    expect(res.failed).toEqual(['10']);
    rejectIndexes = [0];
    const again = await extractChanges(deps, [coreChangeOf('12', { pk: 'p', sk: `TXN#${t.at}#${t.id}`, ...t })]);
    expect(again).toMatchObject({ published: 0, failed: ['12'] });
  });
});
