import { analyticsQuerySchema, operationalSchema, strategicSchema } from '../../usecases/analytics/schemas';
import { defineRoute, type RouteSpec } from '../route-spec';

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    path: '/analytics/operational',
    summary: 'Operational command center: messages, engagement rates, opt-outs, bounces, complaints, payments, costs, the runs',
    description: 'Figures over the lake for a period of run dates (docs/analytics.md). Athena in AWS; the same SQL on DuckDB locally.',
    groups: ['agent', 'admin'],
    request: { query: analyticsQuerySchema },
    responses: {
      200: { description: 'operational figures', body: operationalSchema },
      400: { description: 'invalid from/to' },
      401: { description: 'missing or invalid token' },
      403: { description: 'not an agent or admin' },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/analytics/strategic',
    summary: 'Strategic performance: cure and roll rates, channel effectiveness, champion/challenger lift, compliance',
    groups: ['agent', 'admin'],
    request: { query: analyticsQuerySchema },
    responses: {
      200: { description: 'strategic figures', body: strategicSchema },
      400: { description: 'invalid from/to' },
      401: { description: 'missing or invalid token' },
      403: { description: 'not an agent or admin' },
    },
  }),
];
