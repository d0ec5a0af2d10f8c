import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors.js';
import type { Namespace, Service } from '../model/types.js';
import { SYSTEM_NAMESPACES, bootstrapObjects, nthServiceIP } from './bootstrap.js';

describe('nthServiceIP', () => {
  it.each([
    { name: 'first address of the default range', cidr: '10.96.0.0/12', n: 1, want: '10.96.0.1' },
    { name: 'tenth address of the default range', cidr: '10.96.0.0/12', n: 10, want: '10.96.0.10' },
    { name: 'host bits in the CIDR are ignored', cidr: '10.96.3.7/16', n: 1, want: '10.96.0.1' },
    { name: 'carry into the next octet', cidr: '10.0.0.0/16', n: 256, want: '10.0.1.0' },
    { name: 'IPv6 first', cidr: 'fd00:10:96::/112', n: 1, want: 'fd00:10:96::1' },
    { name: 'IPv6 tenth (hex)', cidr: 'fd00:10:96::/112', n: 10, want: 'fd00:10:96::a' },
    { name: 'last address of a small range', cidr: '10.0.0.0/28', n: 15, want: '10.0.0.15' },
  ])('$name: $cidr #$n = $want', ({ cidr, n, want }) => {
    expect(nthServiceIP(cidr, n)).toBe(want);
  });

  it.each([
    { name: 'not a CIDR', cidr: '10.96.0.0', n: 1, message: 'invalid service CIDR 10.96.0.0' },
    { name: 'garbage', cidr: 'nope/12', n: 1, message: 'invalid service CIDR nope/12' },
    {
      name: 'a range too small for the index',
      cidr: '10.0.0.0/29',
      n: 10,
      message: 'service CIDR 10.0.0.0/29 has no address number 10',
    },
    {
      name: 'past the end of the address space',
      cidr: '255.255.255.0/24',
      n: 256,
      message: 'service CIDR 255.255.255.0/24 has no address number 256',
    },
  ])('refuses $name', ({ cidr, n, message }) => {
    expect(() => nthServiceIP(cidr, n)).toThrow(new DomainError('BadRequest', message));
  });
});

describe('bootstrapObjects', () => {
  const split = (cidrs: string[]) => {
    const objs = bootstrapObjects(cidrs) as (Namespace | Service)[];
    const services = objs.filter((o): o is Service => o.kind === 'Service');
    const byName = (n: string) => services.find((s) => s.metadata.name === n)!;
    return { objs, kubernetes: byName('kubernetes'), dns: byName('kube-dns') };
  };

  it('holds the system namespaces, then the two services', () => {
    const { objs } = split(['10.96.0.0/12']);
    expect(objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      ...SYSTEM_NAMESPACES.map((n) => `Namespace /${n}`),
      'Service default/kubernetes',
      'Service kube-system/kube-dns',
    ]);
    expect(SYSTEM_NAMESPACES).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it.each([
    {
      name: 'IPv4',
      cidrs: ['10.96.0.0/12'],
      kubernetes: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
      dns: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
    {
      name: 'IPv6',
      cidrs: ['fd00:10:96::/112'],
      kubernetes: {
        clusterIP: 'fd00:10:96::1',
        clusterIPs: ['fd00:10:96::1'],
        ipFamilies: ['IPv6'],
        ipFamilyPolicy: 'SingleStack',
      },
      dns: {
        clusterIP: 'fd00:10:96::a',
        clusterIPs: ['fd00:10:96::a'],
        ipFamilies: ['IPv6'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
    {
      name: 'dual-stack, IPv4 first',
      cidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
      kubernetes: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
      // kubeadm's kube-dns sets clusterIP alone: single-stack on the primary family.
      dns: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
    {
      name: 'dual-stack, IPv6 first',
      cidrs: ['fd00:10:96::/112', '10.96.0.0/12'],
      kubernetes: {
        clusterIP: 'fd00:10:96::1',
        clusterIPs: ['fd00:10:96::1'],
        ipFamilies: ['IPv6'],
        ipFamilyPolicy: 'SingleStack',
      },
      dns: {
        clusterIP: 'fd00:10:96::a',
        clusterIPs: ['fd00:10:96::a'],
        ipFamilies: ['IPv6'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
  ])('$name service CIDRs', ({ cidrs, kubernetes, dns }) => {
    const got = split(cidrs);
    expect(got.kubernetes.spec).toMatchObject(kubernetes);
    expect(got.dns.spec).toMatchObject(dns);
  });

  it('gives kubernetes the apiserver port and kube-dns the CoreDNS ports and selector', () => {
    const { kubernetes, dns } = split(['10.96.0.0/12']);
    expect(kubernetes.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    expect(kubernetes.spec.selector).toBeUndefined();
    expect(kubernetes.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(dns.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.spec.ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
      'dns 53/UDP',
      'dns-tcp 53/TCP',
      'metrics 9153/TCP',
    ]);
  });

  it('refuses a service range too small for kube-dns', () => {
    expect(() => bootstrapObjects(['10.96.0.0/29'])).toThrow(DomainError);
  });
});
