/**
 * Every route of the HTTP API, for the OpenAPI document. Add one import line and one entry
 * per feature (src/http/routes/<feature>.ts exporting `routes: RouteSpec[]`).
 */
import type { RouteSpec } from '../route-spec';
import { routes as adminRoutes } from './admin';
import { routes as analyticsRoutes } from './analytics';
import { routes as accountsRoutes } from './accounts';
import { routes as creditRoutes } from './credit';
import { routes as openapiRoutes } from './openapi';
import { routes as runsRoutes } from './runs';
import { routes as unsubscribeRoutes } from './unsubscribe';

export const allRoutes: RouteSpec[] = [
  ...openapiRoutes,
  ...accountsRoutes,
  ...creditRoutes,
  ...runsRoutes,
  ...unsubscribeRoutes,
  ...adminRoutes,
  ...analyticsRoutes,
];
