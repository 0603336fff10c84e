import { defineRoute, type RouteSpec } from '../route-spec';
import { addRequestSchema, addResponseSchema, ipParamsSchema, listResponseSchema } from '../../usecases/allowlist/schemas';

/** Body ceiling of POST /admin/allowlist: an address, a note of 200 characters and a number. */
export const ALLOWLIST_ADD_MAX_BYTES = 2 * 1024;

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    path: '/admin/allowlist',
    summary: 'Allow one host (default: your address) to reach the admin endpoints on TCP 443 for a few hours',
    description:
      'Adds an ingress rule to the dynamic security group (one IPv4 /32 or IPv6 /128 public host; private, reserved and documentation addresses are refused with the reason), texts you, and writes an audit record. The entry expires after `hours` (default 12).',
    groups: ['admin'],
    request: { body: addRequestSchema },
    responses: {
      201: { description: 'entry added', body: addResponseSchema },
      400: { description: 'invalid address, hours or note (field-level issues, with the reason an address is refused)' },
      401: { description: 'missing, invalid or expired token' },
      403: { description: 'not an admin' },
      409: { description: 'already on the allowlist, already covered by the office group, or the dynamic group is full' },
      413: { description: 'body too large' },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/allowlist',
    summary: 'The office (static) and dynamic allowlist entries, with who added them and when',
    groups: ['admin'],
    responses: {
      200: { description: 'entries', body: listResponseSchema },
      401: { description: 'missing, invalid or expired token' },
      403: { description: 'not an admin' },
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/admin/allowlist/{ip}',
    summary: 'Revoke a dynamic allowlist entry now',
    groups: ['admin'],
    request: { params: ipParamsSchema },
    responses: {
      204: { description: 'revoked' },
      400: { description: 'not an IP address' },
      401: { description: 'missing, invalid or expired token' },
      403: { description: 'not an admin' },
      404: { description: 'no dynamic entry for this address' },
    },
  }),
];
