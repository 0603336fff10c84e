import { z } from 'zod';

/**
 * One sender work item: a line of `exports/<runDate>/email|sms/<nnnnn>.jsonl` (the Strategy's
 * Action plus what a template needs), and the body of one SQS message on the outbound queue.
 * Unknown fields are ignored (the exporter may add some); a structurally wrong item is a poison
 * message. `to` may be null (no address on file): that is a recorded permanent failure, not poison.
 */
export const workItemSchema = z
  .object({
    actionId: z.string().min(1).max(200),
    accountId: z.string().min(1).max(100),
    runDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    channel: z.enum(['email', 'sms']),
    sendAt: z.string().min(1),
    timezone: z.string().min(1),
    segment: z.string().min(1).max(100),
    template: z.string().min(1).max(100),
    language: z.string().max(20).default('en'),
    reasons: z.array(z.string()).default([]),
    score: z.number().optional(),
    to: z.string().max(320).nullish(),
    customerId: z.string().optional(),
    firstName: z.string().max(200).default(''),
    lastName: z.string().max(200).optional(),
    product: z.string().max(50),
    amountPastDueCents: z.number().int().nonnegative(),
    balanceDueCents: z.number().int().nonnegative().optional(),
    daysPastDue: z.number().int().nonnegative(),
  })
  .refine((w) => w.actionId === `${w.runDate}#${w.accountId}#${w.channel}`, {
    message: 'actionId must be <runDate>#<accountId>#<channel>',
    path: ['actionId'],
  });

export type WorkItem = z.infer<typeof workItemSchema>;
export type OutreachChannel = WorkItem['channel'];

/** Lower-cased and trimmed, as the INBOUND `email` set stores it. */
export const normalizeEmail = (address: string) => address.trim().toLowerCase();

// Deliberately simple: SES validates fully; this only keeps obvious garbage out of the API call.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function validAddress(channel: OutreachChannel, to: string): boolean {
  return channel === 'email' ? EMAIL.test(to) && to.length <= 254 : E164.test(to);
}
