import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildOpenApi, toYaml } from '../../../src/http/openapi';
import { defineRoute } from '../../../src/http/route-spec';
import { allRoutes } from '../../../src/http/routes';
import { version } from '../../../package.json';

const FILE = join(__dirname, '..', '..', '..', 'docs', 'openapi.yaml');

describe('OpenAPI document', () => {
  it('docs/openapi.yaml matches the route declarations (run `npm run openapi` after changing a route)', () => {
    const expected = toYaml(buildOpenApi(allRoutes, { version }));
    const committed = readFileSync(FILE, 'utf8');
    if (committed !== expected) {
      throw new Error('docs/openapi.yaml is out of date with src/http/routes: run `npm run openapi` and commit docs/openapi.yaml');
    }
  });

  it('is OpenAPI 3.1 with every declared route, security per group, shared error schema', () => {
    const doc = parse(readFileSync(FILE, 'utf8'));
    expect(doc.openapi).toBe('3.1.0');
    for (const r of allRoutes) expect(doc.paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
    const post = doc.paths['/runs'].post;
    expect(post.security).toEqual([{ cognitoJwt: [] }]);
    expect(post['x-groups']).toEqual(['admin', 'agent']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '413', '429', '500']));
    expect(post.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['runDate']);
    expect(doc.paths['/runs/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/openapi.json'].get.security).toEqual([]);
    expect(doc.components.schemas.Error.required).toEqual(['error', 'message']);
  });

  it('builds parameters, bodies and operation ids from zod; refuses a route declared twice', () => {
    const route = defineRoute({
      method: 'PUT',
      path: '/me/preferences/{channel}',
      summary: 's',
      groups: ['customer'],
      request: {
        params: z.object({ channel: z.enum(['email', 'sms']) }),
        query: z.object({ dryRun: z.boolean().optional() }),
        body: z.object({ language: z.string().default('en') }),
      },
      responses: { 200: { description: 'ok', body: z.object({ ok: z.literal(true) }) }, 409: { description: 'conflict' } },
    });
    const doc = buildOpenApi([route]) as any;
    const op = doc.paths['/me/preferences/{channel}'].put;
    expect(op.operationId).toBe('putMePreferencesByChannel');
    expect(op.parameters).toEqual([
      { name: 'channel', in: 'path', required: true, schema: { type: 'string', enum: ['email', 'sms'] } },
      { name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' } },
    ]);
    // Input side: a defaulted field is optional for the caller.
    expect(op.requestBody.content['application/json'].schema.required).toBeUndefined();
    expect(op.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(() => buildOpenApi([route, route])).toThrow('route declared twice: PUT /me/preferences/{channel}');
  });
});
