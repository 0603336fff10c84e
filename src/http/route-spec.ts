/**
 * Every HTTP route is declared once, with the zod schemas its handler validates with: the OpenAPI
 * document (src/http/openapi.ts, docs/openapi.yaml, GET /openapi.json) is generated from these.
 * A feature exports `routes: RouteSpec[]` from src/http/routes/<feature>.ts and lists it in
 * src/http/routes/index.ts.
 */
import type { ZodType } from 'zod';
import type { Group } from './auth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway style: /runs/{id} */
  path: string;
  summary: string;
  description?: string;
  /** Groups allowed (authenticate({ allow })). Empty: no authorizer (anonymous route). */
  groups: Group[];
  /** Tag in the document; default the first path segment. */
  tag?: string;
  request?: { body?: ZodType; query?: ZodType; params?: ZodType; headers?: ZodType; contentType?: string };
  /** Error statuses may omit `body`: they get the shared Error schema. */
  responses: { [status: number]: { description: string; body?: ZodType; contentType?: string } };
}

/** Identity with type checking: `export const routes = [defineRoute({ ... })]`. */
export const defineRoute = (spec: RouteSpec): RouteSpec => spec;
