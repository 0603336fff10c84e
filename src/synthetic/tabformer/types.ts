/**
 * Records shaped like IBM's TabFormer credit-card dataset (users.csv, cards.csv, transactions.csv),
 * as camelCase TypeScript properties. The `*_COLUMNS` arrays are TabFormer's exact CSV headers, in
 * TabFormer's order; users additionally carry `Email` and `Phone` (PII the core holds that
 * TabFormer lacks). Money is in dollars with two decimals; dates are the calendar values TabFormer
 * writes (no time zone: a transaction's Year/Month/Day/Time are the merchant's local wall clock).
 */

export type Gender = 'Female' | 'Male';
export type CardBrand = 'Visa' | 'Mastercard' | 'Amex' | 'Discover';
export type CardType = 'Credit' | 'Debit' | 'Debit (Prepaid)';
export type UseChip = 'Chip Transaction' | 'Swipe Transaction' | 'Online Transaction';
/** The error values TabFormer's `Errors?` column holds (comma-separated when several). */
export type TabError =
  | 'Bad CVV'
  | 'Bad Card Number'
  | 'Bad Expiration'
  | 'Bad PIN'
  | 'Bad Zipcode'
  | 'Insufficient Balance'
  | 'Technical Glitch';

export interface TabUser {
  /** TabFormer's user id is the 0-based row number of users.csv (not a column); kept here explicitly. */
  user: number;
  person: string;
  currentAge: number;
  retirementAge: number;
  birthYear: number;
  birthMonth: number;
  gender: Gender;
  address: string;
  apartment: number | null;
  city: string;
  state: string;
  zipcode: string;
  latitude: number;
  longitude: number;
  perCapitaIncomeZipcode: number;
  yearlyIncomePerson: number;
  totalDebt: number;
  ficoScore: number;
  numCreditCards: number;
  email: string;
  phone: string;
}

export interface TabCard {
  user: number;
  cardIndex: number;
  cardBrand: CardBrand;
  cardType: CardType;
  /** Digits only, Luhn-valid (15 for Amex, 16 otherwise). */
  cardNumber: string;
  /** MM/YYYY */
  expires: string;
  cvv: string;
  hasChip: boolean;
  cardsIssued: number;
  creditLimit: number;
  /** MM/YYYY */
  acctOpenDate: string;
  yearPinLastChanged: number;
  cardOnDarkWeb: boolean;
}

export interface TabTransaction {
  /** Not a TabFormer column: stable id `<user>-<card>-<seq>` (unique, deterministic per seed). */
  id: string;
  user: number;
  card: number;
  year: number;
  month: number;
  day: number;
  /** HH:MM */
  time: string;
  /** Not a TabFormer column: the same instant as YYYY-MM-DDTHH:MM:00.000Z (wall clock read as UTC). */
  at: string;
  /** Dollars; negative for a refund. */
  amount: number;
  useChip: UseChip;
  /** TabFormer's merchant name is an anonymised signed 64-bit integer, kept as its decimal text. */
  merchantName: string;
  /** 'ONLINE' for online transactions (then state and zip are empty). */
  merchantCity: string;
  merchantState: string;
  merchantZip: string;
  mcc: number;
  errors: TabError[];
  isFraud: boolean;
  /** Not a TabFormer column: the generator's fraud scenario (docs/cdp-data.md), null for genuine ones. */
  fraudPattern: FraudPattern | null;
}

export type FraudPattern = 'card-testing' | 'counterfeit-far-from-home' | 'dark-web-online' | 'pin-attack';

export interface TabFormerData {
  users: TabUser[];
  cards: TabCard[];
  transactions: TabTransaction[];
}

export const USER_COLUMNS = [
  'Person', 'Current Age', 'Retirement Age', 'Birth Year', 'Birth Month', 'Gender', 'Address', 'Apartment',
  'City', 'State', 'Zipcode', 'Latitude', 'Longitude', 'Per Capita Income - Zipcode', 'Yearly Income - Person',
  'Total Debt', 'FICO Score', 'Num Credit Cards',
] as const;
/** users.csv as written here: TabFormer's columns, then the two PII fields TabFormer lacks. */
export const USER_CSV_COLUMNS = [...USER_COLUMNS, 'Email', 'Phone'] as const;

export const CARD_COLUMNS = [
  'User', 'CARD INDEX', 'Card Brand', 'Card Type', 'Card Number', 'Expires', 'CVV', 'Has Chip', 'Cards Issued',
  'Credit Limit', 'Acct Open Date', 'Year PIN last Changed', 'Card on Dark Web',
] as const;

export const TRANSACTION_COLUMNS = [
  'User', 'Card', 'Year', 'Month', 'Day', 'Time', 'Amount', 'Use Chip', 'Merchant Name', 'Merchant City',
  'Merchant State', 'Zip', 'MCC', 'Errors?', 'Is Fraud?',
] as const;
