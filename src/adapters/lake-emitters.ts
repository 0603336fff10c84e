/**
 * The analytics lake's Firehose emitters for functions outside the engagement loop (docs/analytics.md):
 * absent when the stream is not configured (a function run without the lake: nothing is emitted).
 */
import { engagementLakeRecord, sendLakeRecord, type EngagementRow, type LakeEmitter, type SendRow } from '../usecases/analytics/lake';
import { firehoseClient } from './engagement-clients';
import { FirehoseLakeEmitter } from './firehose-lake-emitter';

export const sendsLakeEmitter = (stream: string | undefined): LakeEmitter<SendRow> | undefined =>
  stream ? new FirehoseLakeEmitter<SendRow>(firehoseClient(), stream, sendLakeRecord) : undefined;

export const engagementLakeEmitter = (stream: string | undefined): LakeEmitter<EngagementRow> | undefined =>
  stream ? new FirehoseLakeEmitter<EngagementRow>(firehoseClient(), stream, engagementLakeRecord) : undefined;
