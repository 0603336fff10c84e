/**
 * Revocation of SMS consent in a free-text reply (TCPA as amended by FCC 24-24: "any reasonable
 * means"; Reg F §1006.6(e)). The rule, documented in docs/engagement.md:
 *  1. the reply is only revocation words — STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE
 *     (any case; surrounding spaces, punctuation, emoji; repeated; with "please"/"now"…) → revoked;
 *  2. UNSUBSCRIBE, REVOKE, OPT OUT / OPTOUT / OPT-OUT anywhere in the reply → revoked (they have no
 *     everyday meaning in a collections conversation);
 *  3. STOP / QUIT / END / CANCEL followed by a contact word ("stop texting me", "cancel messages")
 *     → revoked;
 *  4. a negation right before the keyword ("don't stop", "do not cancel") is not a revocation.
 * "end of the month" or "cancel my payment plan" are not revocations: those words are common in
 * replies about the debt. When in doubt the reply is still recorded (kind `reply`) for an agent.
 */
export const REVOCATION_KEYWORDS = ['stop', 'quit', 'end', 'revoke', 'opt out', 'cancel', 'unsubscribe'] as const;

const STRONG = new Set(['unsubscribe', 'revoke', 'optout']);
const WEAK = new Set(['stop', 'quit', 'end', 'cancel']);
const FILLER = new Set(['please', 'pls', 'plz', 'now', 'all', 'it', 'me', 'thanks', 'thank', 'you', 'thx']);
const CONTACT_WORDS = new Set([
  'texting', 'texts', 'text', 'messaging', 'messages', 'message', 'msgs', 'msg', 'sms',
  'contacting', 'contact', 'sending', 'send', 'calling', 'calls', 'emailing', 'emails',
]);
const NEGATIONS = new Set(['dont', 'don\u2019t', 'not', 'never', 'cant', 'cannot', 'wont', 'no']);

/** Lower-cased words; "opt out", "opt-out" and "optout" become one token "optout". */
export function tokens(body: string): string[] {
  const words = body
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\u2018\u2019']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'opt' && words[i + 1] === 'out') {
      out.push('optout');
      i++;
    } else out.push(words[i]!);
  }
  return out;
}

export function isRevocation(body: string, providerKeyword?: string): boolean {
  if (providerKeyword && tokens(providerKeyword).some((t) => STRONG.has(t) || WEAK.has(t)) && tokens(providerKeyword).length <= 2) {
    // The number's registered opt-out keyword matched (End User Messaging reports it).
    return true;
  }
  const t = tokens(body);
  if (t.length === 0) return false;
  // "don't stop", "do not cancel", "never stop": the word before the keyword negates it.
  const negatedAt = (i: number) => i > 0 && NEGATIONS.has(t[i - 1]!);
  // 1. only revocation words (and filler)
  if (t.every((w) => STRONG.has(w) || WEAK.has(w) || FILLER.has(w)) && t.some((w, i) => (STRONG.has(w) || WEAK.has(w)) && !negatedAt(i))) return true;
  for (let i = 0; i < t.length; i++) {
    const w = t[i]!;
    if (negatedAt(i)) continue;
    // 2. strong words anywhere
    if (STRONG.has(w)) return true;
    // 3. weak word + contact word within the next two words ("stop texting", "stop all messages")
    if (WEAK.has(w) && [t[i + 1], t[i + 2]].some((n) => n !== undefined && CONTACT_WORDS.has(n))) return true;
  }
  return false;
}
