/**
 * TabFormer-style CSV files (users.csv, cards.csv, transactions.csv) with TabFormer's column names
 * and value spellings: money as "$134.09" (refunds "$-77.00"), YES/NO for Has Chip, Yes/No for
 * Card on Dark Web and Is Fraud?, errors comma-joined, 'ONLINE' merchants with empty state/zip.
 * ZIPs are written as 5-digit text (TabFormer's float spelling "2108.0" loses the leading zero).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  CARD_COLUMNS, TRANSACTION_COLUMNS, USER_CSV_COLUMNS,
  type TabCard, type TabFormerData, type TabTransaction, type TabUser,
} from './types';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const money = (x: number, decimals: 0 | 2): string => `$${x.toFixed(decimals)}`;

export function userCsvRow(u: TabUser): string {
  return [
    u.person, u.currentAge, u.retirementAge, u.birthYear, u.birthMonth, u.gender, u.address, u.apartment, u.city,
    u.state, u.zipcode, u.latitude, u.longitude, money(u.perCapitaIncomeZipcode, 0), money(u.yearlyIncomePerson, 0),
    money(u.totalDebt, 0), u.ficoScore, u.numCreditCards, u.email, u.phone,
  ].map(cell).join(',');
}

export function cardCsvRow(c: TabCard): string {
  return [
    c.user, c.cardIndex, c.cardBrand, c.cardType, c.cardNumber, c.expires, c.cvv, c.hasChip ? 'YES' : 'NO',
    c.cardsIssued, money(c.creditLimit, 0), c.acctOpenDate, c.yearPinLastChanged, c.cardOnDarkWeb ? 'Yes' : 'No',
  ].map(cell).join(',');
}

export function transactionCsvRow(t: TabTransaction): string {
  return [
    t.user, t.card, t.year, t.month, t.day, t.time, money(t.amount, 2), t.useChip, t.merchantName, t.merchantCity,
    t.merchantState, t.merchantZip, t.mcc, t.errors.join(','), t.isFraud ? 'Yes' : 'No',
  ].map(cell).join(',');
}

function writeCsv<T>(path: string, header: readonly string[], rows: readonly T[], line: (r: T) => string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header.map(cell).join(',') + '\n');
    // Chunks of lines: one write per ~10k rows instead of one giant string.
    for (let i = 0; i < rows.length; i += 10000) {
      const chunk = rows.slice(i, i + 10000).map(line);
      writeSync(fd, chunk.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
}

export interface TabFormerCsvPaths {
  users: string;
  cards: string;
  transactions: string;
}

/** Writes users.csv, cards.csv and transactions.csv (header row first) into `dir` (created if needed). */
export function writeTabFormerCsv(dir: string, data: TabFormerData): TabFormerCsvPaths {
  mkdirSync(dir, { recursive: true });
  const paths = { users: join(dir, 'users.csv'), cards: join(dir, 'cards.csv'), transactions: join(dir, 'transactions.csv') };
  writeCsv(paths.users, USER_CSV_COLUMNS, data.users, userCsvRow);
  writeCsv(paths.cards, CARD_COLUMNS, data.cards, cardCsvRow);
  writeCsv(paths.transactions, TRANSACTION_COLUMNS, data.transactions, transactionCsvRow);
  return paths;
}
