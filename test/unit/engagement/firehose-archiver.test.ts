import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { FIREHOSE_MAX_RECORD_BYTES, FirehoseArchiver, planBatches } from '../../../src/adapters/firehose-archiver';
import { ArchiveError, type ArchiveRecord } from '../../../src/usecases/engagement';

const rec = (i: number, pad = 0): ArchiveRecord => ({ archivedAt: '2026-01-05T00:00:00.000Z', transport: 'sqs', type: 'ses', eventIds: [`e${i}`], payload: { i, pad: 'x'.repeat(pad) } });
const lines = (input: { Records?: { Data?: Uint8Array }[] }) => (input.Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8').trimEnd()) as ArchiveRecord);

describe('FirehoseArchiver (aws-sdk-client-mock)', () => {
  const fh = mockClient(FirehoseClient);
  beforeEach(() => fh.reset());
  const archiver = (maxRounds = 4) => new FirehoseArchiver(new FirehoseClient({ region: 'us-east-1' }), 'stream', { maxRounds, sleep: async () => undefined });

  it('FailedPutCount > 0: resends only the records that carry an ErrorCode', async () => {
    fh.on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 2, RequestResponses: [{ RecordId: 'a' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' }, { RecordId: 'c' }, { ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'b' }, { RecordId: 'd' }] });
    await archiver().archive([rec(0), rec(1), rec(2), rec(3)]);
    const calls = fh.commandCalls(PutRecordBatchCommand);
    expect(calls).toHaveLength(2);
    expect(lines(calls[0]!.args[0].input).map((r) => r.eventIds[0])).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(lines(calls[1]!.args[0].input).map((r) => r.eventIds[0])).toEqual(['e1', 'e3']);
    // newline-delimited JSON: one document and one "\n" per record
    expect(Buffer.from(calls[0]!.args[0].input.Records![0]!.Data!).toString('utf8')).toMatch(/^\{.*\}\n$/);
  });

  it('gives up after maxRounds with an ArchiveError naming the records still failing', async () => {
    // e1 is refused every time; the others are accepted at once.
    fh.on(PutRecordBatchCommand).callsFake((input: { Records: { Data: Uint8Array }[] }) => {
      const ids = lines(input).map((r) => r.eventIds[0]);
      return { FailedPutCount: ids.filter((i) => i === 'e1').length, RequestResponses: ids.map((i) => (i === 'e1' ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: i })) };
    });
    const err = await archiver(3).archive([rec(0), rec(1), rec(2)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).failed).toEqual([1]);
    expect((err as ArchiveError).message).toMatch(/1 record\(s\) not accepted after 3 rounds \(last error: ServiceUnavailableException\)/);
    expect(fh.commandCalls(PutRecordBatchCommand).map((c) => lines(c.args[0].input).map((r) => r.eventIds[0]))).toEqual([['e0', 'e1', 'e2'], ['e1'], ['e1']]);
  });

  it('batches: ≤ 500 records and ≤ 4 MiB per call', async () => {
    expect(planBatches(new Array(1201).fill(10)).map((b) => b.length)).toEqual([500, 500, 201]);
    const mib = 1024 * 1024;
    expect(planBatches([mib, mib, mib, mib, 1]).map((b) => b.length)).toEqual([4, 1]);
    expect(planBatches([3 * mib, 2 * mib, 2 * mib]).map((b) => b.length)).toEqual([1, 2]);
    fh.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({ FailedPutCount: 0, RequestResponses: input.Records.map(() => ({ RecordId: 'x' })) }));
    await archiver().archive(Array.from({ length: 1001 }, (_, i) => rec(i)));
    expect(fh.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records!.length)).toEqual([500, 500, 1]);
  });

  it('an oversize record (> 1,000 KiB) is rejected with a clear error, never sent; the rest are archived', async () => {
    fh.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({ FailedPutCount: 0, RequestResponses: input.Records.map(() => ({ RecordId: 'x' })) }));
    const err = (await archiver().archive([rec(0), rec(1, FIREHOSE_MAX_RECORD_BYTES), rec(2)]).catch((e: unknown) => e)) as ArchiveError;
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.message).toMatch(/1 record\(s\) over the 1024000-byte Firehose record limit/);
    expect(err.failed).toEqual([1]);
    expect(err.oversize).toEqual([1]);
    expect(lines(fh.commandCalls(PutRecordBatchCommand)[0]!.args[0].input).map((r) => r.eventIds[0])).toEqual(['e0', 'e2']);
  });
});
