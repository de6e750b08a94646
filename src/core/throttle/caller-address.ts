/**
 * The address a throttle counts a caller under (CONTRACT.md, "Sign-in and client-authentication
 * throttling"): an IPv4 address as it is, an IPv4-mapped IPv6 address as its IPv4, and any other
 * IPv6 address by its /64, the smallest block one subscriber is usually given (RFC 6177), so a
 * caller cannot walk through 2^64 addresses of its own to escape a per-address limit.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function callerAddress(ip: string | undefined): string {
  if (ip === undefined || ip === '') return 'unknown';
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return 'unknown';
  const groups = expandIPv6(ip.toLowerCase());
  const mapped = ipv4Mapped(groups);
  if (mapped !== null) return mapped;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (a zone index dropped, an IPv4 tail as two groups). */
function expandIPv6(ip: string): string[] {
  const address = ip.split('%')[0] as string;
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').flatMap(fromIPv4Tail));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(missing, 0) }, () => '0'), ...right];
}

function fromIPv4Tail(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/** `::ffff:a.b.c.d` as `a.b.c.d`; null for any other address. */
function ipv4Mapped(groups: string[]): string | null {
  const zeros = groups.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0);
  if (!zeros || Number.parseInt(groups[5] ?? '', 16) !== 0xffff) return null;
  const high = Number.parseInt(groups[6] ?? '0', 16);
  const low = Number.parseInt(groups[7] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
