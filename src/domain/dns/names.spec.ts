import { describe, expect, it } from '@jest/globals';
import {
  absoluteName,
  baseLabels,
  dashedIP,
  endpointHostname,
  hostAddress,
  isSubdomain,
  lowerName,
  parseRequest,
  podLabelToIP,
  reverseName,
  reverseNameToIP,
  stripUnderscore,
} from './names.js';

describe('absoluteName, lowerName, isSubdomain, baseLabels', () => {
  it('adds the trailing dot once and keeps the root', () => {
    expect(absoluteName('web.shop')).toBe('web.shop.');
    expect(absoluteName('web.shop.')).toBe('web.shop.');
    expect(absoluteName('')).toBe('.');
    expect(absoluteName('.')).toBe('.');
  });

  it('folds ASCII letters only', () => {
    expect(lowerName('Web.SHOP.svc.')).toBe('web.shop.svc.');
    expect(lowerName('ÄB.')).toBe('Äb.');
  });

  it.each([
    { name: 'a.cluster.local.', parent: 'cluster.local.', want: true },
    { name: 'cluster.local.', parent: 'cluster.local.', want: true },
    { name: 'notcluster.local.', parent: 'cluster.local.', want: false },
    { name: 'cluster.local.example.', parent: 'cluster.local.', want: false },
    { name: 'anything.', parent: '.', want: true },
  ])('isSubdomain($name, $parent) is $want', ({ name, parent, want }) => {
    expect(isSubdomain(name, parent)).toBe(want);
  });

  it('cuts the zone off by labels', () => {
    expect(baseLabels('web.shop.svc.cluster.local.', 'cluster.local.')).toEqual(['web', 'shop', 'svc']);
    expect(baseLabels('cluster.local.', 'cluster.local.')).toEqual([]);
    expect(baseLabels('example.com.', 'cluster.local.')).toBeUndefined();
  });
});

describe('parseRequest', () => {
  const empty = { podOrSvc: '', namespace: '', service: '', endpoint: '', port: '', protocol: '' };
  it.each([
    { name: 'apex', base: [], want: empty },
    { name: 'svc alone', base: ['svc'], want: empty },
    { name: 'pod alone', base: ['pod'], want: empty },
    { name: 'namespace', base: ['shop', 'svc'], want: { ...empty, podOrSvc: 'svc', namespace: 'shop' } },
    {
      name: 'service',
      base: ['web', 'shop', 'svc'],
      want: { ...empty, podOrSvc: 'svc', namespace: 'shop', service: 'web' },
    },
    {
      name: 'endpoint',
      base: ['db-0', 'db', 'shop', 'svc'],
      want: { ...empty, podOrSvc: 'svc', namespace: 'shop', service: 'db', endpoint: 'db-0' },
    },
    {
      name: 'port and protocol',
      base: ['_http', '_tcp', 'web', 'shop', 'svc'],
      want: { ...empty, podOrSvc: 'svc', namespace: 'shop', service: 'web', port: 'http', protocol: 'tcp' },
    },
    {
      name: 'port and protocol without underscores',
      base: ['http', 'tcp', 'web', 'shop', 'svc'],
      want: { ...empty, podOrSvc: 'svc', namespace: 'shop', service: 'web', port: 'http', protocol: 'tcp' },
    },
    {
      name: 'pod',
      base: ['10-244-1-5', 'default', 'pod'],
      want: { ...empty, podOrSvc: 'pod', namespace: 'default', service: '10-244-1-5' },
    },
    { name: 'not svc or pod', base: ['foo'], want: undefined },
    { name: 'dns-version', base: ['dns-version'], want: undefined },
    { name: 'three labels too many', base: ['a', 'b', 'c', 'web', 'shop', 'svc'], want: undefined },
  ])('$name', ({ base, want }) => {
    expect(parseRequest(base)).toEqual(want);
  });

  it('strips one leading underscore', () => {
    expect(stripUnderscore('_http')).toBe('http');
    expect(stripUnderscore('__x')).toBe('_x');
    expect(stripUnderscore('tcp')).toBe('tcp');
  });
});

describe('endpoint and pod labels', () => {
  it.each([
    { address: '10.244.1.5', hostname: undefined, want: '10-244-1-5' },
    { address: 'fd00:10:244::a', hostname: undefined, want: 'fd00-10-244--a' },
    { address: '10.244.1.5', hostname: 'db-0', want: 'db-0' },
  ])('endpointHostname($address, $hostname) = $want', ({ address, hostname, want }) => {
    expect(endpointHostname(address, hostname)).toBe(want);
  });

  it('dashes an address', () => {
    expect(dashedIP('172.0.0.2')).toBe('172-0-0-2');
    expect(dashedIP('5678:abcd::1')).toBe('5678-abcd--1');
  });

  it.each([
    { label: '10-244-1-5', want: { family: 4, text: '10.244.1.5' } },
    { label: 'fd00-10-244--5', want: { family: 6, text: 'fd00:10:244::5' } },
    { label: 'fd00-0010-0244-0000-0000-0000-0000-0005', want: { family: 6, text: 'fd00:10:244::5' } },
    { label: '0-0-0-0-0-ffff-a00-1', want: { family: 4, text: '10.0.0.1' } },
    { label: '10-0-0-01', want: null },
    { label: '10-0-0-256', want: null },
    { label: '1-2-3-4-5', want: null },
    { label: 'blah', want: null },
    { label: '10--0-1', want: { family: 6, text: '10::1' } },
  ])('podLabelToIP($label)', ({ label, want }) => {
    expect(podLabelToIP(label)).toEqual(want);
  });

  it('reads IPv4-mapped IPv6 as IPv4, as Go prints it', () => {
    expect(hostAddress('::ffff:10.0.0.1')).toEqual({ family: 4, text: '10.0.0.1' });
    expect(hostAddress('www.example.com')).toBeNull();
  });
});

describe('reverse names', () => {
  const v6Name = '4.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.';

  it('writes IPv4 and IPv6 reverse names', () => {
    expect(reverseName('10.96.0.20')).toBe('20.0.96.10.in-addr.arpa.');
    expect(reverseName('fd00:10:96::14')).toBe(v6Name);
    expect(reverseName('nope')).toBeNull();
  });

  it.each([
    { name: '20.0.96.10.in-addr.arpa.', want: '10.96.0.20' },
    { name: v6Name, want: 'fd00:10:96::14' },
    { name: `x.${v6Name}`, want: 'fd00:10:96::14' },
    { name: `x.y.z.w.${v6Name}`, want: null },
    { name: '0.96.10.in-addr.arpa.', want: null },
    { name: '1.20.0.96.10.in-addr.arpa.', want: null },
    { name: '01.0.96.10.in-addr.arpa.', want: null },
    { name: '300.0.96.10.in-addr.arpa.', want: null },
    { name: 'in-addr.arpa.', want: null },
    { name: '0.1.ip6.arpa.', want: null },
    { name: 'web.shop.svc.cluster.local.', want: null },
    {
      name: '1.0.0.0.0.0.a.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.',
      want: '10.0.0.1',
    },
  ])('reverseNameToIP($name) = $want', ({ name, want }) => {
    expect(reverseNameToIP(name)).toBe(want);
  });

  it('round-trips', () => {
    for (const ip of ['10.0.0.1', '255.255.255.255', 'fd00::1', '2001:db8::8:800:200c:417a']) {
      expect(reverseNameToIP(reverseName(ip)!)).toBe(ip);
    }
  });
});
