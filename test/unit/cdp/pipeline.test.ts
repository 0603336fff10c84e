import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { HmacCardTokenizer } from '../../../src/adapters/cdp/card-tokenizer';
import { EsdkFieldCipher, localAesKeyring, localKeyFile } from '../../../src/adapters/cdp/field-cipher';
import { KinesisPublisher } from '../../../src/adapters/cdp/kinesis-publisher';
import type { FraudAlertMessage, LakeTransaction, StreamRecord, TransactionRecord } from '../../../src/domain/cdp/records';
import { generateTabFormer } from '../../../src/synthetic/tabformer/generator';
import { forEachFeatureRow } from '../../../src/synthetic/tabformer/fraud-input';
import { toCardRecord, toTransactionRecord } from '../../../src/usecases/cdp/extract';
import type { CardState, CardStateStore } from '../../../src/usecases/cdp/ports';
import { processTransactions, type ProcessDeps } from '../../../src/usecases/cdp/process-transactions';

const kinesis = mockClient(KinesisClient);

class MemoryStates implements CardStateStore {
  readonly items = new Map<string, CardState>();
  loseNext = new Set<string>();
  async getMany(tokens: readonly string[]) {
    const out = new Map<string, CardState>();
    for (const t of tokens) {
      const s = this.items.get(t);
      if (s) out.set(t, structuredClone(s));
    }
    return out;
  }
  async commit(state: CardState) {
    const cur = this.items.get(state.cardToken);
    if (this.loseNext.delete(state.cardToken)) return false;
    if ((cur?.version ?? undefined) !== state.version) return false;
    this.items.set(state.cardToken, structuredClone({ ...state, version: (state.version ?? 0) + 1 }));
    return true;
  }
}

describe('customer data stream pipeline (unit)', () => {
  let dir: string;
  let cipher: EsdkFieldCipher;
  let tokenizer: HmacCardTokenizer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdp-unit-'));
    cipher = new EsdkFieldCipher(localAesKeyring(join(dir, 'k', 'pii.key')));
    tokenizer = new HmacCardTokenizer(localKeyFile(join(dir, 'k', 'token.key')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('local key files are generated once (0600) and reused', () => {
    const a = localKeyFile(join(dir, 'k', 'token.key'));
    expect(localKeyFile(join(dir, 'k', 'token.key')).equals(a)).toBe(true);
    expect(statSync(join(dir, 'k', 'token.key')).mode & 0o777).toBe(0o600);
  });

  it('card tokens: deterministic, keyed, never the number', () => {
    const other = new HmacCardTokenizer(Buffer.alloc(32, 7));
    const t = tokenizer.token('4532 0151 1283 0366');
    expect(t).toBe(tokenizer.token('4532015112830366'));
    expect(t).not.toBe(other.token('4532015112830366'));
    expect(t).toMatch(/^ct_[A-Za-z0-9_-]{32}$/);
    expect(t).not.toContain('4532015112830366');
  });

  it('every field is its own message bound to field and record; CVV is not carried', async () => {
    const data = generateTabFormer({ users: 1, seed: 3, days: 5 });
    const r = await toCardRecord({ cipher, tokenizer }, data.users[0]!, data.cards[0]!, '2026-11-23T00:00:00Z');
    expect(JSON.stringify(r)).not.toContain(data.cards[0]!.cvv === '000' ? 'never' : `"${data.cards[0]!.cvv}"`);
    expect(JSON.stringify(r)).not.toContain(data.users[0]!.person);
    expect(await cipher.decrypt('person', r.recordId, r.encrypted.person!)).toBe(data.users[0]!.person);
    expect(await cipher.decrypt('expires', r.recordId, r.encrypted.expires!)).toBe(data.cards[0]!.expires);
    expect(new Set(Object.values(r.encrypted)).size).toBe(Object.keys(r.encrypted).length);
  });

  it('KinesisPublisher: ≤ 500 records per call, resends only the entries with an ErrorCode, reports what never got in', async () => {
    kinesis.reset();
    // Every 3rd entry is throttled the first time it is seen, accepted when resent.
    const seen = new Set<string>();
    const accepted: string[] = [];
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: { Data: Uint8Array }[] }) => {
      const Records = input.Records.map((e) => {
        const id = (JSON.parse(Buffer.from(e.Data).toString('utf8')) as { txnId: string }).txnId;
        const first = !seen.has(id);
        seen.add(id);
        if (first && Number(id.slice(1)) % 3 === 0) return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' };
        accepted.push(id);
        return { SequenceNumber: id, ShardId: 'shardId-000000000000' };
      });
      return { FailedRecordCount: Records.filter((r) => 'ErrorCode' in r).length, Records };
    });
    const pub = new KinesisPublisher(new KinesisClient({ region: 'us-east-1' }), 's', { sleep: async () => {} });
    const tx = (i: number): StreamRecord => ({ kind: 'transaction', txnId: `t${i}`, cardToken: `ct_${String(i % 7).padStart(8, '0')}`, userId: '1', at: '2019-01-01T00:00:00Z', amountCents: 100, useChip: 'Chip Transaction', merchantId: 'm', merchantCity: 'X', merchantState: 'CA', merchantZip: '90001', mcc: 5411, errors: [], isFraud: false });
    const big = { ...tx(9999), merchantCity: 'x'.repeat(1_100_000) } as StreamRecord;
    const res = await pub.publish([...Array.from({ length: 1200 }, (_, i) => tx(i)), big]);
    expect(res.failed).toEqual([1200]);
    const calls = kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input.Records!.length);
    expect(Math.max(...calls)).toBeLessThanOrEqual(500);
    expect(calls).toEqual([500, 167, 500, 167, 200, 66]);
    expect(new Set(accepted).size).toBe(1200);
    expect(pub.stats.resent).toBe(400);
    const keys = kinesis.commandCalls(PutRecordsCommand)[0]!.args[0].input.Records!.map((r) => r.PartitionKey);
    expect(keys[1]).toBe('ct_00000001');
  });

  describe('processTransactions', () => {
    const setup = async () => {
      const data = generateTabFormer({ users: 3, seed: 5, days: 20 });
      const lake: LakeTransaction[] = [];
      const alerts: FraudAlertMessage[] = [];
      const states = new MemoryStates();
      const deps: ProcessDeps = { states, lake: { write: async (r) => void lake.push(...r) }, alerts: { send: async (m) => void alerts.push(...m) }, now: () => new Date('2026-11-23T00:00:00Z') };
      const cards: StreamRecord[] = [];
      const tokens = new Map<string, string>();
      for (const c of data.cards) {
        const r = await toCardRecord({ cipher, tokenizer }, data.users.find((u) => u.user === c.user)!, c, 'now');
        tokens.set(`${c.user}-${c.cardIndex}`, r.cardToken);
        cards.push(r);
      }
      const txns = data.transactions.map((t) => toTransactionRecord(t, tokens.get(`${t.user}-${t.card}`)!));
      return { data, lake, alerts, states, deps, cards, txns };
    };
    const input = (rs: StreamRecord[]) => rs.map((r) => ({ id: r.kind === 'card' ? r.recordId : r.txnId, record: r }));

    it('scores exactly like the training export (same features, card by card in time order)', async () => {
      const { data, lake, deps, cards, txns } = await setup();
      await processTransactions(deps, input([...cards, ...txns]), { source: 'backfill', sendAlerts: false });
      const expected = new Map<string, number[]>();
      forEachFeatureRow(data, (_, f, t) => expected.set(t.id, f));
      expect(lake).toHaveLength(txns.length);
      for (const r of lake) expect(JSON.stringify(r.features)).toBe(JSON.stringify(expected.get(r.txnId)));
    });

    it('redelivery is a no-op for the profile; a lost commit fails just that card, and the retry converges', async () => {
      const { lake, states, deps, cards, txns } = await setup();
      const half = Math.floor(txns.length / 2);
      await processTransactions(deps, input([...cards, ...txns.slice(0, half)]), { source: 'stream', sendAlerts: false });
      const snapshot = structuredClone([...states.items.values()]);
      const again = await processTransactions(deps, input(txns.slice(0, half)), { source: 'stream', sendAlerts: false });
      expect(again).toMatchObject({ failed: [], transactions: 0, duplicates: half });
      expect([...states.items.values()]).toEqual(snapshot);

      const rest = txns.slice(half) as TransactionRecord[];
      const loser = rest[0]!.cardToken;
      states.loseNext.add(loser);
      const res = await processTransactions(deps, input(rest), { source: 'stream', sendAlerts: false });
      const loserIds = rest.filter((t) => t.cardToken === loser).map((t) => t.txnId);
      expect(res.failed.sort()).toEqual(loserIds.sort());
      const retry = await processTransactions(deps, input(rest), { source: 'stream', sendAlerts: false });
      expect(retry.failed).toEqual([]);
      expect(retry.transactions).toBe(loserIds.length);
      const applied = [...states.items.values()].reduce((n, s) => n + (s.profile as { n: number }).n, 0);
      expect(applied).toBe(txns.length);
      expect(new Set(lake.map((r) => r.txnId)).size).toBe(txns.length);
    });

    it('a transaction before its card snapshot fails (retried later); flagged live transactions queue an alert with ciphertext only', async () => {
      const { deps, cards, txns, alerts } = await setup();
      const orphan = txns[0]!;
      const early = await processTransactions(deps, input([orphan]), { source: 'stream', sendAlerts: true });
      expect(early.failed).toEqual([orphan.kind === 'transaction' ? orphan.txnId : '']);
      const res = await processTransactions(deps, input([...cards, ...txns.slice(0, 50)]), { source: 'stream', sendAlerts: true, threshold: 0 });
      expect(res.alertsQueued).toBe(50);
      expect(alerts[0]!.encrypted.person.length).toBeGreaterThan(100);
      expect(await cipher.decrypt('email', alerts[0]!.recordId, alerts[0]!.encrypted.email)).toContain('@');
    });
  });
});
