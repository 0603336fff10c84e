/**
 * TabFormer records → the fraud model's non-PII input, and the feature matrix of a whole data set
 * computed card by card in time order (profile before each transaction, then updated) — exactly
 * what the stream processor does per record. Used by the training export and by tests.
 */
import {
  emptyProfile, fraudFeatures, updateProfile, type CardProfile, type FraudInput,
} from '../../domain/fraud/features';
import { fraudInputOf, toCents } from '../../domain/cdp/records';
import { toTransactionRecord } from '../../usecases/cdp/extract';
import type { TabCard, TabFormerData, TabTransaction, TabUser } from './types';

/**
 * `cardToken` defaults to "<user>-<card>" (the pipeline passes its keyed-HMAC token instead). The
 * stream's own mappings (toTransactionRecord, fraudInputOf), so training and scoring cannot drift.
 */
export function toFraudInput(t: TabTransaction, card: TabCard, user: TabUser, cardToken = `${t.user}-${t.card}`): FraudInput {
  return fraudInputOf(toTransactionRecord(t, cardToken), {
    hasChip: card.hasChip,
    cardOnDarkWeb: card.cardOnDarkWeb,
    homeLat: user.latitude,
    homeLon: user.longitude,
    creditLimitCents: toCents(card.creditLimit),
    yearlyIncomeCents: toCents(user.yearlyIncomePerson),
  });
}

/** Calls `row(index, features, transaction)` for every transaction, in the data's (time) order. */
export function forEachFeatureRow(data: TabFormerData, row: (i: number, features: number[], t: TabTransaction) => void): void {
  const users = new Map(data.users.map((u) => [u.user, u]));
  const cards = new Map(data.cards.map((c) => [`${c.user}-${c.cardIndex}`, c]));
  const profiles = new Map<string, CardProfile>();
  data.transactions.forEach((t, i) => {
    const key = `${t.user}-${t.card}`;
    const card = cards.get(key);
    const user = users.get(t.user);
    if (!card || !user) throw new Error(`transaction ${t.id} has no card/user`);
    const input = toFraudInput(t, card, user);
    const profile = profiles.get(key) ?? emptyProfile();
    row(i, fraudFeatures(input, profile), t);
    profiles.set(key, updateProfile(profile, input));
  });
}
