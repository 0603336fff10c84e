/**
 * SMS encoding and segment arithmetic. A message that is all GSM-7 (GSM 03.38) costs 160
 * characters in one segment, 153 per segment when split; one character outside it turns the
 * whole message into UCS-2: 70, or 67 per segment. Spanish á/í/ó/ú are outside GSM-7 (é, ñ, ü,
 * ¿, ¡ are inside), so one accent can double or triple the price of a text.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension table: each costs two septets (escape + char). */
const GSM_EXTENDED = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export const isGsm7 = (text: string): boolean => [...text].every((c) => BASIC.has(c) || EXTENDED.has(c));

/** Typographic characters with an exact GSM-7 stand-in. */
const PUNCTUATION: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
};

/**
 * Replaces characters outside GSM-7 by their closest GSM-7 form when one exists (á → a,
 * Í → I, ’ → '); characters already in GSM-7 (é, ñ, ¿) are kept. Anything with no stand-in
 * (e.g. a name in another script) is left as is, and the message stays UCS-2.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of text) {
    if (BASIC.has(c) || EXTENDED.has(c)) {
      out += c;
      continue;
    }
    const punct = PUNCTUATION[c];
    if (punct !== undefined) {
      out += punct;
      continue;
    }
    const base = c.normalize('NFD').replace(/\p{M}+/gu, '');
    out += base.length > 0 && isGsm7(base) ? base : c;
  }
  return out;
}

export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function smsLength(text: string): SmsLength {
  if (isGsm7(text)) {
    let units = 0;
    for (const c of text) units += EXTENDED.has(c) ? 2 : 1;
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length; // UTF-16 code units: a character outside the BMP takes two
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
