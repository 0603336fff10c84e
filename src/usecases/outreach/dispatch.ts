/**
 * Dispatcher: moves the day's email/SMS work from the S3 exports onto the outbound queues, a
 * 15-minute window at a time (docs/outreach.md, "Dispatch").
 *
 * Exactly-once enqueueing, crash-safe, per action:
 *  1. `begin`: conditional write of a marker `dispatch#<actionId>` (status `enqueuing`, short lease)
 *     — fails when the action is already `queued`, or another dispatch holds a live lease;
 *  2. SendMessageBatch (DelaySeconds = clamp(sendAt − now, 0, 900));
 *  3. `queued` for the entries SQS accepted; the lease of the rest is released for the next run.
 * A crash after 1 leaves an expired lease: the next run takes the action over (never lost). A crash
 * between 2 and 3 is the one case that enqueues twice; the sender's send-ledger claim then sends once.
 * Per part, `doneThrough` (the horizon of the last clean pass) lets later runs skip what was already
 * queued without a DynamoDB call per line.
 */
import { NotFoundError } from '../../domain/errors';
import type { ObjectStore } from '../../ports';
import { keys } from '../keys';

export type DispatchChannel = 'email' | 'sms';

export interface OutboundEntry {
  /** Unique in the batch; [A-Za-z0-9_-]{1,80}. */
  id: string;
  body: string;
  delaySeconds: number;
}

export interface OutboundQueues {
  /** ≤ 10 entries; retries transient entry failures itself. Returns the ids that were not accepted. */
  sendBatch(channel: DispatchChannel, entries: readonly OutboundEntry[]): Promise<string[]>;
}

export interface DispatchMarkers {
  /**
   * Takes the action for enqueueing. `queued`: an earlier dispatch enqueued it; `busy`: another
   * dispatch holds a live lease on it (it may yet fail, so the part is not done).
   */
  begin(actionId: string, now: Date, leaseMs: number): Promise<'taken' | 'queued' | 'busy'>;
  queued(actionId: string, now: Date): Promise<void>;
  /** Gives the lease back after SQS refused the entry. */
  release(actionId: string): Promise<void>;
  /** ISO instant: every line of the part with sendAt before it is queued. */
  doneThrough(runDate: string, part: string): Promise<string | undefined>;
  setDoneThrough(runDate: string, part: string, through: string): Promise<void>;
}

export interface DispatchDeps {
  store: ObjectStore;
  queues: OutboundQueues;
  markers: DispatchMarkers;
  /** How far ahead of `now` work is enqueued (default 15 min = the schedule's period). */
  horizonMs?: number;
  /** Marker lease; longer than one dispatch of a batch (default 5 min). */
  leaseMs?: number;
  log?: { warn(message: string, fields: Record<string, unknown>): void };
}

export interface DispatchResult {
  runDate: string;
  now: string;
  horizon: string;
  /** false: no manifest for the day (nothing exported yet, or no run). */
  manifest: boolean;
  enqueued: Record<DispatchChannel, number>;
  /** Lines already queued by an earlier dispatch (marker) or covered by a part's doneThrough. */
  alreadyQueued: number;
  /** Lines whose sendAt is at or after the horizon: a later run enqueues them. */
  later: number;
  /** Lines SQS refused after retries (their marker released; the next run tries again). */
  failed: number;
  /** Lines that are not JSON or lack actionId / sendAt of this channel: skipped (the sender would reject them as poison). */
  malformed: number;
}

const MAX_DELAY_S = 900; // SQS DelaySeconds maximum
const CHANNELS: readonly DispatchChannel[] = ['email', 'sms'];

interface Line {
  actionId: string;
  body: string;
  sendAtMs: number;
}

function parseLine(raw: string, channel: DispatchChannel): Line | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const o = v as { actionId?: unknown; sendAt?: unknown; channel?: unknown };
  if (typeof o?.actionId !== 'string' || typeof o.sendAt !== 'string' || o.channel !== channel) return undefined;
  const sendAtMs = Date.parse(o.sendAt);
  if (!Number.isFinite(sendAtMs)) return undefined;
  return { actionId: o.actionId, body: raw, sendAtMs };
}

export const delaySecondsFor = (sendAtMs: number, nowMs: number) => Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((sendAtMs - nowMs) / 1000)));

/** One day's dispatch up to `now + horizon`. Idempotent: run it as often as you like. */
export async function dispatchDay(deps: DispatchDeps, input: { runDate: string; now: Date }): Promise<DispatchResult> {
  const nowMs = input.now.getTime();
  const horizonMs = nowMs + (deps.horizonMs ?? 15 * 60_000);
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const result: DispatchResult = {
    runDate: input.runDate,
    now: input.now.toISOString(),
    horizon: new Date(horizonMs).toISOString(),
    manifest: true,
    enqueued: { email: 0, sms: 0 },
    alreadyQueued: 0,
    later: 0,
    failed: 0,
    malformed: 0,
  };
  let manifest: { parts?: Partial<Record<string, string[]>> };
  try {
    manifest = JSON.parse(await deps.store.getText(keys.manifest(input.runDate))) as typeof manifest;
  } catch (e) {
    if (e instanceof NotFoundError || (e as Error)?.name === 'NotFoundError') return { ...result, manifest: false };
    throw e;
  }

  for (const channel of CHANNELS) {
    for (const part of manifest.parts?.[channel] ?? []) {
      const doneThrough = await deps.markers.doneThrough(input.runDate, part);
      const doneMs = doneThrough ? Date.parse(doneThrough) : -Infinity;
      // Nothing in this part can be due that is not queued already: not even read.
      if (doneMs >= horizonMs) continue;
      let text: string;
      try {
        text = await deps.store.getText(part);
      } catch (e) {
        // Listed but absent (expired, deleted): nothing to send from it.
        if (e instanceof NotFoundError || (e as Error)?.name === 'NotFoundError') continue;
        throw e;
      }
      const due: Line[] = [];
      for (const raw of text.split('\n')) {
        if (raw.trim().length === 0) continue;
        const line = parseLine(raw, channel);
        if (!line) {
          result.malformed++;
          continue;
        }
        if (line.sendAtMs >= horizonMs) result.later++;
        else if (line.sendAtMs < doneMs) result.alreadyQueued++;
        else due.push(line);
      }
      let clean = true;
      for (let i = 0; i < due.length; i += 10) {
        const group = due.slice(i, i + 10);
        const taken = await Promise.all(group.map((l) => deps.markers.begin(l.actionId, input.now, leaseMs)));
        const mine = group.filter((_, k) => taken[k] === 'taken');
        result.alreadyQueued += taken.filter((t) => t === 'queued').length;
        if (taken.includes('busy')) clean = false;
        if (mine.length === 0) continue;
        const entries = mine.map((l, k) => ({ id: `e${k}`, body: l.body, delaySeconds: delaySecondsFor(l.sendAtMs, nowMs) }));
        const refused = new Set(await deps.queues.sendBatch(channel, entries));
        await Promise.all(
          mine.map(async (l, k) => {
            if (refused.has(`e${k}`)) {
              result.failed++;
              clean = false;
              await deps.markers.release(l.actionId).catch(() => undefined);
            } else {
              result.enqueued[channel]++;
              // If this write fails the lease simply expires: the next run re-enqueues (the sender dedups).
              await deps.markers.queued(l.actionId, input.now).catch((e: unknown) => {
                clean = false;
                deps.log?.warn('queued marker not written', { actionId: l.actionId, error: (e as Error)?.name });
              });
            }
          }),
        );
      }
      // Only a clean pass proves every line before the horizon is queued (a line under another
      // dispatch's live lease does not: that dispatch may still fail and release it).
      if (clean) {
        await deps.markers.setDoneThrough(input.runDate, part, new Date(horizonMs).toISOString());
      }
    }
  }
  return result;
}
