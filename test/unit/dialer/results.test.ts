import { Readable } from 'node:stream';
import { DialerFileError } from '../../../src/domain/errors';
import { effectsOf, readDialerResults, type DialerResult, type DialerRow } from '../../../src/domain/dialer/results';

const NOW = Date.parse('2026-01-06T00:00:00Z');
async function read(text: string): Promise<DialerRow[]> {
  const rows: DialerRow[] = [];
  for await (const r of readDialerResults(Readable.from([Buffer.from(text, "utf8")]), NOW)) rows.push(r);
  return rows;
}
const result = (over: Partial<DialerResult>): DialerResult => ({ row: 2, accountId: 'A1', actionId: null, phone: '+15551234567', attemptedAt: '2026-01-05T15:00:00.000Z', outcome: 'no_answer', ...over });

describe('dialer results file', () => {
  it('reads columns in any order (BOM, CRLF, unknown columns ignored) and normalizes the instant to UTC', async () => {
    const rows = await read('\uFEFFoutcome,attempted_at,agent,phone,account_id\r\nCONNECTED,2026-01-05T10:02:11-05:00,x7,+12408475442,ACC1\r\n');
    expect(rows).toEqual([{ kind: 'result', result: { row: 2, accountId: 'ACC1', actionId: null, phone: '+12408475442', attemptedAt: '2026-01-05T15:02:11.000Z', outcome: 'connected' } }]);
  });

  it.each([
    ['', 'empty (no header row)'],
    ['account_id,phone,outcome\n', 'lacks required column(s): attempted_at'],
  ])('fails the whole file on a bad header: %j', async (text, message) => {
    await expect(read(text)).rejects.toThrow(DialerFileError);
    await expect(read(text)).rejects.toThrow(message);
  });

  it('fails the whole file when it is not UTF-8 text', async () => {
    const bytes = Buffer.concat([Buffer.from('account_id,phone,attempted_at,outcome\nA1,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const consume = async () => {
      for await (const _ of readDialerResults(Readable.from([bytes]), NOW)) void _;
    };
    await expect(consume()).rejects.toThrow('not valid UTF-8');
  });

  it('turns each bad row into a reject with its line and every reason, and goes on', async () => {
    const rows = await read(
      [
        'action_id,account_id,phone,attempted_at,outcome',
        ',A1,5550100,2026-01-05 10:00,hung_up',
        '2026-01-05#A9#voice,A2,+15551234567,2026-01-05T10:00:00Z,busy',
        ',A3,+15551234567,2026-02-01T10:00:00Z,busy',
        'x,y',
        ',A4,+15551234567,2026-01-05T10:00:00+01:00,voicemail',
      ].join('\n'),
    );
    expect(rows.map((r) => (r.kind === 'reject' ? [r.reject.row, r.reject.accountId, r.reject.reason] : ['ok', r.result.accountId]))).toEqual([
      [2, 'A1', expect.stringMatching(/^phone: .*; attempted_at: not an ISO-8601 instant.*; outcome: must be one of/)],
      [3, 'A2', expect.stringContaining('action_id: not a voice action of this account')],
      [4, 'A3', 'attempted_at: after the file arrived'],
      [5, '', 'expected 5 fields, found 2'],
      ['ok', 'A4'],
    ]);
  });

  it.each([
    ['connected', { conversationAt: '2026-01-05T15:00:00.000Z' }],
    ['cease', { conversationAt: '2026-01-05T15:00:00.000Z', suppressNumber: 'cease_request' }],
    ['wrong_number', { suppressNumber: 'wrong_number' }],
    ['wrong_party', {}],
    ['voicemail', {}],
    ['no_answer', {}],
    ['busy', {}],
    ['failed', {}],
  ] as const)('outcome %s → %j', (outcome, effects) => {
    expect(effectsOf(result({ outcome }))).toEqual(effects);
  });
});
