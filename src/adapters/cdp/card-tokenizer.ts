import { createHmac } from 'node:crypto';
import type { CardTokenizer } from '../../usecases/cdp/ports';

/**
 * `ct_` + 32 base64url characters of HMAC-SHA256(key, digits): deterministic (joins across
 * records and systems holding the same key), irreversible without the key (a plain hash of a
 * 16-digit number with a known prefix could be brute-forced).
 */
export class HmacCardTokenizer implements CardTokenizer {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('card token key must be at least 32 bytes');
  }
  token(cardNumber: string): string {
    return `ct_${createHmac('sha256', this.key).update(cardNumber.replace(/\D/g, '')).digest('base64url').slice(0, 32)}`;
  }
}
