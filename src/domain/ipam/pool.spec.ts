import { describe, expect, it } from '@jest/globals';
import { parseCIDR, parseIP } from '../net/ip.js';
import {
  loadBalancerPool,
  MAX_IPV6_SERVICE_ADDRESSES,
  nodeAddressPool,
  nodeCidrPool,
  nodePortPool,
  podPool,
  Pool,
  reservedBand,
  servicePool,
  type PoolDef,
} from './pool.js';

const ipValue = (s: string) => parseIP(s)!.value;
const cidrValue = (s: string) => parseCIDR(s)!.network;

/** The values a pool hands out, in order, as text (at most `n`). */
function allocate(pool: Pool, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const off = pool.nextFree();
    if (off < 0) break;
    pool.taken.add(off);
    out.push(pool.format(pool.valueAt(off)));
  }
  return out;
}

const first = (def: PoolDef) => allocate(new Pool(def), 1)[0];

describe('reservedBand (KEP-3070 / KEP-3668)', () => {
  it.each([
    { name: 'service /12 (2^20), capped at 256', size: 2 ** 20, min: 16, max: 256, step: 16, want: 256 },
    { name: 'service /20 (4096)', size: 4096, min: 16, max: 256, step: 16, want: 256 },
    { name: 'service /24 (256)', size: 256, min: 16, max: 256, step: 16, want: 16 },
    { name: 'service /27 (32), raised to min', size: 32, min: 16, max: 256, step: 16, want: 16 },
    { name: 'service /29 (8), no band', size: 8, min: 16, max: 256, step: 16, want: 0 },
    { name: 'ports 30000-32767 (2768)', size: 2768, min: 16, max: 128, step: 32, want: 86 },
    { name: 'ports, large range capped', size: 60_000, min: 16, max: 128, step: 32, want: 128 },
    { name: 'ports, 100 ports raised to min', size: 100, min: 16, max: 128, step: 32, want: 16 },
    { name: 'ports, 10 ports, no band', size: 10, min: 16, max: 128, step: 32, want: 0 },
    { name: 'exactly 16 values: no band (upstream <= min)', size: 16, min: 16, max: 256, step: 16, want: 0 },
    { name: '17 values: the minimum band', size: 17, min: 16, max: 256, step: 16, want: 16 },
  ])('$name -> $want', ({ size, min, max, step, want }) => {
    expect(reservedBand(size, min, max, step)).toBe(want);
  });
});

describe('servicePool', () => {
  it.each<{
    name: string;
    cidr: string;
    lo: number;
    hi: number;
    dynamicFrom: number;
    family: 4 | 6;
    firstDynamic: string;
  }>([
    {
      name: 'IPv4 /12: static band 256, first dynamic 10.96.1.1',
      cidr: '10.96.0.0/12',
      lo: 1,
      hi: 2 ** 20 - 1,
      dynamicFrom: 257,
      family: 4,
      firstDynamic: '10.96.1.1',
    },
    {
      name: 'IPv4 /16: band capped at 256',
      cidr: '10.0.0.0/16',
      lo: 1,
      hi: 65_535,
      dynamicFrom: 257,
      family: 4,
      firstDynamic: '10.0.1.1',
    },
    {
      name: 'IPv4 /24: band 16, first dynamic .17',
      cidr: '10.96.0.0/24',
      lo: 1,
      hi: 255,
      dynamicFrom: 17,
      family: 4,
      firstDynamic: '10.96.0.17',
    },
    {
      name: 'IPv4 /28: no reserved band (16 addresses or fewer), first .1',
      cidr: '10.96.0.0/28',
      lo: 1,
      hi: 15,
      dynamicFrom: 1,
      family: 4,
      firstDynamic: '10.96.0.1',
    },
    {
      name: 'IPv6 /112: 65536 offsets, band 256',
      cidr: 'fd00:10:96::/112',
      lo: 1,
      hi: 65_536,
      dynamicFrom: 257,
      family: 6,
      firstDynamic: 'fd00:10:96::101',
    },
    {
      name: 'IPv6 /64: cut to 65536',
      cidr: 'fd00:10:96::/64',
      lo: 1,
      hi: MAX_IPV6_SERVICE_ADDRESSES,
      dynamicFrom: 257,
      family: 6,
      firstDynamic: 'fd00:10:96::101',
    },
  ])('$name', ({ cidr, lo, hi, dynamicFrom, family, firstDynamic }) => {
    const def = servicePool(cidr);
    expect(def).toMatchObject({ name: `service-ipv${family}`, kind: 'service', range: cidr, family });
    expect({ lo: def.lo, hi: def.hi, dynamicFrom: def.dynamicFrom }).toEqual({ lo, hi, dynamicFrom });
    expect(first(def)).toBe(firstDynamic);
  });

  it.each<{ name: string; cidr: string; ip: string; offset: number | undefined }>([
    { name: 'network address', cidr: '10.96.0.0/24', ip: '10.96.0.0', offset: undefined },
    { name: 'first address', cidr: '10.96.0.0/24', ip: '10.96.0.1', offset: 1 },
    { name: 'last usable', cidr: '10.96.0.0/24', ip: '10.96.0.254', offset: 254 },
    { name: 'IPv4 broadcast', cidr: '10.96.0.0/24', ip: '10.96.0.255', offset: undefined },
    { name: 'outside the CIDR', cidr: '10.96.0.0/24', ip: '10.97.0.1', offset: undefined },
    { name: 'below the CIDR', cidr: '10.96.0.0/24', ip: '10.95.255.255', offset: undefined },
    { name: 'an IPv6 address in an IPv4 pool', cidr: '10.96.0.0/24', ip: 'fd00::1', offset: undefined },
    { name: 'an IPv4 address in an IPv6 pool', cidr: 'fd00::/112', ip: '10.96.0.1', offset: undefined },
    { name: 'IPv6 network address', cidr: 'fd00::/112', ip: 'fd00::', offset: undefined },
    { name: 'IPv6 /112 all-ones is allocatable', cidr: 'fd00::/112', ip: 'fd00::ffff', offset: 65_535 },
    { name: 'IPv6 /64 network+65535', cidr: 'fd00::/64', ip: 'fd00::ffff', offset: 65_535 },
    { name: 'IPv6 /64 past the 65536 cap', cidr: 'fd00::/64', ip: 'fd00::1:0', offset: undefined },
  ])('offsetOf: $name', ({ cidr, ip, offset }) => {
    expect(new Pool(servicePool(cidr)).offsetOf(ipValue(ip))).toBe(offset);
  });

  it('dynamic allocation takes the upper band, then the static band', () => {
    const pool = new Pool(servicePool('10.96.0.0/27')); // 30 usable, band 16
    const got = allocate(pool, 40);
    expect(got).toHaveLength(30);
    expect(got.slice(0, 14)).toEqual(Array.from({ length: 14 }, (_, i) => `10.96.0.${17 + i}`));
    expect(got.slice(14)).toEqual(Array.from({ length: 16 }, (_, i) => `10.96.0.${1 + i}`));
    expect(pool.nextFree()).toBe(-1);
  });

  it('a /28 hands out exactly 14 addresses, .1 to .14', () => {
    const got = allocate(new Pool(servicePool('10.96.0.0/28')), 20);
    expect(got).toEqual(Array.from({ length: 14 }, (_, i) => `10.96.0.${i + 1}`));
  });

  it('describe() is the CIDR as configured', () => {
    expect(new Pool(servicePool('10.96.0.0/12')).describe()).toBe('10.96.0.0/12');
  });

  it('refuses an invalid CIDR', () => {
    expect(() => servicePool('10.96.0.0/33')).toThrow('invalid CIDR 10.96.0.0/33');
  });
});

describe('nodePortPool', () => {
  it('30000-32767: 2768 ports, static band 86, first dynamic 30086', () => {
    const def = nodePortPool(30000, 32767);
    expect(def).toMatchObject({
      name: 'node-port',
      kind: 'node-port',
      range: '30000-32767',
      base: 30000n,
      lo: 0,
      hi: 2768,
      dynamicFrom: 86,
    });
    expect(first(def)).toBe('30086');
  });

  it.each([
    { name: 'first port', port: 30000, offset: 0 },
    { name: 'last port', port: 32767, offset: 2767 },
    { name: 'below the range', port: 29999, offset: undefined },
    { name: 'above the range', port: 32768, offset: undefined },
  ])('offsetOf: $name', ({ port, offset }) => {
    expect(new Pool(nodePortPool(30000, 32767)).offsetOf(BigInt(port))).toBe(offset);
  });

  it('falls back to the static band once the dynamic band is full', () => {
    const pool = new Pool(nodePortPool(30000, 32767));
    for (let off = 86; off < 2768; off++) pool.taken.add(off);
    expect(allocate(pool, 3)).toEqual(['30000', '30001', '30002']);
  });

  it('a freed dynamic port is preferred over the static band', () => {
    const pool = new Pool(nodePortPool(30000, 32767));
    for (let off = 86; off < 2768; off++) pool.taken.add(off);
    pool.taken.delete(pool.offsetOf(31000n)!);
    expect(allocate(pool, 2)).toEqual(['31000', '30000']);
  });

  it('a range of 10 ports has no static band', () => {
    expect(allocate(new Pool(nodePortPool(40000, 40009)), 20)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(40000 + i)),
    );
  });
});

describe('nodeCidrPool', () => {
  it.each([
    { name: 'IPv4 /16 in /24s', cidr: '10.244.0.0/16', mask: 24, hi: 256, family: 4 },
    { name: 'IPv4 /8 in /24s', cidr: '10.0.0.0/8', mask: 24, hi: 65_536, family: 4 },
    { name: 'IPv6 /56 in /64s', cidr: 'fd00:10:244::/56', mask: 64, hi: 256, family: 6 },
    { name: 'IPv6 /32 in /64s, capped at 2^20', cidr: 'fd00:10::/32', mask: 64, hi: 1 << 20, family: 6 },
  ])('$name: $hi subnets', ({ cidr, mask, hi, family }) => {
    const def = nodeCidrPool(cidr, mask);
    expect(def).toMatchObject({
      name: `node-cidr-ipv${family}`,
      kind: 'node-cidr',
      range: cidr,
      subnetPrefix: mask,
      lo: 0,
      hi,
      dynamicFrom: 0,
    });
  });

  it.each([
    { name: 'first subnet', cidr: '10.244.0.0/16', mask: 24, offset: 0, subnet: '10.244.0.0/24' },
    { name: 'second subnet', cidr: '10.244.0.0/16', mask: 24, offset: 1, subnet: '10.244.1.0/24' },
    { name: 'last subnet', cidr: '10.244.0.0/16', mask: 24, offset: 255, subnet: '10.244.255.0/24' },
    { name: '/26 subnets', cidr: '10.244.0.0/24', mask: 26, offset: 3, subnet: '10.244.0.192/26' },
    { name: 'IPv6', cidr: 'fd00:10:244::/56', mask: 64, offset: 2, subnet: 'fd00:10:244:2::/64' },
  ])('valueAt/offsetOf round trip: $name', ({ cidr, mask, offset, subnet }) => {
    const pool = new Pool(nodeCidrPool(cidr, mask));
    expect(pool.format(pool.valueAt(offset))).toBe(subnet);
    expect(pool.offsetOf(cidrValue(subnet))).toBe(offset);
  });

  it.each([
    { name: 'not on a subnet boundary', value: '10.244.1.5' },
    { name: 'outside the cluster CIDR', value: '10.245.0.0' },
    { name: 'below the cluster CIDR', value: '10.243.255.0' },
  ])('offsetOf is undefined: $name', ({ value }) => {
    expect(new Pool(nodeCidrPool('10.244.0.0/16', 24)).offsetOf(ipValue(value))).toBeUndefined();
  });

  it('hands subnets out in order', () => {
    expect(allocate(new Pool(nodeCidrPool('10.244.0.0/22', 24)), 10)).toEqual([
      '10.244.0.0/24',
      '10.244.1.0/24',
      '10.244.2.0/24',
      '10.244.3.0/24',
    ]);
  });
});

describe('podPool and nodeAddressPool (gateway subnets)', () => {
  it('a /24 pod range excludes .0, the gateway .1 and the broadcast: .2 to .254', () => {
    const def = podPool('node-1', '10.244.1.0/24');
    expect(def).toMatchObject({
      name: 'pods/node-1/ipv4',
      kind: 'pod',
      node: 'node-1',
      range: '10.244.1.0/24',
      lo: 2,
      hi: 255,
      dynamicFrom: 2,
    });
    const got = allocate(new Pool(def), 300);
    expect(got).toHaveLength(253);
    expect(got[0]).toBe('10.244.1.2');
    expect(got[1]).toBe('10.244.1.3');
    expect(got.at(-1)).toBe('10.244.1.254');
  });

  it.each([
    { name: 'network', ip: '10.244.1.0', offset: undefined },
    { name: 'gateway', ip: '10.244.1.1', offset: undefined },
    { name: 'first pod address', ip: '10.244.1.2', offset: 2 },
    { name: 'last pod address', ip: '10.244.1.254', offset: 254 },
    { name: 'broadcast', ip: '10.244.1.255', offset: undefined },
  ])('pod /24 offsetOf: $name', ({ ip, offset }) => {
    expect(new Pool(podPool('node-1', '10.244.1.0/24')).offsetOf(ipValue(ip))).toBe(offset);
  });

  it('an IPv6 pod range starts at ::2 and keeps its all-ones address', () => {
    const def = podPool('node-1', 'fd00:10:244:1::/120');
    expect(def).toMatchObject({ name: 'pods/node-1/ipv6', family: 6, lo: 2, hi: 256 });
    const pool = new Pool(def);
    expect(first(def)).toBe('fd00:10:244:1::2');
    expect(pool.offsetOf(ipValue('fd00:10:244:1::ff'))).toBe(255);
  });

  it('an IPv6 /64 pod range is capped at 2^20 offsets', () => {
    expect(podPool('node-1', 'fd00:10:244:1::/64').hi).toBe(1 << 20);
  });

  it('the node network: first node address .2', () => {
    const def = nodeAddressPool('172.18.0.0/16');
    expect(def).toMatchObject({ name: 'node-address', kind: 'node-address', lo: 2, hi: 65_535 });
    expect(allocate(new Pool(def), 2)).toEqual(['172.18.0.2', '172.18.0.3']);
  });
});

describe('loadBalancerPool', () => {
  it.each([
    { name: 'IPv4 /24', cidr: '172.18.255.0/24', lo: 1, hi: 255, first: '172.18.255.1', count: 254 },
    { name: 'IPv4 /28', cidr: '172.18.255.192/28', lo: 1, hi: 15, first: '172.18.255.193', count: 14 },
    { name: 'IPv4 /30', cidr: '172.18.255.200/30', lo: 1, hi: 3, first: '172.18.255.201', count: 2 },
    { name: 'IPv6 /124 (network kept)', cidr: 'fd00:18::/124', lo: 0, hi: 16, first: 'fd00:18::', count: 16 },
  ])('$name', ({ cidr, lo, hi, first: firstIP, count }) => {
    const def = loadBalancerPool(cidr);
    expect(def).toMatchObject({ name: 'load-balancer', kind: 'load-balancer', range: cidr, lo, hi });
    const got = allocate(new Pool(def), 1000);
    expect(got[0]).toBe(firstIP);
    expect(got).toHaveLength(count);
  });
});

describe('Pool', () => {
  it('fork: allocations on the fork do not reach the pool', () => {
    const pool = new Pool(servicePool('10.96.0.0/24'));
    pool.taken.add(17);
    const fork = pool.fork();
    fork.taken.add(fork.nextFree());
    expect(fork.allocated).toBe(2);
    expect(pool.allocated).toBe(1);
    expect(pool.nextFree()).toBe(18);
    expect(fork.nextFree()).toBe(19);
    expect(fork.def).toBe(pool.def);
  });

  it.each([
    { name: 'service /24', def: () => servicePool('10.96.0.0/24'), size: 254 },
    { name: 'node ports', def: () => nodePortPool(30000, 32767), size: 2768 },
    { name: 'pods /24', def: () => podPool('n', '10.244.0.0/24'), size: 253 },
    { name: 'node cidrs /16 in /24', def: () => nodeCidrPool('10.244.0.0/16', 24), size: 256 },
  ])('size: $name -> $size', ({ def, size }) => {
    expect(new Pool(def()).size).toBe(size);
  });

  it.each([
    { name: 'node-port as a number', def: () => nodePortPool(30000, 32767), value: 30080n, text: '30080' },
    {
      name: 'node-cidr as a CIDR',
      def: () => nodeCidrPool('10.244.0.0/16', 24),
      value: cidrValue('10.244.7.0/24'),
      text: '10.244.7.0/24',
    },
    {
      name: 'service as an address',
      def: () => servicePool('fd00::/112'),
      value: ipValue('fd00::a'),
      text: 'fd00::a',
    },
  ])('format: $name', ({ def, value, text }) => {
    expect(new Pool(def()).format(value)).toBe(text);
  });
});
