/**
 * Core → stream: personal fields encrypted field by field, card numbers tokenized, CVV dropped.
 * Used by the extractor function (core table changes) and by the backfill (core reads): one
 * mapping, so streamed and backfilled records are identical.
 */
import { toCents, type PiiField, type CardRecord, type StreamRecord, type TransactionRecord } from '../../domain/cdp/records';
import type { TabCard, TabTransaction, TabUser } from '../../synthetic/tabformer/types';
import type { CardTokenizer, CoreReader, FieldCipher, StreamPublisher } from './ports';

export interface ExtractDeps {
  cipher: FieldCipher;
  tokenizer: CardTokenizer;
  core: CoreReader;
}

export const cardRecordId = (cardToken: string) => `card:${cardToken}`;

/** The plaintext of each personal field, as it is encrypted (absent values are not encrypted). */
export function piiValues(user: TabUser, card: TabCard): Record<string, string> {
  const values: Record<string, string | null> = {
    person: user.person,
    address: user.address,
    apartment: user.apartment === null ? null : String(user.apartment),
    city: user.city,
    zipcode: user.zipcode,
    birth: `${user.birthYear}-${String(user.birthMonth).padStart(2, '0')}`,
    gender: user.gender,
    email: user.email,
    phone: user.phone,
    cardNumber: card.cardNumber,
    expires: card.expires,
  };
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null && e[1] !== ''));
}

export async function toCardRecord(deps: Pick<ExtractDeps, 'cipher' | 'tokenizer'>, user: TabUser, card: TabCard, changedAt: string): Promise<CardRecord> {
  const cardToken = deps.tokenizer.token(card.cardNumber);
  const recordId = cardRecordId(cardToken);
  const encrypted: Record<string, string> = {};
  // Sequential on purpose: the KMS keyring makes one GenerateDataKey per field; a burst per card
  // record would only contend with the other records of the batch.
  for (const [field, value] of Object.entries(piiValues(user, card))) {
    encrypted[field] = await deps.cipher.encrypt(field as PiiField, recordId, value);
  }
  return {
    kind: 'card',
    recordId,
    cardToken,
    userId: String(card.user),
    cardIndex: card.cardIndex,
    cardBrand: card.cardBrand,
    cardType: card.cardType,
    hasChip: card.hasChip,
    cardOnDarkWeb: card.cardOnDarkWeb,
    creditLimitCents: toCents(card.creditLimit),
    acctOpenDate: card.acctOpenDate,
    yearPinLastChanged: card.yearPinLastChanged,
    homeLat: user.latitude,
    homeLon: user.longitude,
    state: user.state,
    currentAge: user.currentAge,
    ficoScore: user.ficoScore,
    yearlyIncomeCents: toCents(user.yearlyIncomePerson),
    totalDebtCents: toCents(user.totalDebt),
    encrypted,
    changedAt,
  };
}

export function toTransactionRecord(t: TabTransaction, cardToken: string): TransactionRecord {
  return {
    kind: 'transaction',
    txnId: t.id,
    cardToken,
    userId: String(t.user),
    at: t.at,
    amountCents: toCents(t.amount),
    useChip: t.useChip,
    merchantId: t.merchantName,
    merchantCity: t.merchantCity,
    merchantState: t.merchantState,
    merchantZip: t.merchantZip,
    mcc: t.mcc,
    errors: [...t.errors],
    isFraud: t.isFraud,
  };
}

/** A change of the core table, as a DynamoDB stream record carries it (NewImage unmarshalled). */
export type CoreChange =
  | { id: string; entity: 'customer'; user: TabUser }
  | { id: string; entity: 'card'; card: TabCard }
  | { id: string; entity: 'transaction'; transaction: TabTransaction }
  | { id: string; entity: 'ignored' };

export class MissingCoreRowError extends Error {
  override readonly name = 'MissingCoreRowError';
}

/** Caches card tokens per (user, card): a warm extractor reads each card once. */
export class CardTokenCache {
  private readonly tokens = new Map<string, string>();
  constructor(private readonly maxSize = 100_000) {}
  async tokenFor(deps: ExtractDeps, user: number, cardIndex: number): Promise<string> {
    const key = `${user}/${cardIndex}`;
    const hit = this.tokens.get(key);
    if (hit) return hit;
    const card = await deps.core.card(user, cardIndex);
    if (!card) throw new MissingCoreRowError(`card ${cardIndex} of customer ${user} is not in the core`);
    const token = deps.tokenizer.token(card.cardNumber);
    if (this.tokens.size >= this.maxSize) this.tokens.clear();
    this.tokens.set(key, token);
    return token;
  }
}

export interface ExtractResult {
  published: number;
  encryptedFields: number;
  /** Change ids (stream sequence numbers) not published: the earliest is reported for retry. */
  failed: string[];
}

/**
 * Maps core changes to stream records (in change order) and publishes them. A customer change
 * re-emits the customer's cards (their snapshot embeds the holder); a card change emits its
 * snapshot; a transaction emits itself. Deletions and unknown rows are ignored (docs/cdp.md).
 */
export async function extractChanges(
  deps: ExtractDeps & { stream: StreamPublisher; tokens: CardTokenCache; now: () => Date },
  changes: readonly CoreChange[],
): Promise<ExtractResult> {
  const records: StreamRecord[] = [];
  const owner: string[] = [];
  const failed: string[] = [];
  let encryptedFields = 0;
  for (const change of changes) {
    try {
      const out: StreamRecord[] = [];
      const at = deps.now().toISOString();
      if (change.entity === 'customer') {
        for (const card of await deps.core.cards(change.user.user)) out.push(await toCardRecord(deps, change.user, card, at));
      } else if (change.entity === 'card') {
        const user = await deps.core.customer(change.card.user);
        if (!user) throw new MissingCoreRowError(`customer ${change.card.user} of a card is not in the core`);
        out.push(await toCardRecord(deps, user, change.card, at));
      } else if (change.entity === 'transaction') {
        const t = change.transaction;
        out.push(toTransactionRecord(t, await deps.tokens.tokenFor(deps, t.user, t.card)));
      }
      for (const r of out) {
        if (r.kind === 'card') encryptedFields += Object.keys(r.encrypted).length;
        records.push(r);
        owner.push(change.id);
      }
    } catch (e) {
      if (!(e instanceof MissingCoreRowError)) throw e;
      failed.push(change.id);
    }
  }
  const { failed: notPublished } = records.length > 0 ? await deps.stream.publish(records) : { failed: [] };
  for (const i of notPublished) failed.push(owner[i]!);
  return { published: records.length - notPublished.length, encryptedFields, failed: [...new Set(failed)] };
}
