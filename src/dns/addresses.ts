import { BlockList, isIP } from 'node:net';

/**
 * Addresses no mail from the internet can be delivered to: loopback, private, link-local,
 * shared, documentation and other special-purpose ranges (IANA's IPv4 and IPv6 special-purpose
 * registries, the ranges not globally reachable). An MX that points only there is broken.
 */
const RANGES: ReadonlyArray<readonly [cidr: string, family: 'ipv4' | 'ipv6', label: string]> = [
  ['0.0.0.0/8', 'ipv4', '"this network" (unusable)'],
  ['10.0.0.0/8', 'ipv4', 'private'],
  ['100.64.0.0/10', 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0/8', 'ipv4', 'loopback'],
  ['169.254.0.0/16', 'ipv4', 'link-local'],
  ['172.16.0.0/12', 'ipv4', 'private'],
  ['192.0.0.0/24', 'ipv4', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0/24', 'ipv4', 'documentation'],
  ['192.168.0.0/16', 'ipv4', 'private'],
  ['198.18.0.0/15', 'ipv4', 'reserved (benchmarking)'],
  ['198.51.100.0/24', 'ipv4', 'documentation'],
  ['203.0.113.0/24', 'ipv4', 'documentation'],
  ['224.0.0.0/4', 'ipv4', 'multicast'],
  ['240.0.0.0/4', 'ipv4', 'reserved'],
  ['::/128', 'ipv6', 'unspecified'],
  ['::1/128', 'ipv6', 'loopback'],
  ['100::/64', 'ipv6', 'reserved (discard)'],
  ['2001:db8::/32', 'ipv6', 'documentation'],
  ['fc00::/7', 'ipv6', 'private (unique local)'],
  ['fe80::/10', 'ipv6', 'link-local'],
  ['ff00::/8', 'ipv6', 'multicast'],
];

const lists = RANGES.map(([cidr, family, label]) => {
  const list = new BlockList();
  const [network, prefix] = cidr.split('/') as [string, string];
  list.addSubnet(network, Number(prefix), family);
  return { list, family, label };
});

/**
 * Why `address` cannot receive mail from the internet ("loopback", "private", ...), or null for
 * a globally reachable address. Anything that is not an IP address at all is "not an address".
 */
export function unusableAddressKind(address: string): string | null {
  const version = isIP(address);
  if (version === 0) return 'not an address';
  if (version === 6) {
    // IPv4-mapped (::ffff:a.b.c.d): judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
    if (mapped) return unusableAddressKind(mapped[1]!);
  }
  const family = version === 4 ? 'ipv4' : 'ipv6';
  for (const range of lists) {
    if (range.family === family && range.list.check(address, family)) return range.label;
  }
  return null;
}
