/**
 * The dialer's results file (docs/dialer.md): one row per call attempt the dialer placed from our
 * call list, with its outcome. What the rules need from it is small: when we had a conversation
 * with the consumer (Regulation F: no call for 7 days after one) and which numbers must not be
 * called again (the consumer asked us to stop; the number is not theirs).
 */
import { DialerFileError } from '../errors';
import { csvRecordBatches } from '../portfolio/csv';
import { E164_RE, ID_RE } from '../portfolio/validate';

export const DIALER_OUTCOMES = ['no_answer', 'busy', 'voicemail', 'connected', 'wrong_party', 'wrong_number', 'cease', 'failed'] as const;
export type DialerOutcome = (typeof DIALER_OUTCOMES)[number];

export const DIALER_COLUMNS = ['account_id', 'phone', 'attempted_at', 'outcome'] as const;
const OPTIONAL_COLUMNS = ['action_id'] as const;

export interface DialerResult {
  /** File line of the row (the header is line 1). */
  row: number;
  accountId: string;
  actionId: string | null;
  /** E.164 */
  phone: string;
  /** UTC ISO-8601 with milliseconds: the form the contacts table's `conversations` set holds. */
  attemptedAt: string;
  outcome: DialerOutcome;
}

export interface DialerReject {
  row: number;
  accountId: string;
  reason: string;
}

export type DialerRow = { kind: 'result'; result: DialerResult } | { kind: 'reject'; reject: DialerReject };

/** What one result changes in the contact state. */
export interface DialerEffects {
  /** A conversation with the consumer at this instant (starts the 7-day call cooldown). */
  conversationAt?: string;
  /** This number goes on the account's voice suppression list. */
  suppressNumber?: 'cease_request' | 'wrong_number';
}

/**
 * connected: the consumer was reached and spoke with us → a conversation. cease: they asked us to
 * stop calling → a conversation too, and the number is never called again (the request is honoured
 * per number, like an SMS STOP). wrong_number: the number is not the consumer's → never called again.
 * wrong_party (someone else answered), voicemail, no answer, busy, failed: no conversation.
 */
export function effectsOf(r: DialerResult): DialerEffects {
  switch (r.outcome) {
    case 'connected':
      return { conversationAt: r.attemptedAt };
    case 'cease':
      return { conversationAt: r.attemptedAt, suppressNumber: 'cease_request' };
    case 'wrong_number':
      return { suppressNumber: 'wrong_number' };
    default:
      return {};
  }
}

// An instant with an explicit offset: a local time without one would be ambiguous across zones.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ACTION_RE = /^\d{4}-\d{2}-\d{2}#([A-Za-z0-9_.:-]{1,64})#voice$/;

function toRow(fields: string[], line: number, at: Record<string, number>, now: number): DialerRow {
  const get = (col: string) => (at[col] === undefined ? '' : (fields[at[col]!] ?? '').trim());
  const accountId = get('account_id');
  const reasons: string[] = [];
  if (!ID_RE.test(accountId)) reasons.push('account_id: must be 1-64 characters of A-Z a-z 0-9 _ . : -');
  const phone = get('phone');
  if (!E164_RE.test(phone)) reasons.push('phone: not an E.164 number');
  const when = get('attempted_at');
  const ms = INSTANT_RE.test(when) ? Date.parse(when) : NaN;
  if (Number.isNaN(ms)) reasons.push('attempted_at: not an ISO-8601 instant with a UTC offset (e.g. 2026-01-05T14:03:00-05:00)');
  // Clock skew of a few minutes is tolerated; a call after the file arrived is a data error.
  else if (ms > now + 10 * 60_000) reasons.push('attempted_at: after the file arrived');
  const outcome = get('outcome').toLowerCase();
  if (!(DIALER_OUTCOMES as readonly string[]).includes(outcome)) reasons.push(`outcome: must be one of ${DIALER_OUTCOMES.join(', ')}`);
  const actionId = get('action_id');
  const action = actionId === '' ? null : ACTION_RE.exec(actionId);
  if (actionId !== '' && (!action || action[1] !== accountId)) reasons.push('action_id: not a voice action of this account (<runDate>#<account_id>#voice)');
  if (reasons.length > 0) return { kind: 'reject', reject: { row: line, accountId: ID_RE.test(accountId) ? accountId : '', reason: reasons.join('; ') } };
  return {
    kind: 'result',
    result: { row: line, accountId, actionId: actionId || null, phone, attemptedAt: new Date(ms).toISOString(), outcome: outcome as DialerOutcome },
  };
}

/**
 * Reads a results file as a stream: throws DialerFileError before yielding anything when it is
 * empty, not UTF-8 text or its header lacks a required column; yields every data row in file
 * order as a result or a reject with its reason (a bad row never stops the file). Columns may
 * come in any order; unknown columns are ignored. `now`: when the file arrived (epoch ms); rows
 * later than that (beyond clock skew) are rejected.
 */
export async function* readDialerResults(source: AsyncIterable<Uint8Array | string>, now: number = Date.now()): AsyncGenerator<DialerRow> {
  const fail = (message: string, cause?: unknown) => new DialerFileError(message, cause === undefined ? undefined : { cause });
  let at: Record<string, number> | null = null;
  let width = 0;
  for await (const records of csvRecordBatches(source, 'dialer results file', fail)) {
    for (const record of records) {
      if (at === null) {
        if (record.malformed) throw fail(`dialer results file header: ${record.malformed.message}`);
        const names = record.fields.map((f) => f.trim().toLowerCase());
        const missing = DIALER_COLUMNS.filter((c) => !names.includes(c));
        if (missing.length > 0) throw fail(`dialer results file header lacks required column(s): ${missing.join(', ')}`);
        at = {};
        for (const c of [...DIALER_COLUMNS, ...OPTIONAL_COLUMNS]) if (names.includes(c)) at[c] = names.indexOf(c);
        width = names.length;
        continue;
      }
      if (record.fields.length === 1 && record.fields[0]!.trim() === '') continue; // blank line
      if (record.malformed) yield { kind: 'reject', reject: { row: record.line, accountId: '', reason: `malformed quoting in field ${record.malformed.field + 1}: ${record.malformed.message}` } };
      else if (record.fields.length !== width) yield { kind: 'reject', reject: { row: record.line, accountId: '', reason: `expected ${width} fields, found ${record.fields.length}` } };
      else yield toRow(record.fields, record.line, at, now);
    }
  }
  if (at === null) throw fail('dialer results file is empty (no header row)');
}
