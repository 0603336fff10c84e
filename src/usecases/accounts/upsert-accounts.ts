/**
 * POST /accounts (docs/accounts-api.md): batch upsert of up to 500 accounts in the portfolio
 * file's schema. Every item is validated on its own and written on its own (a conditional-free
 * UpdateItem of the lender's fields, so an open promise, applied payment keys and the version
 * counter survive a re-send); the answer reports each item.
 */
import { z } from 'zod';
import { checkAccountBatch, MAX_BATCH_ITEMS } from '../../domain/accounts/ingest';
import { PORTFOLIO_COLUMNS, REQUIRED_COLUMNS } from '../../domain/portfolio/columns';
import { mapLimit } from '../../adapters/dynamo-batch';
import { logger } from '../../logger';
import type { AccountStore } from './ports';

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const REQUIRED: ReadonlySet<string> = new Set(REQUIRED_COLUMNS);

/** One account: the portfolio file's columns as keys (docs/portfolio-file.md); for the OpenAPI document. */
export const accountItemSchema = z
  .object(Object.fromEntries(PORTFOLIO_COLUMNS.map((c) => [c, REQUIRED.has(c) ? cellSchema : cellSchema.optional()])))
  .describe('an account keyed by the portfolio file column names; the file rules apply to each value (docs/portfolio-file.md)');

/** The edge check: the envelope only. Items are validated one by one so one bad item never fails the batch. */
export const upsertAccountsBodySchema = z.strictObject({
  accounts: z
    .array(z.unknown())
    .min(1, 'at least one account')
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} accounts per request`)
    .describe(`1-${MAX_BATCH_ITEMS} accounts`),
});

/** The same envelope with typed items, for the OpenAPI document. */
export const upsertAccountsDocSchema = z.object({ accounts: z.array(accountItemSchema).min(1).max(MAX_BATCH_ITEMS) });

export const itemResultSchema = z.object({
  index: z.number().int().describe('position in the request array'),
  accountId: z.string().nullable(),
  status: z.enum(['created', 'updated', 'rejected', 'failed']),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('rejected: every problem of the item'),
  unknownFields: z.array(z.string()).optional().describe('keys that are not portfolio columns (ignored)'),
});
export const upsertAccountsResponseSchema = z.object({
  received: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int().describe('valid items that could not be written (retry them)'),
  results: z.array(itemResultSchema),
});
export type UpsertAccountsResult = z.infer<typeof upsertAccountsResponseSchema>;
type ItemResult = z.infer<typeof itemResultSchema>;

export interface UpsertDeps {
  store: AccountStore;
  now: () => Date;
  /** Writes in flight (default 16). */
  concurrency?: number;
}

export async function upsertAccounts(deps: UpsertDeps, items: readonly unknown[]): Promise<UpsertAccountsResult> {
  const now = deps.now();
  const checks = checkAccountBatch(items);
  let firstFailure: unknown = null;
  const results = await mapLimit(checks, deps.concurrency ?? 16, async (c): Promise<ItemResult> => {
    if (!c.ok) return { index: c.index, accountId: c.accountId, status: 'rejected', errors: c.errors };
    const extra = c.unknownFields.length > 0 ? { unknownFields: c.unknownFields } : {};
    try {
      const status = await deps.store.upsert(c.account, now);
      return { index: c.index, accountId: c.account.accountId, status, ...extra };
    } catch (e) {
      // The SDK already retried throttling; report the item so the lender re-sends it alone.
      firstFailure ??= e;
      logger.warn('account upsert failed', { index: c.index, error: (e as Error).name });
      return { index: c.index, accountId: c.account.accountId, status: 'failed', errors: [{ field: '(item)', message: 'could not be stored now; send it again' }], ...extra };
    }
  });
  const count = (s: ItemResult['status']) => results.filter((r) => r.status === s).length;
  const summary = { received: items.length, created: count('created'), updated: count('updated'), rejected: count('rejected'), failed: count('failed') };
  // Nothing could be written at all: that is our outage, not a per-item answer.
  if (summary.failed > 0 && summary.created + summary.updated === 0 && firstFailure) throw firstFailure;
  return { ...summary, results };
}
