import type { z } from 'zod';
import { ConfigurationError } from './errors';

/**
 * Validates a configuration document (parsed JSON) against its schema and returns it deep-frozen:
 * policies are read once at cold start and shared by every decision, so nothing may mutate them.
 * Throws ConfigurationError listing every issue, so one failed deploy shows every mistake.
 */
export function parseConfigDocument<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigurationError(`invalid ${what}: ${issues.join('; ')}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
