/**
 * Lake rows through a Firehose delivery stream with dynamic partitioning on the record's `dt`
 * (resources/analytics-lake.yml): one JSON line per row. Batching, resending the entries a response
 * marks failed, and the error naming what was not accepted are the archiver's (firehose-archiver.ts).
 */
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { ArchiveRecord } from '../usecases/engagement/ports';
import type { LakeEmitter } from '../usecases/analytics/lake';
import { FirehoseArchiver, type FirehoseArchiverOptions } from './firehose-archiver';

export class FirehoseLakeEmitter<T> implements LakeEmitter<T> {
  private readonly firehose: FirehoseArchiver;
  constructor(
    client: FirehoseClient,
    streamName: string,
    /** Row → Firehose record (adds the partition key). */
    private readonly toRecord: (row: T) => object,
    opts: FirehoseArchiverOptions = {},
  ) {
    this.firehose = new FirehoseArchiver(client, streamName, opts);
  }

  async emit(rows: readonly T[]): Promise<void> {
    // The archiver sends any JSON document; its record type is only the engagement archive's shape.
    await this.firehose.archive(rows.map((r) => this.toRecord(r)) as unknown as ArchiveRecord[]);
  }
}
