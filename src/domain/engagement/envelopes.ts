/**
 * Transport envelopes around the payloads: SNS (SQS body = SNS envelope, payload a JSON string in
 * `Message`; or raw message delivery), EventBridge (`detail`). `normalizeRecord` unwraps them and
 * routes the payload to its normalizer.
 */
import { isoInstant } from './addresses';
import { isSesPayload, normalizeSes } from './ses';
import { isInboundSmsPayload, isSmsStatusPayload, normalizeInboundSms, normalizeSmsStatus } from './sms';
import { MalformedRecordError, type EngagementEvent } from './types';

export type PayloadType = 'ses' | 'sms-status' | 'sms-inbound' | 'ignored';

export interface NormalizedRecord {
  type: PayloadType;
  events: EngagementEvent[];
  /** The payload itself (envelopes removed), what the archive keeps. */
  payload: Record<string, unknown>;
  /** Why a well-formed record produced nothing (e.g. a voice event). */
  ignoredReason?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedRecordError(`${what} is not JSON`);
  }
}

/**
 * @param body a parsed JSON value (SQS body, Kinesis data, EventBridge event…)
 * @param arrivedAt when the transport received it (ISO) — the time of inbound replies that carry none
 */
export function normalizeRecord(body: unknown, arrivedAt: string): NormalizedRecord {
  let value = body;
  let receivedAt = arrivedAt;
  for (let depth = 0; depth < 3; depth++) {
    if (!isObject(value)) throw new MalformedRecordError('record is not a JSON object');
    // SNS envelope (SQS subscription without raw message delivery).
    if (value.Type === 'Notification' && typeof value.Message === 'string') {
      receivedAt = isoInstant(typeof value.Timestamp === 'string' ? value.Timestamp : undefined) ?? receivedAt;
      value = parseJson(value.Message, 'SNS Message');
      continue;
    }
    // EventBridge event (rule → Kinesis target with the whole event as input).
    if (typeof value['detail-type'] === 'string' && 'detail' in value) {
      receivedAt = isoInstant(typeof value.time === 'string' ? value.time : undefined) ?? receivedAt;
      value = value.detail;
      continue;
    }
    break;
  }
  if (!isObject(value)) throw new MalformedRecordError('payload is not a JSON object');
  const payload = value;
  if (isSesPayload(payload)) {
    const events = normalizeSes(payload);
    return events.length > 0 ? { type: 'ses', events, payload } : { type: 'ignored', events, payload, ignoredReason: `SES type ${String(payload.notificationType ?? payload.eventType)}` };
  }
  if (isSmsStatusPayload(payload)) {
    const events = normalizeSmsStatus(payload);
    return events.length > 0 ? { type: 'sms-status', events, payload } : { type: 'ignored', events, payload, ignoredReason: `status ${String(payload.eventType)}` };
  }
  if (isInboundSmsPayload(payload)) return { type: 'sms-inbound', events: normalizeInboundSms(payload, receivedAt), payload };
  throw new MalformedRecordError('payload is neither an SES record, an SMS status event nor an inbound SMS');
}
