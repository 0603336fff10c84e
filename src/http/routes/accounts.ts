import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-spec';
import { upsertAccountsDocSchema, upsertAccountsResponseSchema } from '../../usecases/accounts/upsert-accounts';
import { idempotencyKeySchema, paymentBodySchema, paymentResponseSchema } from '../../usecases/payments/record-payment';
import {
  meQuerySchema,
  meResponseSchema,
  preferencesBodySchema,
  preferencesResponseSchema,
  promiseBodySchema,
  promiseResponseSchema,
} from '../../usecases/self-service/self-service';

/** Body ceilings: 500 accounts of ~1 KB each fit in 1 MiB with room to spare; the others are a few fields. */
export const ACCOUNTS_MAX_BYTES = 1024 * 1024;
export const PAYMENT_MAX_BYTES = 4 * 1024;
export const SELF_SERVICE_MAX_BYTES = 8 * 1024;

const common = {
  401: { description: 'missing, invalid or expired token' },
  403: { description: 'your group may not call this route' },
} as const;

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    path: '/accounts',
    summary: 'Upsert up to 500 accounts (portfolio file schema); every item answered on its own',
    description:
      'Items are validated one by one with the portfolio file rules (docs/portfolio-file.md). 200 when every item was stored; 207 when at least one was rejected or failed (see results[].status). A repeated account_id: the first item is kept, later ones are rejected.',
    groups: ['agent', 'admin'],
    request: { body: upsertAccountsDocSchema },
    responses: {
      200: { description: 'every item created or updated', body: upsertAccountsResponseSchema },
      207: { description: 'some items rejected or failed; the others stored', body: upsertAccountsResponseSchema },
      400: { description: 'not a batch: accounts missing, empty or more than 500 items' },
      ...common,
      413: { description: 'body larger than 1 MiB' },
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/payments',
    summary: 'Record a payment exactly once (Idempotency-Key): balance, days past due, promises, cure',
    groups: ['agent', 'admin'],
    request: { body: paymentBodySchema, headers: z.object({ 'idempotency-key': idempotencyKeySchema.describe('unique per payment of the account; a retry sends the same key and body') }) },
    responses: {
      201: { description: 'payment applied (a replay answers the same, with Idempotent-Replayed: true)', body: paymentResponseSchema },
      400: { description: 'invalid body or missing/invalid Idempotency-Key' },
      ...common,
      404: { description: 'unknown account' },
      409: { description: 'Idempotency-Key already used with a different request' },
      413: { description: 'body too large' },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/me',
    summary: 'Your accounts: balance, amount due, status, promise and next contact',
    groups: ['customer'],
    request: { query: meQuerySchema },
    responses: {
      200: { description: 'your accounts', body: meResponseSchema },
      400: { description: 'invalid accountId' },
      ...common,
      404: { description: 'no such account of yours' },
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/me/promises',
    summary: 'Promise to pay: at least min(amount due, 25.00), at most the balance, 1-30 days ahead; pauses outreach until then',
    groups: ['customer'],
    request: { body: promiseBodySchema },
    responses: {
      201: { description: 'promise recorded', body: promiseResponseSchema },
      400: { description: 'amount or date outside the rules (field-level issues); accountId needed' },
      ...common,
      404: { description: 'no such account of yours' },
      409: { description: 'a promise is already open, or nothing is past due' },
      413: { description: 'body too large' },
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/me/preferences',
    summary: 'Contact preferences (channel, language, hours inside 08:00-21:00) and opt-outs; effective at once',
    groups: ['customer'],
    request: { body: preferencesBodySchema },
    responses: {
      200: { description: 'preferences stored (absent fields unchanged, null clears)', body: preferencesResponseSchema },
      400: { description: 'invalid field (field-level issues)' },
      ...common,
      404: { description: 'no such account of yours' },
      413: { description: 'body too large' },
    },
  }),
];
