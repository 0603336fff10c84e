/**
 * The dialer stand-in of the local loop: it "places" each call of the day's call list at its send
 * time and writes what a real dialer reports (docs/dialer.md): a results CSV with one row per call.
 * Outcomes are drawn per action id (deterministic for a seed), with rates in the range US collection
 * dialers report (right-party contact a fifth to a quarter of attempts).
 */
import type { DialerOutcome } from '../../src/domain/dialer/results';
import { CsvRecordSplitter } from '../../src/domain/portfolio/csv';
import { rngFor } from './behaviour';

export const DIALER_OUTCOME_RATES: readonly (readonly [DialerOutcome, number])[] = [
  ['no_answer', 0.34],
  ['voicemail', 0.3],
  ['connected', 0.24],
  ['busy', 0.05],
  ['cease', 0.03],
  ['wrong_party', 0.02],
  ['wrong_number', 0.02],
];

export interface PlacedCall {
  actionId: string;
  accountId: string;
  phone: string;
  /** ISO-8601 with the consumer's offset (the call list's send_at). */
  attemptedAt: string;
  outcome: DialerOutcome;
}

export function dialOutcome(seed: number, actionId: string): DialerOutcome {
  let u = rngFor(seed, 'dial', actionId).next();
  for (const [outcome, p] of DIALER_OUTCOME_RATES) {
    if (u < p) return outcome;
    u -= p;
  }
  return 'no_answer';
}

/** The calls of one call-list part (exports/<runDate>/voice/<nnnnn>.csv, header included). */
export function placeCalls(callList: string, seed: number): PlacedCall[] {
  const splitter = new CsvRecordSplitter();
  const records = [...splitter.push(callList), ...splitter.end()];
  const header = records.shift()?.fields ?? [];
  const col = (name: string) => header.indexOf(name);
  const [a, acc, ph, at] = [col('action_id'), col('account_id'), col('phone'), col('send_at')];
  const calls: PlacedCall[] = [];
  for (const r of records) {
    const f = r.fields;
    if (f.length < header.length || !f[ph]) continue; // no number on file: nothing to dial
    calls.push({ actionId: f[a]!, accountId: f[acc]!, phone: f[ph]!, attemptedAt: f[at]!, outcome: dialOutcome(seed, f[a]!) });
  }
  return calls;
}

export const resultsCsv = (calls: readonly PlacedCall[]): string =>
  'action_id,account_id,phone,attempted_at,outcome\n' + calls.map((c) => `${c.actionId},${c.accountId},${c.phone},${c.attemptedAt},${c.outcome}\n`).join('');
