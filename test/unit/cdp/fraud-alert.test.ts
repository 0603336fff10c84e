import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockAlertWriter } from '../../../src/adapters/cdp/bedrock-alert-writer';
import { EsdkFieldCipher, localAesKeyring } from '../../../src/adapters/cdp/field-cipher';
import type { FraudAlertMessage } from '../../../src/domain/cdp/records';
import type { AlertClaims, AlertEmailSender, AlertWording } from '../../../src/usecases/cdp/ports';
import { promptOf, sendFraudAlert, templateWording, type FraudAlertDeps } from '../../../src/usecases/cdp/fraud-alert';

const bedrock = mockClient(BedrockRuntimeClient);

class MemoryClaims implements AlertClaims {
  readonly items = new Map<string, { txnId: string; sent: boolean }>();
  async claim(card: string, window: string, txnId: string) {
    const k = `${card}#${window}`;
    const cur = this.items.get(k);
    if (cur && (cur.txnId !== txnId || cur.sent)) return false;
    this.items.set(k, { txnId, sent: false });
    return true;
  }
  async markSent(card: string, window: string) {
    this.items.get(`${card}#${window}`)!.sent = true;
  }
}

describe('fraud alerts', () => {
  let dir: string;
  let cipher: EsdkFieldCipher;
  let message: FraudAlertMessage;
  const sent: { to: string; wording: AlertWording }[] = [];
  const sender: AlertEmailSender = { send: async (to, wording) => (sent.push({ to, wording }), `m-${sent.length}`) };
  const deps = (writer: FraudAlertDeps['writer'], claims = new MemoryClaims()): FraudAlertDeps => ({
    cipher,
    claims,
    writer,
    sender,
    windowMinutes: 60,
    now: () => new Date('2026-11-23T10:00:00Z'),
  });
  const writer = (enabled = true, timeoutMs = 200) => new BedrockAlertWriter(new BedrockRuntimeClient({ region: 'us-east-1' }), { enabled, modelId: 'anthropic.claude-3-haiku-20240307-v1:0', timeoutMs });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdp-alert-'));
    cipher = new EsdkFieldCipher(localAesKeyring(join(dir, 'pii.key')));
    const recordId = 'card:ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    message = {
      txnId: '3-1-77',
      cardToken: 'ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      userId: '3',
      at: '2019-11-20T23:41:00.000Z',
      amountCents: 129_99,
      merchantId: '-4282466774399734331',
      merchantCity: 'Reno',
      merchantState: 'NV',
      mcc: 5732,
      score: 0.93,
      modelVersion: 'v',
      recordId,
      encrypted: { person: await cipher.encrypt('person', recordId, 'Ana Maria Quintero'), email: await cipher.encrypt('email', recordId, 'ana.quintero@example.net') },
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    bedrock.reset();
    sent.length = 0;
  });

  it('the prompt holds the first name, merchant, amount and time only', () => {
    const p = promptOf(message, 'Ana Maria Quintero');
    expect(p).toEqual({ firstName: 'Ana', merchant: 'an electronics store in Reno, NV', amount: '$129.99', time: '2019-11-20 at 23:41' });
  });

  it('uses Bedrock wording when it answers; the Converse request carries no surname, email, card token or number', async () => {
    bedrock.on(ConverseCommand).resolves({ output: { message: { role: 'assistant', content: [{ text: 'Hi Ana, did you spend $129.99 in Reno? Call the number on your card if not.' }] } }, stopReason: 'end_turn' } as never);
    const out = await sendFraudAlert(deps(writer()), message);
    expect(out).toMatchObject({ status: 'sent', wording: 'bedrock' });
    expect(sent[0]).toEqual({ to: 'ana.quintero@example.net', wording: { subject: expect.any(String), body: expect.stringContaining('Hi Ana') } });
    const input = JSON.stringify(bedrock.commandCalls(ConverseCommand)[0]!.args[0].input);
    expect(input).toContain('Ana');
    for (const secret of ['Quintero', 'ana.quintero', message.cardToken, message.txnId]) expect(input).not.toContain(secret);
    expect(input).toContain('anthropic.claude');
  });

  it('falls back to the template when Bedrock fails', async () => {
    bedrock.on(ConverseCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const out = await sendFraudAlert(deps(writer()), message);
    expect(out).toMatchObject({ status: 'sent', wording: 'template' });
    expect(sent[0]!.wording).toEqual(templateWording(promptOf(message, 'Ana Maria Quintero')));
  });

  it('falls back to the template when Bedrock times out (the wait is bounded even if the call never settles)', async () => {
    let answered = false;
    bedrock.on(ConverseCommand).callsFake(
      () =>
        new Promise((resolve) =>
          setTimeout(() => {
            answered = true;
            resolve({ output: { message: { role: 'assistant', content: [{ text: 'too late' }] } } });
          }, 3_000),
        ),
    );
    const out = await sendFraudAlert(deps(writer(true, 30)), message);
    expect(answered).toBe(false);
    expect(out).toMatchObject({ status: 'sent', wording: 'template' });
    expect(sent[0]!.wording.body).not.toContain('too late');
  });

  it('uses the template without calling Bedrock when disabled (the local default)', async () => {
    const out = await sendFraudAlert(deps(writer(false)), message);
    expect(out).toMatchObject({ status: 'sent', wording: 'template' });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(sent[0]!.wording.body).toContain('Hello Ana,');
    expect(sent[0]!.wording.body).not.toContain('Quintero');
  });

  it('one alert per card and window: another transaction of the window is a duplicate, a redelivery after sending too', async () => {
    const claims = new MemoryClaims();
    const d = deps(writer(false), claims);
    expect((await sendFraudAlert(d, message)).status).toBe('sent');
    expect((await sendFraudAlert(d, { ...message, txnId: '3-1-78', at: '2019-11-20T23:55:00.000Z' })).status).toBe('duplicate');
    expect((await sendFraudAlert(d, message)).status).toBe('duplicate');
    expect((await sendFraudAlert(d, { ...message, txnId: '3-1-79', at: '2019-11-21T00:05:00.000Z' })).status).toBe('sent');
    expect(sent).toHaveLength(2);
  });

  it('refuses a ciphertext bound to another record', async () => {
    const other = { ...message, recordId: 'card:ct_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' };
    await expect(sendFraudAlert(deps(writer(false)), other)).rejects.toThrow(/not person/);
    expect(sent).toHaveLength(0);
  });
});
