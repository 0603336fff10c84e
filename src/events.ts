/**
 * Zod schemas of the payloads the state machine hands to each function
 * (state-machines/daily-collections.asl.yml). Types are inferred from them.
 */
import { z } from 'zod';

export const runDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const s3Key = z.string().min(1).max(1024);

export const chunkRefSchema = z.object({ index: z.number().int().min(0), key: s3Key, count: z.number().int().min(0) });

export const fetchEventSchema = z.object({
  input: z.looseObject({ runDate: runDateSchema.optional(), sourceKey: s3Key.optional() }),
  executionStartTime: z.string().min(10),
  executionName: z.string().optional(),
});

export const chunkEventSchema = z.object({ runDate: runDateSchema, chunk: chunkRefSchema });

export const inferResultSchema = z.object({
  scoresKey: s3Key,
  scored: z.number().int().min(0),
  modelVersion: z.string(),
});

export const persistEventSchema = chunkEventSchema.extend({ infer: inferResultSchema });
export const strategyEventSchema = persistEventSchema.extend({
  persist: z.object({ persisted: z.number().int().min(0) }).optional(),
  firstRunOfDay: z.boolean().optional(),
});

const channelCounts = z.object({ email: z.number(), sms: z.number(), voice: z.number() });
const chunkResultSchema = z.union([
  z.object({
    index: z.number().int(),
    failed: z.literal(false),
    scored: z.number(),
    persisted: z.number(),
    contacted: z.number(),
    actions: channelCounts,
    suppressed: z.record(z.string(), z.number()),
  }),
  z.object({ index: z.number().int(), key: z.string().optional(), failed: z.literal(true), error: z.string() }),
]);

export const notifyEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('completed'),
    runDate: runDateSchema,
    fetch: z.object({
      runDate: runDateSchema,
      sourceKey: z.string(),
      accounts: z.number(),
      rejected: z.number(),
      rejectsKey: z.string(),
      chunks: z.array(chunkRefSchema),
      unknownColumns: z.array(z.string()).default([]),
      firstRunOfDay: z.boolean().default(false),
    }),
    chunkResults: z.array(chunkResultSchema),
    executionStartTime: z.string(),
    executionName: z.string().optional(),
  }),
  z.object({
    kind: z.literal('failed'),
    input: z.looseObject({
      runDate: runDateSchema.optional(),
      error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
    }),
    executionStartTime: z.string(),
    executionName: z.string().optional(),
  }),
]);

export const startRunBodySchema = z.object({
  runDate: runDateSchema,
  sourceKey: s3Key.regex(/^inbox\//, 'must be under inbox/').optional(),
});
