import { defineRoute, type RouteSpec } from '../route-spec';
import { creditScoreRequestSchema, creditScoreResponseSchema } from '../../usecases/credit/score-application';

/** Body ceiling of POST /credit-scores: one application is well under 1 KiB. */
export const CREDIT_SCORE_MAX_BYTES = 8 * 1024;

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    path: '/credit-scores',
    summary: 'Score a loan application: probability of default, decision band and adverse-action reason codes',
    description:
      'Runs the credit-default XGBoost model on the application and explains the score with TreeSHAP. ' +
      '`reasons` lists up to four reason codes that raised the probability of default the most; for ' +
      'decline/refer (`adverse_action: true`) they are the principal reasons for the ECOA / Regulation B notice. ' +
      'Protected characteristics are never accepted: a body carrying one (gender, race, date_of_birth, …) gets 400 naming the field.',
    groups: ['agent', 'admin'],
    tag: 'credit',
    request: { body: creditScoreRequestSchema },
    responses: {
      200: { description: 'score, decision and reasons', body: creditScoreResponseSchema },
      400: { description: 'invalid body: field-level issues, unknown fields, or a protected characteristic' },
      401: { description: 'missing, invalid or expired token' },
      403: { description: 'caller is not an agent or admin' },
      413: { description: 'body too large' },
    },
  }),
];
