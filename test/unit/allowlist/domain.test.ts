import {
  checkHours,
  checkNote,
  coveredBy,
  expiryOf,
  isExpired,
  isValidEc2Description,
  parseHost,
  ruleDescription,
} from '../../../src/domain/allowlist/entry';
import { formatIp, parseIp } from '../../../src/domain/allowlist/ip';
import { SPECIAL_IPV4, SPECIAL_IPV6 } from '../../../src/domain/allowlist/special-ranges';

const canonical = (s: string) => {
  const r = parseIp(s);
  if (!r.ok) throw new Error(r.reason);
  return formatIp(r.address);
};

describe('IP parsing and canonical form', () => {
  it.each([
    ['8.8.8.8', '8.8.8.8'],
    [' 81.2.69.160 ', '81.2.69.160'],
    ['2606:4700:4700::1111', '2606:4700:4700::1111'],
    ['2606:4700:4700:0:0:0:0:1111', '2606:4700:4700::1111'],
    ['2A00:1450:4001:0829:0000:0000:0000:200E', '2a00:1450:4001:829::200e'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // the longer run wins
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['2a00:1450::c000:201', '2a00:1450::c000:201'],
  ])('%s → %s', (input, out) => expect(canonical(input)).toBe(out));

  it.each([
    ['', /empty/],
    ['1.2.3', /four/],
    ['1.2.3.4.5', /four/],
    ['256.1.1.1', /0-255/],
    ['01.2.3.4', /leading zeros/],
    ['1.2.3.-4', /not an IP/],
    ['0x7f.0.0.1', /not an IP/],
    ['example.com', /not an IP/],
    ['1:2:3:4:5:6:7', /eight groups/],
    ['1:2:3:4:5:6:7:8:9', /eight groups/],
    ['1::2::3', /only once/],
    ['1:2:3:4:5:6:7::8', /not a valid IPv6/],
    ['12345::', /not a valid IPv6/],
    ['fe80::1%eth0', /zone/],
    ['::ffff:1.2.3.256', /not a valid IPv6/],
    ['g::1', /not a valid IPv6/],
  ])('refuses %j', (input, reason) => {
    const r = parseIp(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('parseHost: one public host', () => {
  it.each([
    ['8.8.8.8', '8.8.8.8/32', 4],
    ['81.2.69.160/32', '81.2.69.160/32', 4],
    ['2606:4700:4700::1111/128', '2606:4700:4700::1111/128', 6],
    ['2A00:1450:4001:829::200E', '2a00:1450:4001:829::200e/128', 6],
    ['100.63.255.255', '100.63.255.255/32', 4], // just below CGNAT
    ['100.128.0.0', '100.128.0.0/32', 4], // just above CGNAT
    ['172.15.255.255', '172.15.255.255/32', 4],
    ['172.32.0.0', '172.32.0.0/32', 4],
    ['192.0.1.255', '192.0.1.255/32', 4],
    ['223.255.255.254', '223.255.255.254/32', 4],
    ['2001:200::1', '2001:200::1/128', 6], // first allocation after 2001::/23
  ])('%s is allowed as %s', (input, cidr, family) => {
    const r = parseHost(input);
    expect(r).toMatchObject({ ok: true, host: { cidr, family } });
  });

  it.each([
    ['10.1.2.3', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.10', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['127.0.0.1', /loopback/],
    ['169.254.169.254', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /this network/],
    ['192.0.0.9', /Port Control/],
    ['192.0.0.77', /IETF protocol assignments/],
    ['192.0.2.7', /documentation.*TEST-NET-1/],
    ['198.51.100.7', /TEST-NET-2/],
    ['203.0.113.200', /TEST-NET-3/],
    ['198.19.0.1', /benchmarking/],
    ['192.88.99.1', /6to4/],
    ['192.31.196.1', /AS112/],
    ['224.0.0.1', /multicast/],
    ['233.252.0.5', /MCAST-TEST-NET/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['::ffff:8.8.8.8', /IPv4-mapped.*IPv4 address itself/],
    ['::8.8.8.8', /IPv4-compatible/],
    ['64:ff9b::808:808', /NAT64/],
    ['100::1', /discard/],
    ['2001:db8::7', /documentation/],
    ['3fff::1', /documentation/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['2001:2::1', /benchmarking/],
    ['2001:10::1', /ORCHID/],
    ['2001:100::1', /IETF protocol assignments/],
    ['2002:c000:201::1', /6to4/],
    ['fd12:3456:789a::1', /unique local/],
    ['fc00::1', /unique local/],
    ['fe80::1', /link-local/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['4000::1', /outside the global unicast/],
    ['5f00::1', /SRv6/],
    ['8.8.8.0/24', /single host can be allowed: \/32 for IPv4/],
    ['8.8.8.8/31', /\/32/],
    ['2606:4700::1/64', /\/128 for IPv6/],
    ['8.8.8.8/032', /\/32/],
    ['8.8.8.8/', /\/32/],
  ])('%s is refused (%s)', (input, reason) => {
    const r = parseHost(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('every registry range refuses its first and last address', () => {
    for (const { cidr } of [...SPECIAL_IPV4, ...SPECIAL_IPV6]) {
      if (cidr === '::/0') continue;
      const [base, len] = cidr.split('/') as [string, string];
      const parsed = parseIp(base);
      if (!parsed.ok) throw new Error(cidr);
      const bits = parsed.address.family === 4 ? 32 : 128;
      const last = parsed.address.value | ((1n << BigInt(bits - Number(len))) - 1n);
      for (const v of [parsed.address.value, last]) {
        const ip = formatIp({ family: parsed.address.family, value: v });
        expect([cidr, ip, parseHost(ip).ok]).toEqual([cidr, ip, false]);
      }
    }
  });
});

describe('office coverage', () => {
  it.each([
    ['81.2.69.160', ['81.2.69.0/24'], '81.2.69.0/24'],
    ['81.2.70.1', ['81.2.69.0/24'], undefined],
    ['2a00:1450::1', ['81.2.69.0/24', '2a00:1450::/32'], '2a00:1450::/32'],
    ['2a00:1451::1', ['2a00:1450::/32', 'garbage', '1.2.3.4/99'], undefined],
  ])('%s in %j → %s', (ip, cidrs, hit) => {
    const r = parseHost(ip);
    if (!r.ok) throw new Error(r.reason);
    expect(coveredBy(r.host, cidrs)).toBe(hit);
  });
});

describe('hours, note, expiry, description', () => {
  it.each([
    [undefined, { ok: true, hours: 12 }],
    [1, { ok: true, hours: 1 }],
    [24, { ok: true, hours: 24 }],
    [0, { ok: false }],
    [25, { ok: false }],
    [1.5, { ok: false }],
    [-3, { ok: false }],
  ])('hours %j', (h, out) => expect(checkHours(h)).toMatchObject(out));

  it.each([
    [undefined, { ok: true, note: undefined }],
    ['  ', { ok: true, note: undefined }],
    [' hotel wifi ', { ok: true, note: 'hotel wifi' }],
    ['x'.repeat(200), { ok: true }],
    ['x'.repeat(201), { ok: false }],
    ['line\nbreak', { ok: false }],
  ])('note %j', (n, out) => expect(checkNote(n)).toMatchObject(out));

  it('expiry is hours after now; expired at and after that instant', () => {
    const now = new Date('2026-01-05T22:30:00Z');
    const exp = expiryOf(now, 12);
    expect(exp.toISOString()).toBe('2026-01-06T10:30:00.000Z');
    expect(isExpired({ expiresAt: exp.toISOString() }, new Date('2026-01-06T10:29:59Z'))).toBe(false);
    expect(isExpired({ expiresAt: exp.toISOString() }, exp)).toBe(true);
  });

  it.each([
    ['alice', 'alice 2026-01-05T10:04:05Z'],
    ['ops.admin@example.com', 'ops.admin@example.com 2026-01-05T10:04:05Z'],
    ['Zoë "x" <y>', 'Zo_ _x_ _y_ 2026-01-05T10:04:05Z'],
    ['', 'unknown 2026-01-05T10:04:05Z'],
  ])('description for %j', (user, text) => {
    const d = ruleDescription(user, new Date('2026-01-05T10:04:05.678Z'));
    expect(d).toBe(text);
    expect(isValidEc2Description(d)).toBe(true);
  });

  it('a long user name is cut so the description fits 255 characters', () => {
    const d = ruleDescription('u'.repeat(400), new Date('2026-01-05T10:04:05Z'));
    expect(d).toHaveLength(255);
    expect(d.endsWith(' 2026-01-05T10:04:05Z')).toBe(true);
    expect(isValidEc2Description(d)).toBe(true);
    expect(isValidEc2Description('a'.repeat(256))).toBe(false);
    expect(isValidEc2Description('tab\there')).toBe(false);
  });
});
