import { createHash } from 'node:crypto';

/** Email as the contacts table stores it (docs/data-model.md): trimmed, lower-cased, display name dropped. */
export function normalizeEmail(raw: string): string | undefined {
  const angle = /<([^>]+)>/.exec(raw);
  const addr = (angle ? angle[1]! : raw).trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(addr) ? addr : undefined;
}

/**
 * Phone as E.164. AWS sends E.164 already; a 10-digit NANP number or "1" + 10 digits is accepted
 * for robustness. Sender IDs (letters) and short codes are not phones: undefined.
 */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.trim();
  if (/[A-Za-z]/.test(s)) return undefined;
  const digits = s.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{7,14}$/.test(digits)) return digits;
  if (/^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

/** Short stable digest: ids and keys that must not carry an address in clear. */
export function digest(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

/** ISO-8601 UTC with milliseconds, or undefined for an unparseable instant. */
export function isoInstant(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
