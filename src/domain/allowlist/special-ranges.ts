/**
 * Addresses that must never be allowlisted: the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and its updates: RFC 7526, 8155, 8190, 9374, 9602, 9637, 9780), the
 * private and shared ranges, multicast, and everything IANA has not handed out as global unicast.
 * An admin's public source address is global unicast; anything here is a mistake (a VPN's inner
 * address, a documentation example) or not a host at all (anycast, multicast, broadcast).
 * The longest matching prefix gives the reason.
 */
import { contains, prefix, type IpAddress, type Prefix } from './ip';

export interface SpecialRange {
  cidr: string;
  /** Shown to the caller: why the address is refused. */
  reason: string;
}

export const SPECIAL_IPV4: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', reason: '"this network" (RFC 791), not a host address' },
  { cidr: '0.0.0.0/32', reason: 'the unspecified address' },
  { cidr: '10.0.0.0/8', reason: 'a private address (RFC 1918)' },
  { cidr: '100.64.0.0/10', reason: 'a shared carrier-grade NAT address (RFC 6598): it is not your public address' },
  { cidr: '127.0.0.0/8', reason: 'a loopback address' },
  { cidr: '169.254.0.0/16', reason: 'a link-local address' },
  { cidr: '172.16.0.0/12', reason: 'a private address (RFC 1918)' },
  { cidr: '192.0.0.0/24', reason: 'reserved for IETF protocol assignments (RFC 6890)' },
  { cidr: '192.0.0.0/29', reason: 'the DS-Lite / IPv4 service continuity prefix (RFC 7335)' },
  { cidr: '192.0.0.8/32', reason: 'the IPv4 dummy address (RFC 7600)' },
  { cidr: '192.0.0.9/32', reason: 'the Port Control Protocol anycast address (RFC 7723)' },
  { cidr: '192.0.0.10/32', reason: 'the TURN anycast address (RFC 8155)' },
  { cidr: '192.0.0.170/31', reason: 'reserved for NAT64/DNS64 discovery (RFC 8880)' },
  { cidr: '192.0.2.0/24', reason: 'a documentation address (TEST-NET-1, RFC 5737)' },
  { cidr: '192.31.196.0/24', reason: 'the AS112 anycast service (RFC 7535)' },
  { cidr: '192.52.193.0/24', reason: 'the AMT anycast prefix (RFC 7450)' },
  { cidr: '192.88.99.0/24', reason: 'the deprecated 6to4 relay anycast prefix (RFC 7526)' },
  { cidr: '192.168.0.0/16', reason: 'a private address (RFC 1918)' },
  { cidr: '192.175.48.0/24', reason: 'the AS112 direct delegation service (RFC 7534)' },
  { cidr: '198.18.0.0/15', reason: 'a benchmarking address (RFC 2544)' },
  { cidr: '198.51.100.0/24', reason: 'a documentation address (TEST-NET-2, RFC 5737)' },
  { cidr: '203.0.113.0/24', reason: 'a documentation address (TEST-NET-3, RFC 5737)' },
  { cidr: '224.0.0.0/4', reason: 'a multicast address' },
  { cidr: '233.252.0.0/24', reason: 'a documentation multicast address (MCAST-TEST-NET, RFC 6676)' },
  { cidr: '240.0.0.0/4', reason: 'a reserved address (RFC 1112, class E)' },
  { cidr: '255.255.255.255/32', reason: 'the limited broadcast address' },
];

export const SPECIAL_IPV6: readonly SpecialRange[] = [
  // Everything outside 2000::/3 is unassigned or special (RFC 4291 §2.4): the catch-all reasons.
  { cidr: '::/0', reason: 'a reserved address (outside the global unicast range 2000::/3)' },
  { cidr: '::/128', reason: 'the unspecified address' },
  { cidr: '::1/128', reason: 'the loopback address' },
  { cidr: '::/96', reason: 'a deprecated IPv4-compatible address (RFC 4291)' },
  { cidr: '::ffff:0:0/96', reason: 'an IPv4-mapped IPv6 address: send the IPv4 address itself' },
  { cidr: '::ffff:0:0:0/96', reason: 'an IPv4-translated address (RFC 2765)' },
  { cidr: '64:ff9b::/96', reason: 'the NAT64 well-known prefix (RFC 6052): it is not your public address' },
  { cidr: '64:ff9b:1::/48', reason: 'a local-use IPv4/IPv6 translation prefix (RFC 8215)' },
  { cidr: '100::/64', reason: 'the discard-only prefix (RFC 6666)' },
  { cidr: '100:0:0:1::/64', reason: 'the dummy IPv6 prefix (RFC 9780)' },
  { cidr: '2001::/23', reason: 'reserved for IETF protocol assignments (RFC 2928)' },
  { cidr: '2001::/32', reason: 'a Teredo tunnel address (RFC 4380): use your native address' },
  { cidr: '2001:1::1/128', reason: 'the Port Control Protocol anycast address (RFC 7723)' },
  { cidr: '2001:1::2/128', reason: 'the TURN anycast address (RFC 8155)' },
  { cidr: '2001:1::3/128', reason: 'the DNS-SD service registration anycast address (RFC 9665)' },
  { cidr: '2001:2::/48', reason: 'a benchmarking address (RFC 5180)' },
  { cidr: '2001:3::/32', reason: 'the AMT prefix (RFC 7450)' },
  { cidr: '2001:4:112::/48', reason: 'the AS112 anycast service (RFC 7535)' },
  { cidr: '2001:10::/28', reason: 'a deprecated ORCHID address (RFC 4843)' },
  { cidr: '2001:20::/28', reason: 'an ORCHIDv2 address (RFC 7343)' },
  { cidr: '2001:30::/28', reason: 'a drone remote ID address (RFC 9374)' },
  { cidr: '2001:db8::/32', reason: 'a documentation address (RFC 3849)' },
  { cidr: '2002::/16', reason: 'a 6to4 address (RFC 3056): use your native address' },
  { cidr: '2620:4f:8000::/48', reason: 'the AS112 direct delegation service (RFC 7534)' },
  { cidr: '3fff::/20', reason: 'a documentation address (RFC 9637)' },
  { cidr: '5f00::/16', reason: 'the SRv6 SID prefix (RFC 9602)' },
  { cidr: 'fc00::/7', reason: 'a unique local address (RFC 4193), the IPv6 private range' },
  { cidr: 'fe80::/10', reason: 'a link-local address' },
  { cidr: 'fec0::/10', reason: 'a deprecated site-local address (RFC 3879)' },
  { cidr: 'ff00::/8', reason: 'a multicast address' },
];

/** Global unicast: the only IPv6 space IANA allocates to networks (RFC 4291). */
const GLOBAL_UNICAST_V6 = prefix('2000::/3');

interface Compiled {
  p: Prefix;
  reason: string;
}

const compile = (list: readonly SpecialRange[]): Compiled[] =>
  list.map((r) => ({ p: prefix(r.cidr), reason: r.reason })).sort((a, b) => b.p.length - a.p.length);

const V4 = compile(SPECIAL_IPV4);
const V6 = compile(SPECIAL_IPV6.filter((r) => r.cidr !== '::/0'));
const V6_OUTSIDE_GLOBAL = SPECIAL_IPV6.find((r) => r.cidr === '::/0')!.reason;

/** Why the address is special-purpose (the most specific range), or undefined for a public host. */
export function specialPurposeReason(a: IpAddress): string | undefined {
  const table = a.family === 4 ? V4 : V6;
  const hit = table.find((r) => contains(r.p, a));
  if (hit) return hit.reason;
  if (a.family === 6 && !contains(GLOBAL_UNICAST_V6, a)) return V6_OUTSIDE_GLOBAL;
  return undefined;
}
