import { z } from 'zod';
import { baseShape } from '../../config';
import { parseCidr } from '../../domain/allowlist/entry';

/**
 * Environment of the allowlist functions (validated once at cold start). Without a dynamic
 * group id (a stage without `adminVpcId`) or on the local stack, the rules live in the table
 * and EC2/SNS calls are only logged (docs/admin-allowlist.md).
 */
export const allowlistShape = {
  ...baseShape,
  CUREPATH_LOCAL: z.enum(['0', '1']).default('0'),
  ALLOWLIST_TABLE: z.string().min(3),
  DYNAMIC_SECURITY_GROUP_ID: z.union([z.literal(''), z.string().regex(/^sg-[0-9a-f]{8,17}$/)]).default(''),
  OFFICE_SECURITY_GROUP_ID: z.union([z.literal(''), z.string().regex(/^sg-[0-9a-f]{8,17}$/)]).default(''),
  /** The office CIDRs (comma-separated) the stand-in reports as the office group; CloudFormation owns the real one. */
  OFFICE_CIDRS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .refine((list) => list.every((c) => parseCidr(c) !== undefined), 'every entry must be a CIDR (e.g. 81.2.69.0/24)'),
  /** Cognito user pool: where the admin's verified phone number is read (AdminGetUser). */
  USER_POOL_ID: z.string().default(''),
  /** Audit records are kept this long (TTL). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).default(1095),
};

export type AllowlistConfig = z.infer<z.ZodObject<typeof allowlistShape>>;

/** `ec2` only in AWS with a dynamic group; everywhere else the DynamoDB stand-in. */
export const gatewayBackend = (c: Pick<AllowlistConfig, 'CUREPATH_LOCAL' | 'DYNAMIC_SECURITY_GROUP_ID'>): 'ec2' | 'table' =>
  c.CUREPATH_LOCAL === '1' || c.DYNAMIC_SECURITY_GROUP_ID === '' ? 'table' : 'ec2';
export const notifierBackend = (c: Pick<AllowlistConfig, 'CUREPATH_LOCAL' | 'USER_POOL_ID'>): 'sns' | 'log' =>
  c.CUREPATH_LOCAL === '1' || c.USER_POOL_ID === '' ? 'log' : 'sns';
