import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/domain/errors';
import { DEFAULT_CONTACT_POLICY, loadContactPolicy } from '../../../src/domain/strategy/policy';

const fileJson = () => JSON.parse(readFileSync(join(__dirname, '../../../config/contact-policy.json'), 'utf8')) as Record<string, any>;

describe('contact policy', () => {
  test('config/contact-policy.json is the default policy and is valid', () => {
    expect(loadContactPolicy(fileJson())).toEqual(DEFAULT_CONTACT_POLICY);
    expect(DEFAULT_CONTACT_POLICY.contactWindow).toEqual({ start: '08:00', end: '21:00' });
    expect(DEFAULT_CONTACT_POLICY.statePolicies.MA).toEqual({ callsAndTextsPer7Days: 2 });
    expect(DEFAULT_CONTACT_POLICY.regF).toEqual({ callsPer7Days: 7, conversationCooldownDays: 7 });
    expect(Object.isFrozen(DEFAULT_CONTACT_POLICY.segments)).toBe(true);
  });

  test.each<[string, (p: Record<string, any>) => void, RegExp]>([
    ['window start after end', (p) => (p.contactWindow = { start: '21:00', end: '08:00' }), /contactWindow/],
    ['bad HH:MM', (p) => (p.contactWindow.start = '8am'), /contactWindow\.start/],
    ['default language not supported', (p) => (p.defaultLanguage = 'fr'), /defaultLanguage/],
    ['missing template for a planned channel', (p) => delete p.segments[0].templates.voice, /segments\.0\.templates\.voice/],
    ['missing send time for a planned channel', (p) => delete p.segments[0].sendTimes.email, /segments\.0\.sendTimes\.email/],
    ['last segment is not a catch-all', (p) => (p.segments[p.segments.length - 1].when = { dpdMin: 1 }), /catch-all/],
    ['duplicate segment id', (p) => (p.segments[1].id = p.segments[0].id), /duplicate segment/],
    ['duplicate channel', (p) => (p.segments[0].channels = ['voice', 'voice']), /duplicate channel/],
    ['unknown channel', (p) => (p.segments[0].channels = ['fax']), /segments\.0\.channels/],
    ['negative cap', (p) => (p.regF.callsPer7Days = -1), /regF\.callsPer7Days/],
    ['unknown state policy key', (p) => (p.statePolicies.MA = { callsPer7Days: 2 }), /statePolicies\.MA/],
    ['lower-case state', (p) => (p.statePolicies.ma = { callsAndTextsPer7Days: 2 }), /statePolicies/],
    ['unknown zone override', (p) => (p.stateTimezones = { TX: ['America/Nowhere'] }), /unknown IANA zone/],
    ['unknown top-level key', (p) => (p.extra = true), /extra|Unrecognized/i],
  ])('rejects: %s', (_label, mutate, message) => {
    const p = fileJson();
    mutate(p);
    expect(() => loadContactPolicy(p)).toThrow(ConfigurationError);
    expect(() => loadContactPolicy(p)).toThrow(message);
  });

  test('accepts other state rules (NYC-like all-channel caps) and zone overrides', () => {
    const p = fileJson();
    p.statePolicies.NY = { allChannelsPer7Days: 3 };
    p.stateTimezones = { AZ: ['America/Phoenix'] };
    const policy = loadContactPolicy(p);
    expect(policy.statePolicies.NY).toEqual({ allChannelsPer7Days: 3 });
    expect(policy.stateTimezones.AZ).toEqual(['America/Phoenix']);
  });
});
