import { NotFoundError, ValidationError } from '../../../src/domain/errors';
import { checkUnsubscribeToken, unsubscribe, type UnsubscribeDeps, type UnsubscribeTarget } from '../../../src/usecases/outreach/unsubscribe';
import { unsubscribeToken, verifyUnsubscribeToken } from '../../../src/usecases/outreach/unsubscribe-token';

const SECRET = 'k'.repeat(40);
const ACTION = '2026-01-05#ACC-1#email';

/** INBOUND suppression sets per account, with the same set semantics as DynamoDB `ADD`. */
class MemorySuppressions {
  readonly sets = new Map<string, Set<string>>();
  calls = 0;
  async suppress(accountId: string, channel: string, address: string) {
    this.calls++;
    const key = `${accountId}|${channel}`;
    this.sets.set(key, (this.sets.get(key) ?? new Set()).add(address));
  }
  snapshot() {
    return JSON.stringify([...this.sets].map(([k, v]) => [k, [...v].sort()]));
  }
}

function setup(records: Record<string, UnsubscribeTarget> = { [ACTION]: { accountId: 'ACC-1', channel: 'email', to: 'Jane.Doe@Example.com' } }) {
  const suppressions = new MemorySuppressions();
  const lookups: string[] = [];
  const deps: UnsubscribeDeps = {
    verify: (t) => verifyUnsubscribeToken(SECRET, t),
    sends: {
      target: async (id) => {
        lookups.push(id);
        return records[id];
      },
    },
    suppressions,
  };
  return { deps, suppressions, lookups };
}

describe('unsubscribe use case', () => {
  it('a valid token suppresses the send record address (normalized) for its account', async () => {
    const { deps, suppressions } = setup();
    await expect(unsubscribe(deps, unsubscribeToken(SECRET, ACTION))).resolves.toMatchObject({ actionId: ACTION, accountId: 'ACC-1' });
    expect(suppressions.sets.get('ACC-1|email')).toEqual(new Set(['jane.doe@example.com']));
    expect(suppressions.sets.size).toBe(1);
  });

  it('a repeat POST leaves the suppressions as they were', async () => {
    const { deps, suppressions } = setup();
    const token = unsubscribeToken(SECRET, ACTION);
    await unsubscribe(deps, token);
    const before = suppressions.snapshot();
    await expect(unsubscribe(deps, token)).resolves.toMatchObject({ actionId: ACTION, accountId: 'ACC-1' });
    expect(suppressions.snapshot()).toBe(before);
  });

  it.each([
    ['signed with another secret', unsubscribeToken('x'.repeat(40), ACTION)],
    ['tampered action id', `${Buffer.from('2026-01-05#ACC-2#email').toString('base64url')}.${unsubscribeToken(SECRET, ACTION).split('.')[1]}`],
    ['no signature', Buffer.from(ACTION).toString('base64url')],
    ['extra part', `${unsubscribeToken(SECRET, ACTION)}.x`],
    ['empty', ''],
    ['missing', undefined],
    ['oversized', 'a'.repeat(10_000)],
  ])('rejects a forged or malformed token (%s) with a 400 that names nothing, before any lookup', async (_name, token) => {
    const { deps, suppressions, lookups } = setup();
    const err = await unsubscribe(deps, token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('invalid or expired unsubscribe link');
    expect(lookups).toEqual([]);
    expect(suppressions.calls).toBe(0);
  });

  it('a genuine token of an unknown action (or one with no email address) is a 404, nothing suppressed', async () => {
    const { deps, suppressions } = setup({
      '2026-01-05#ACC-2#sms': { accountId: 'ACC-2', channel: 'sms', to: '+15555550100' },
      '2026-01-05#ACC-3#email': { accountId: 'ACC-3', channel: 'email' },
    });
    for (const id of [ACTION, '2026-01-05#ACC-2#sms', '2026-01-05#ACC-3#email']) {
      const err = await unsubscribe(deps, unsubscribeToken(SECRET, id)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as Error).message).not.toContain('ACC');
    }
    expect(suppressions.calls).toBe(0);
  });

  it('GET (checkUnsubscribeToken) never suppresses nor reads the record; it still rejects forged tokens', async () => {
    const { deps, suppressions, lookups } = setup();
    expect(() => checkUnsubscribeToken(deps, unsubscribeToken(SECRET, ACTION))).not.toThrow();
    expect(() => checkUnsubscribeToken(deps, unsubscribeToken('y'.repeat(40), ACTION))).toThrow(ValidationError);
    expect(suppressions.calls).toBe(0);
    expect(lookups).toEqual([]);
  });
});
