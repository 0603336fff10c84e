/** Request/response schemas of /admin/allowlist (validated at the edge; the OpenAPI document is built from them). */
import { z } from 'zod';
import { HOURS, NOTE_MAX } from '../../domain/allowlist/entry';

export const addRequestSchema = z
  .object({
    ip: z.string().max(64).optional().describe('IPv4 or IPv6 host, optionally /32 or /128; default: the address the request came from'),
    note: z.string().max(NOTE_MAX).optional().describe('why (kept in the audit trail and the listing, never in the security group)'),
    hours: z.number().int().min(HOURS.min).max(HOURS.max).optional().describe(`how long the entry lives (default ${HOURS.default})`),
  })
  .strict();
export type AddRequest = z.infer<typeof addRequestSchema>;

export const ipParamsSchema = z.object({
  ip: z.string().min(1).max(64).describe('the host to revoke (IPv4 or IPv6; URL-encode the colons of an IPv6 address if your client needs to)'),
});

export const dynamicEntrySchema = z.object({
  ip: z.string(),
  cidr: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  addedBy: z.string().describe('Cognito username of the admin who added it'),
  createdAt: z.string().describe('ISO 8601 UTC'),
  expiresAt: z.string().describe('ISO 8601 UTC; the expiry function revokes it after this'),
  note: z.string().optional(),
  description: z.string().describe('the security group rule description'),
});

export const addResponseSchema = dynamicEntrySchema.extend({
  notified: z.enum(['sent', 'no-phone', 'failed', 'logged']).describe('whether the SMS went to the admin (the entry stands either way); logged = local stand-in, nothing sent'),
});

export const listResponseSchema = z.object({
  office: z.array(
    z.object({
      cidr: z.string(),
      protocol: z.string(),
      fromPort: z.number().optional(),
      toPort: z.number().optional(),
      description: z.string().optional(),
    }),
  ).describe('the static office group (managed in CloudFormation)'),
  dynamic: z.array(
    dynamicEntrySchema.partial({ ip: true, family: true, addedBy: true, createdAt: true, expiresAt: true, description: true }).extend({
      status: z
        .enum(['active', 'rule-missing', 'unmanaged'])
        .describe('active: entry and rule; rule-missing: entry without its rule (removed outside the API); unmanaged: rule added outside the API'),
    }),
  ),
});
