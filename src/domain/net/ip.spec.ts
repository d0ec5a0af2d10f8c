import { describe, expect, it } from '@jest/globals';
import {
  addToIP,
  canonicalIP,
  cidrContains,
  cidrContainsCIDR,
  cidrFirst,
  cidrLast,
  cidrOverlaps,
  cidrSize,
  compareIP,
  formatCIDR,
  formatIP,
  hasHostBits,
  isIPv4,
  isIPv6,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  parseCIDR,
  parseIP,
  type CIDR,
} from './ip.js';

const cidr = (s: string): CIDR => parseCIDR(s)!;
const ip = (s: string) => parseIP(s)!;

describe('parseIP / formatIP', () => {
  it.each([
    { name: 'IPv4', input: '10.96.0.10', family: 4, text: '10.96.0.10' },
    { name: 'IPv4 zeros', input: '0.0.0.0', family: 4, text: '0.0.0.0' },
    { name: 'IPv4 broadcast', input: '255.255.255.255', family: 4, text: '255.255.255.255' },
    { name: 'IPv6 compressed', input: '2001:db8::1', family: 6, text: '2001:db8::1' },
    {
      name: 'IPv6 full, upper case',
      input: '2001:0DB8:0000:0000:0000:0000:0000:0001',
      family: 6,
      text: '2001:db8::1',
    },
    { name: 'IPv6 unspecified', input: '::', family: 6, text: '::' },
    { name: 'IPv6 loopback', input: '::1', family: 6, text: '::1' },
    { name: 'IPv6 trailing ::', input: 'fd00::', family: 6, text: 'fd00::' },
    { name: 'IPv6 longest zero run wins', input: '1:0:0:2:0:0:0:3', family: 6, text: '1:0:0:2::3' },
    { name: 'IPv6 first of equal runs wins', input: '1:0:0:2:3:0:0:4', family: 6, text: '1::2:3:0:0:4' },
    {
      name: 'IPv6 single zero group not compressed',
      input: '1:0:2:3:4:5:6:7',
      family: 6,
      text: '1:0:2:3:4:5:6:7',
    },
    { name: 'IPv6 with embedded IPv4', input: '64:ff9b::10.0.0.1', family: 6, text: '64:ff9b::a00:1' },
    { name: 'IPv4-mapped IPv6 stays IPv6', input: '::ffff:10.1.2.3', family: 6, text: '::ffff:10.1.2.3' },
  ])('$name: $input', ({ input, family, text }) => {
    const parsed = parseIP(input);
    expect(parsed?.family).toBe(family);
    expect(formatIP(parsed!)).toBe(text);
  });

  it.each([
    { name: 'empty', input: '' },
    { name: 'leading zero octet (octal ambiguity)', input: '010.0.0.1' },
    { name: 'octet over 255', input: '10.0.0.256' },
    { name: 'three octets', input: '10.0.1' },
    { name: 'five octets', input: '10.0.0.1.5' },
    { name: 'sign', input: '+1.2.3.4' },
    { name: 'spaces', input: ' 10.0.0.1' },
    { name: 'two ::', input: '1::2::3' },
    { name: 'nine groups', input: '1:2:3:4:5:6:7:8:9' },
    { name: 'seven groups without ::', input: '1:2:3:4:5:6:7' },
    { name: ':: with eight groups', input: '1:2:3:4::5:6:7:8' },
    { name: 'group too long', input: '12345::1' },
    { name: 'zone', input: 'fe80::1%eth0' },
    { name: 'IPv4 not last', input: '1.2.3.4::1' },
    { name: 'CIDR is not an IP', input: '10.0.0.0/8' },
    { name: 'hostname', input: 'example.com' },
  ])('rejects $name: "$input"', ({ input }) => {
    expect(parseIP(input)).toBeNull();
  });

  it('isIPv4 / isIPv6 / canonicalIP', () => {
    expect(isIPv4('1.2.3.4')).toBe(true);
    expect(isIPv4('::ffff:1.2.3.4')).toBe(false);
    expect(isIPv6('::ffff:1.2.3.4')).toBe(true);
    expect(isIPv6('nope')).toBe(false);
    expect(canonicalIP('2001:DB8:0::0:1')).toBe('2001:db8::1');
    expect(canonicalIP('x')).toBeNull();
  });
});

describe('parseCIDR', () => {
  it.each([
    { name: 'IPv4 network', input: '10.244.0.0/16', text: '10.244.0.0/16', size: 65536n },
    { name: 'IPv4 host bits cleared', input: '10.244.1.7/16', text: '10.244.0.0/16', size: 65536n },
    { name: 'IPv4 /32', input: '10.0.0.1/32', text: '10.0.0.1/32', size: 1n },
    { name: 'IPv4 /0', input: '0.0.0.0/0', text: '0.0.0.0/0', size: 4294967296n },
    { name: 'IPv6 /64', input: 'fd00:10:244::/64', text: 'fd00:10:244::/64', size: 18446744073709551616n },
    { name: 'IPv6 /128', input: '::1/128', text: '::1/128', size: 1n },
  ])('$name: $input', ({ input, text, size }) => {
    const c = parseCIDR(input)!;
    expect(formatCIDR(c)).toBe(text);
    expect(cidrSize(c)).toBe(size);
  });

  it.each([
    { name: 'no prefix', input: '10.0.0.0' },
    { name: 'prefix too long (v4)', input: '10.0.0.0/33' },
    { name: 'prefix too long (v6)', input: 'fd00::/129' },
    { name: 'leading zero prefix', input: '10.0.0.0/08' },
    { name: 'negative prefix', input: '10.0.0.0/-1' },
    { name: 'empty prefix', input: '10.0.0.0/' },
    { name: 'bad address', input: '10.0.0.300/24' },
  ])('rejects $name: "$input"', ({ input }) => {
    expect(parseCIDR(input)).toBeNull();
  });

  it('strict rejects host bits, sloppy clears them', () => {
    expect(parseCIDR('10.0.0.1/24', { strict: true })).toBeNull();
    expect(formatCIDR(parseCIDR('10.0.0.0/24', { strict: true })!)).toBe('10.0.0.0/24');
    expect(hasHostBits('10.0.0.1/24')).toBe(true);
    expect(hasHostBits('10.0.0.0/24')).toBe(false);
    expect(hasHostBits('junk')).toBe(false);
  });
});

describe('CIDR arithmetic', () => {
  it.each([
    { name: 'inside', c: '10.96.0.0/12', a: '10.96.0.10', want: true },
    { name: 'last address', c: '10.96.0.0/12', a: '10.111.255.255', want: true },
    { name: 'just outside', c: '10.96.0.0/12', a: '10.112.0.0', want: false },
    { name: 'other family', c: '10.0.0.0/8', a: '::ffff:10.0.0.1', want: false },
    { name: 'IPv6 inside', c: 'fd00::/108', a: 'fd00::a', want: true },
    { name: '/0 contains all of its family', c: '0.0.0.0/0', a: '203.0.113.9', want: true },
  ])('cidrContains $name', ({ c, a, want }) => {
    expect(cidrContains(cidr(c), ip(a))).toBe(want);
  });

  it.each([
    { name: 'nested', outer: '10.0.0.0/8', inner: '10.1.0.0/16', contains: true, overlaps: true },
    { name: 'itself', outer: '10.0.0.0/8', inner: '10.0.0.0/8', contains: true, overlaps: true },
    { name: 'wider', outer: '10.1.0.0/16', inner: '10.0.0.0/8', contains: false, overlaps: true },
    { name: 'disjoint', outer: '10.0.0.0/16', inner: '10.1.0.0/16', contains: false, overlaps: false },
    { name: 'families differ', outer: '::/0', inner: '10.0.0.0/8', contains: false, overlaps: false },
  ])('cidrContainsCIDR / cidrOverlaps $name', ({ outer, inner, contains, overlaps }) => {
    expect(cidrContainsCIDR(cidr(outer), cidr(inner))).toBe(contains);
    expect(cidrOverlaps(cidr(outer), cidr(inner))).toBe(overlaps);
  });

  it('first, last, offsets and ordering', () => {
    const c = cidr('10.96.0.0/12');
    expect(formatIP(cidrFirst(c))).toBe('10.96.0.0');
    expect(formatIP(cidrLast(c))).toBe('10.111.255.255');
    expect(formatIP(addToIP(cidrFirst(c), 10n)!)).toBe('10.96.0.10');
    expect(addToIP(ip('255.255.255.255'), 1n)).toBeNull();
    expect(addToIP(ip('0.0.0.0'), -1n)).toBeNull();
    expect(compareIP(ip('10.0.0.2'), ip('10.0.0.10'))).toBeLessThan(0);
    expect(compareIP(ip('10.0.0.1'), ip('::1'))).toBeLessThan(0);
  });
});

describe('special addresses', () => {
  it.each([
    { a: '0.0.0.0', unspecified: true, loopback: false, linkLocal: false, llMulticast: false },
    { a: '::', unspecified: true, loopback: false, linkLocal: false, llMulticast: false },
    { a: '127.0.0.53', unspecified: false, loopback: true, linkLocal: false, llMulticast: false },
    { a: '::1', unspecified: false, loopback: true, linkLocal: false, llMulticast: false },
    { a: '::ffff:127.0.0.1', unspecified: false, loopback: true, linkLocal: false, llMulticast: false },
    { a: '169.254.169.254', unspecified: false, loopback: false, linkLocal: true, llMulticast: false },
    { a: 'fe80::1', unspecified: false, loopback: false, linkLocal: true, llMulticast: false },
    { a: '224.0.0.251', unspecified: false, loopback: false, linkLocal: false, llMulticast: true },
    { a: 'ff02::fb', unspecified: false, loopback: false, linkLocal: false, llMulticast: true },
    { a: '10.244.1.5', unspecified: false, loopback: false, linkLocal: false, llMulticast: false },
  ])('$a', ({ a, unspecified, loopback, linkLocal, llMulticast }) => {
    const p = ip(a);
    expect([isUnspecified(p), isLoopback(p), isLinkLocalUnicast(p), isLinkLocalMulticast(p)]).toEqual([
      unspecified,
      loopback,
      linkLocal,
      llMulticast,
    ]);
  });
});
