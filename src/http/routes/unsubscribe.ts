import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../route-spec';

const query = z.object({ token: z.string().describe('HMAC-signed token from the email (it is the authorization)') });
const html = z.string().describe('HTML page');

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    path: '/unsubscribe',
    summary: 'One-click unsubscribe: confirmation form (never unsubscribes by itself)',
    groups: [],
    request: { query },
    responses: { 200: { description: 'confirmation form', body: html, contentType: 'text/html' }, 400: { description: 'invalid or missing token' } },
  }),
  defineRoute({
    method: 'POST',
    path: '/unsubscribe',
    summary: 'One-click unsubscribe (RFC 8058): suppresses the address at once',
    groups: [],
    request: { query },
    responses: {
      200: { description: 'unsubscribed', body: html, contentType: 'text/html' },
      400: { description: 'invalid or missing token' },
      404: { description: 'the message the token names is unknown' },
    },
  }),
];
