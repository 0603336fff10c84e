import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { LakeTransaction } from '../../domain/cdp/records';
import type { ArchiveRecord } from '../../usecases/engagement/ports';
import type { LakeWriter } from '../../usecases/cdp/ports';
import { FirehoseArchiver } from '../firehose-archiver';

/**
 * Scored transactions → the lake's Firehose (one JSON per line). The delivery stream partitions by
 * the record's `dt` (dynamic partitioning: lake/transactions/dt=YYYY-MM-DD/), so a backfill of
 * history lands under the transactions' own dates, not the day it ran. Batching (≤ 500 records,
 * ≤ 4 MiB) and FailedPutCount resends are the engagement archiver's.
 */
export class FirehoseLakeWriter implements LakeWriter {
  private readonly archiver: FirehoseArchiver;
  constructor(client: FirehoseClient, streamName: string, maxRounds = 5) {
    this.archiver = new FirehoseArchiver(client, streamName, { maxRounds });
  }
  write(records: readonly LakeTransaction[]): Promise<void> {
    return this.archiver.archive(records as unknown as readonly ArchiveRecord[]);
  }
}
