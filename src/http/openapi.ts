/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route declarations (src/http/routes)
 * and their zod schemas (z.toJSONSchema; JSON Schema 2020-12 is OpenAPI 3.1's dialect).
 * `npm run openapi` writes it to docs/openapi.yaml; GET /openapi.json serves it.
 */
import { stringify } from 'yaml';
import { z, type ZodType } from 'zod';
import type { RouteSpec } from './route-spec';
import { errorBodySchema } from './schemas/common';

type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request: field-level issues in `issues`',
  401: 'Missing, invalid or expired bearer token',
  403: "The caller's group may not use this route, or the resource is someone else's",
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported content type (send application/json)',
  429: 'Throttled by API Gateway (per-route limits)',
  500: 'Internal error (no details are ever returned)',
};

function schemaOf(schema: ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** Path, query or header parameters from a z.object schema, one per property. */
function parameters(where: 'path' | 'query' | 'header', schema: ZodType | undefined): Json[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const tagOf = (r: RouteSpec) => r.tag ?? r.path.split('/').filter(Boolean)[0]?.replace(/\.json$/, '') ?? 'api';

function operation(r: RouteSpec): Json {
  const authed = r.groups.length > 0;
  const responses: Record<string, Json> = {};
  const statuses = new Set(Object.keys(r.responses).map(Number));
  // Every route can answer these; declaring them per route would only repeat the same lines.
  if (authed) statuses.add(401).add(403);
  if (r.request?.body) statuses.add(400).add(413);
  statuses.add(429).add(500);
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const declared = r.responses[status];
    const description = declared?.description ?? STATUS_TEXT[status] ?? 'Error';
    const body = declared?.body;
    if (body) {
      responses[String(status)] = { description, content: { [declared.contentType ?? 'application/json']: { schema: schemaOf(body, 'output') } } };
    } else if (status === 429) {
      // API Gateway answers this one itself, in its own shape.
      responses['429'] = { description, content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } } } } };
    } else if (status >= 400) {
      responses[String(status)] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    } else {
      responses[String(status)] = { description };
    }
  }
  const params = [
    ...parameters('path', r.request?.params),
    ...parameters('query', r.request?.query),
    ...parameters('header', r.request?.headers),
  ];
  const groupsLine = authed ? `Groups: ${r.groups.join(', ')}.` : 'No authentication.';
  return {
    operationId: operationId(r),
    summary: r.summary,
    description: r.description ? `${r.description}\n\n${groupsLine}` : groupsLine,
    tags: [tagOf(r)],
    ...(authed ? { security: [{ cognitoJwt: [] }], 'x-groups': r.groups } : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(r.request?.body
      ? { requestBody: { required: true, content: { [r.request.contentType ?? 'application/json']: { schema: schemaOf(r.request.body, 'input') } } } }
      : {}),
    responses,
  };
}

/** e.g. GET /runs/{id} → getRunsById */
function operationId(r: RouteSpec): string {
  const words = r.path
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      const param = /^\{(.+)\}$/.exec(seg);
      const w = (param ? `by-${param[1]}` : seg).replace(/\.json$/, '-json');
      return w
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((p) => p[0]!.toUpperCase() + p.slice(1))
        .join('');
    });
  return r.method.toLowerCase() + words.join('');
}

export function buildOpenApi(routes: RouteSpec[], info: { version?: string } = {}): Json {
  const seen = new Set<string>();
  const paths: Record<string, Record<string, Json>> = {};
  const sorted = [...routes].sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
  for (const r of sorted) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new Error(`route declared twice: ${key}`);
    seen.add(key);
    (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CurePath API',
      version: info.version ?? '1.0.0',
      description:
        'Collections platform HTTP API. Authenticated routes take a Cognito access token (`Authorization: Bearer <token>`); ' +
        'each names the groups (admin, agent, customer) it allows. Errors are JSON `{ error, message, issues? }`. See docs/api.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(sorted.map(tagOf))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        cognitoJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Cognito user-pool access token (30 minutes). Locally: `npm run token -- --group admin --sub <id>`.',
        },
      },
      schemas: { Error: schemaOf(errorBodySchema, 'output') },
    },
  };
}

export const HEADER = '# Generated by `npm run openapi` from src/http/routes (zod schemas). Do not edit by hand.\n';

export const toYaml = (doc: Json) => HEADER + stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
