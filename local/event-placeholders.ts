/**
 * Placeholders in sample events (events/*.json), filled by the local plugin right before
 * `sls invoke local` runs the handler, so the checked-in events never hold a token or a date that
 * goes stale:
 *
 *   <TOKEN:admin>                 a fresh local-issuer token, group admin (sub `local-admin`)
 *   <TOKEN:agent+admin>           several groups
 *   <TOKEN:customer:CUS-5521>     with username (= customer id for customers; also the sub)
 *   <DATE>, <DATE+7>, <DATE-3>    today's UTC date (YYYY-MM-DD), shifted by whole days
 *   <NOW>                         the current instant (ISO 8601)
 *   <UUID>                        a fresh random UUID (e.g. an Idempotency-Key)
 *   <PII:person:card:ct_X:Jane Doe>  Jane Doe encrypted as the extractor would: field `person`,
 *                                 record `card:ct_X` in the encryption context, the local PII
 *                                 key ($CDP_LOCAL_KEY_DIR/cdp-pii.key, default .local/keys)
 *
 * Replaced inside every string of the event, including JSON-encoded bodies. A bare `<TOKEN>`
 * (the old form) is an error that says which form to use.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { EsdkFieldCipher, localAesKeyring } from '../src/adapters/cdp/field-cipher';
import { PII_FIELDS, type PiiField } from '../src/domain/cdp/records';
import { GROUPS, type Group } from '../src/http/auth';
import { signLocalToken } from '../src/http/local-issuer';
import { addDays, utcDate } from '../src/domain/dates';

// PII values may hold spaces (a name); never quotes or angle brackets.
const PLACEHOLDER = /<(TOKEN(?::[^<>"\\\s]*)?|DATE(?:[+-]\d{1,4})?|NOW|UUID|PII:[^<>"\\]*)>/g;

export interface TokenRequest {
  groups: Group[];
  sub: string;
  username?: string;
}

export interface FillOptions {
  now?: Date;
  sign?: (req: TokenRequest) => Promise<string>;
  /** Encrypts a PII placeholder; default: the Encryption SDK with the local PII key file. */
  encrypt?: (req: PiiRequest) => Promise<string>;
}

export interface PiiRequest {
  field: PiiField;
  recordId: string;
  value: string;
}

/** `PII:person:card:ct_X:Jane Doe` → field, record id (may hold colons), value (the last part). */
export function parsePiiPlaceholder(spec: string): PiiRequest {
  const parts = spec.split(':');
  const field = parts[1] ?? '';
  const recordId = parts.slice(2, -1).join(':');
  const value = parts.length >= 4 ? parts.at(-1)! : '';
  if (!PII_FIELDS.includes(field as PiiField)) throw new Error(`<${spec}>: unknown field ${field || '(none)'} (one of ${PII_FIELDS.join(', ')}), e.g. <PII:person:card:ct_X:Jane Doe>`);
  if (!recordId || !value) throw new Error(`<${spec}>: say the record and the value, e.g. <PII:email:card:ct_X:jane@example.com>`);
  return { field: field as PiiField, recordId, value };
}

/** As the extractor encrypts locally (src/adapters/cdp/clients.ts fieldCipher): same key file, same context. */
function localPiiEncrypt(): (req: PiiRequest) => Promise<string> {
  let cipher: EsdkFieldCipher | undefined;
  return (r) => (cipher ??= new EsdkFieldCipher(localAesKeyring(join(resolve(process.env.CDP_LOCAL_KEY_DIR || '.local/keys'), 'cdp-pii.key')))).encrypt(r.field, r.recordId, r.value);
}

/** `TOKEN:agent+admin:CUS-1` → groups and username. */
export function parseTokenPlaceholder(spec: string): TokenRequest {
  const [, groupList, ...rest] = spec.split(':');
  const username = rest.length ? rest.join(':') : undefined;
  if (!groupList) throw new Error(`<${spec}>: say which group the token is for, e.g. <TOKEN:admin>, <TOKEN:agent> or <TOKEN:customer:CUS-5521>`);
  const groups = groupList.split(/[+,]/);
  const bad = groups.filter((g) => !GROUPS.includes(g as Group));
  if (bad.length) throw new Error(`<${spec}>: unknown group ${bad.join(', ')} (one of ${GROUPS.join(', ')})`);
  if (groups.includes('customer') && !username) throw new Error(`<${spec}>: a customer token needs the customer id, e.g. <TOKEN:customer:CUS-5521>`);
  return { groups: groups as Group[], sub: username ?? `local-${groups.join('-')}`, ...(username ? { username } : {}) };
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/** The placeholders found in `event` (each once). */
export function placeholdersIn(event: unknown): string[] {
  const found = new Set<string>();
  for (const s of strings(event)) for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]!);
  return [...found];
}

/** A copy of `event` with every placeholder filled; the same placeholder gets the same value. */
export async function fillPlaceholders<T>(event: T, opts: FillOptions = {}): Promise<T> {
  const now = opts.now ?? new Date();
  const sign = opts.sign ?? ((r: TokenRequest) => signLocalToken({ groups: r.groups, sub: r.sub, ...(r.username ? { username: r.username } : {}) }));
  const encrypt = opts.encrypt ?? localPiiEncrypt();
  const values = new Map<string, string>();
  for (const p of placeholdersIn(event)) {
    if (p.startsWith('TOKEN')) values.set(p, await sign(parseTokenPlaceholder(p)));
    else if (p.startsWith('DATE')) values.set(p, addDays(utcDate(now), Number(p.slice(4) || 0)));
    else if (p === 'NOW') values.set(p, now.toISOString());
    else if (p.startsWith('PII:')) values.set(p, await encrypt(parsePiiPlaceholder(p)));
    else values.set(p, randomUUID());
  }
  if (!values.size) return event;
  return mapStrings(event, (s) => s.replace(PLACEHOLDER, (_, p: string) => values.get(p)!)) as T;
}
