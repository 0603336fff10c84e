import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Opaque, signed unsubscribe tokens: `<base64url(actionId)>.<base64url(HMAC-SHA256)[0..22]>`.
 * They carry the action id only (no address: URLs end up in logs); the unsubscribe endpoint
 * verifies the signature and resolves the address from the send record.
 */
const SIG_CHARS = 22; // 132 bits

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(`unsubscribe.v1|${payload}`).digest('base64url').slice(0, SIG_CHARS);

export function unsubscribeToken(secret: string, actionId: string): string {
  const payload = Buffer.from(actionId, 'utf8').toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The action id of a valid token; null for anything forged or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const [payload, sig, ...rest] = token.split('.');
  if (!payload || !sig || rest.length > 0) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return Buffer.from(payload, 'base64url').toString('utf8');
}

export interface UnsubscribeLinks {
  url(actionId: string): string;
  mailto(actionId: string): string;
}

export function unsubscribeLinks(opts: { baseUrl: string; mailbox: string; secret: string }): UnsubscribeLinks {
  return {
    url: (actionId) => {
      const u = new URL(opts.baseUrl);
      u.searchParams.set('token', unsubscribeToken(opts.secret, actionId));
      return u.toString();
    },
    mailto: (actionId) => `mailto:${opts.mailbox}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken(opts.secret, actionId)}`)}`,
  };
}
