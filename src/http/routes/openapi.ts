import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-spec';

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    groups: [],
    responses: { 200: { description: 'OpenAPI document', body: z.record(z.string(), z.unknown()) } },
  }),
];
