import { z } from 'zod';

/** The body of every 4xx/5xx answer (src/middleware/http-errors.ts). */
export const errorBodySchema = z
  .object({
    error: z.string().describe('stable error code, e.g. VALIDATION_FAILED, UNAUTHORIZED, NOT_FOUND'),
    message: z.string(),
    issues: z
      .array(z.object({ path: z.string().describe('dotted field path, (root) for the whole body'), message: z.string() }))
      .optional()
      .describe('field-level problems (400 only)'),
  });
