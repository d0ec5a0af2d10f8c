import { describe, expect, it } from '@jest/globals';
import { aNode, aPod, deepMerge } from '../../../test/factories/objects.js';
import type { Node, Pod } from '../model/types.js';
import {
  defaultHostResolvConf,
  hostsFile,
  lookup,
  parseHostResolvConf,
  resolvConf,
  resolverOptions,
  type HErrno,
  type HostResolvConf,
  type LookupResult,
  type ResolvConf,
  type ResolvEnv,
  type ResolvOption,
} from './pod-view.js';
import type { DnsRecord, DnsResponse, Rcode, RecordType } from './types.js';

const HOST = defaultHostResolvConf('172.18.0.1');
const CORP_HOST: HostResolvConf = {
  nameservers: ['172.18.0.1'],
  searches: ['corp.example', 'cluster.local'],
  options: ['edns0', 'ndots:2'],
};
const ENV: ResolvEnv = { clusterDomain: 'cluster.local', clusterDNS: ['10.96.0.10'], host: HOST };
const CLUSTER_TEXT =
  'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';

const pod = (o: Parameters<typeof aPod>[0]): Pod => aPod(o);
const domains = (n: number, make: (i: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => make(i + 1));

// 30 pod search domains: with the 3 cluster ones that is 33, one over the limit of 32.
const THIRTY = domains(30, (i) => `d${i}.example`);
const LONG_253 = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(9)}`;
const LONG_254 = `${LONG_253}f`;
// Nine 240-character domains: a 2224-character line with the cluster ones, so the last one goes.
const WIDE = domains(9, (i) => `${i}${'x'.repeat(235)}.com`);

describe('resolvConf: the file text', () => {
  it.each<{ name: string; pod: Pod; env?: Partial<ResolvEnv>; text: string; warnings?: string[] }>([
    { name: 'ClusterFirst when dnsPolicy is unset', pod: aPod(), text: CLUSTER_TEXT },
    {
      name: 'ClusterFirst when dnsPolicy is empty',
      pod: pod({ spec: { dnsPolicy: '' } }),
      text: CLUSTER_TEXT,
    },
    {
      name: 'ClusterFirst uses the pod namespace in the first search domain',
      pod: pod({ metadata: { namespace: 'shop' }, spec: { dnsPolicy: 'ClusterFirst' } }),
      text: 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst appends the node searches without duplicates and drops the node options',
      pod: aPod(),
      env: { host: CORP_HOST },
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst with a dual-stack clusterDNS writes one nameserver line per address',
      pod: aPod(),
      env: { clusterDNS: ['10.96.0.10', 'fd00:10:96::a'] },
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver fd00:10:96::a\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst with another cluster domain',
      pod: aPod(),
      env: { clusterDomain: 'corp.internal' },
      text: 'search default.svc.corp.internal svc.corp.internal corp.internal\nnameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst without a cluster domain keeps the node searches only (none here)',
      pod: aPod(),
      env: { clusterDomain: '' },
      text: 'nameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst without a cluster domain keeps the node searches only',
      pod: aPod(),
      env: { clusterDomain: '', host: CORP_HOST },
      text: 'search corp.example cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'ClusterFirst on a hostNetwork pod falls back to Default (netmodel node file)',
      pod: pod({ spec: { hostNetwork: true } }),
      // Docker's ndots:0 for containers on a user-defined network, which a kind node is.
      text: 'nameserver 172.18.0.1\noptions ndots:0\n',
    },
    {
      name: 'ClusterFirst on a hostNetwork pod falls back to Default (node with searches and options)',
      pod: pod({ spec: { hostNetwork: true, dnsPolicy: 'ClusterFirst' } }),
      env: { host: CORP_HOST },
      text: 'search corp.example cluster.local\nnameserver 172.18.0.1\noptions edns0 ndots:2\n',
    },
    {
      name: 'ClusterFirstWithHostNet on a hostNetwork pod uses cluster DNS',
      pod: pod({ spec: { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } }),
      text: CLUSTER_TEXT,
    },
    {
      name: 'ClusterFirstWithHostNet on a pod-network pod uses cluster DNS',
      pod: pod({ spec: { dnsPolicy: 'ClusterFirstWithHostNet' } }),
      text: CLUSTER_TEXT,
    },
    {
      name: 'Default copies the node settings as parsed',
      pod: pod({ spec: { dnsPolicy: 'Default' } }),
      env: { host: CORP_HOST },
      text: 'search corp.example cluster.local\nnameserver 172.18.0.1\noptions edns0 ndots:2\n',
    },
    {
      name: 'Default keeps duplicate node options verbatim when there is no dnsConfig',
      pod: pod({ spec: { dnsPolicy: 'Default' } }),
      env: {
        host: { nameservers: ['172.18.0.1'], searches: [], options: ['ndots:2', 'ndots:3', 'timeout:1'] },
      },
      text: 'nameserver 172.18.0.1\noptions ndots:2 ndots:3 timeout:1\n',
    },
    {
      name: 'Default with an empty dnsConfig merges duplicate options (first place, last value)',
      pod: pod({ spec: { dnsPolicy: 'Default', dnsConfig: {} } }),
      env: {
        host: { nameservers: ['172.18.0.1'], searches: [], options: ['ndots:2', 'timeout:1', 'ndots:3'] },
      },
      text: 'nameserver 172.18.0.1\noptions ndots:3 timeout:1\n',
    },
    {
      name: 'Default with dnsConfig appends nameservers and searches',
      pod: pod({
        spec: {
          dnsPolicy: 'Default',
          dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example', 'lab.example'] },
        },
      }),
      env: { host: CORP_HOST },
      text: 'search corp.example cluster.local lab.example\nnameserver 172.18.0.1\nnameserver 1.1.1.1\noptions edns0 ndots:2\n',
    },
    {
      name: 'None uses only the dnsConfig',
      pod: pod({
        spec: {
          dnsPolicy: 'None',
          dnsConfig: {
            nameservers: ['1.1.1.1', '8.8.8.8'],
            searches: ['example.com'],
            options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
          },
        },
      }),
      env: { host: CORP_HOST },
      text: 'search example.com\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions ndots:2 edns0\n',
    },
    {
      name: 'None with only a nameserver writes one line',
      pod: pod({ spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } } }),
      text: 'nameserver 1.1.1.1\n',
    },
    {
      name: 'None with nothing at all: the runtime copies the node file',
      pod: pod({ spec: { dnsPolicy: 'None' } }),
      env: { host: CORP_HOST },
      text: 'search corp.example cluster.local\nnameserver 172.18.0.1\noptions edns0 ndots:2\n',
    },
    {
      name: 'dnsConfig options: the pod overrides ndots in place, new options follow in order',
      pod: pod({
        spec: {
          dnsConfig: {
            options: [{ name: 'edns0' }, { name: 'ndots', value: '2' }, { name: 'single-request-reopen' }],
          },
        },
      }),
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:2 edns0 single-request-reopen\n',
    },
    {
      name: 'dnsConfig options: an empty value is written bare',
      pod: pod({
        spec: {
          dnsConfig: {
            options: [
              { name: 'timeout', value: '' },
              { name: 'attempts', value: '3' },
            ],
          },
        },
      }),
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5 timeout attempts:3\n',
    },
    {
      name: 'dnsConfig nameservers are de-duplicated against the cluster DNS',
      pod: pod({ spec: { dnsConfig: { nameservers: ['10.96.0.10', '1.1.1.1'] } } }),
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:5\n',
    },
    {
      name: 'dnsConfig searches are de-duplicated; a trailing dot makes a different entry',
      pod: pod({ spec: { dnsConfig: { searches: ['svc.cluster.local', 'corp.example', 'corp.example.'] } } }),
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local corp.example corp.example.\nnameserver 10.96.0.10\noptions ndots:5\n',
    },
    {
      name: 'more than 3 nameservers: the first 3 are kept',
      pod: pod({ spec: { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } } }),
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions ndots:5\n',
      warnings: [
        'DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8',
      ],
    },
    {
      name: 'more than 3 nameservers from the node plus the pod',
      pod: pod({ spec: { dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1'] } } }),
      env: { host: { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], searches: [], options: [] } },
      text: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n',
      warnings: [
        'DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.0.0.1 10.0.0.2 10.0.0.3',
      ],
    },
    {
      name: 'more than 32 search domains: the first 32 are kept',
      pod: pod({ spec: { dnsConfig: { searches: THIRTY } } }),
      text: `search default.svc.cluster.local svc.cluster.local cluster.local ${THIRTY.slice(0, 29).join(' ')}\nnameserver 10.96.0.10\noptions ndots:5\n`,
      warnings: [
        `DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: default.svc.cluster.local svc.cluster.local cluster.local ${THIRTY.slice(0, 29).join(' ')}`,
      ],
    },
    {
      name: 'a search domain over 253 characters is dropped, one of 253 is kept',
      pod: pod({ spec: { dnsConfig: { searches: [LONG_254, LONG_253, 'corp.example'] } } }),
      text: `search default.svc.cluster.local svc.cluster.local cluster.local ${LONG_253} corp.example\nnameserver 10.96.0.10\noptions ndots:5\n`,
      warnings: [
        `DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: default.svc.cluster.local svc.cluster.local cluster.local ${LONG_253} corp.example`,
      ],
    },
    {
      name: 'a search line over 2048 characters loses domains from the end',
      pod: pod({ spec: { dnsConfig: { searches: WIDE } } }),
      text: `search default.svc.cluster.local svc.cluster.local cluster.local ${WIDE.slice(0, 8).join(' ')}\nnameserver 10.96.0.10\noptions ndots:5\n`,
      warnings: [
        `DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: default.svc.cluster.local svc.cluster.local cluster.local ${WIDE.slice(0, 8).join(' ')}`,
      ],
    },
    {
      name: 'no clusterDNS: MissingClusterDNS and the node file',
      pod: pod({ metadata: { uid: 'uid-1' } }),
      env: { clusterDNS: [], host: CORP_HOST },
      text: 'search corp.example cluster.local\nnameserver 172.18.0.1\noptions edns0 ndots:2\n',
      warnings: [
        'MissingClusterDNS: pod: "web-0_default(uid-1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      ],
    },
    {
      name: 'no clusterDNS on ClusterFirstWithHostNet: the same event',
      pod: pod({
        metadata: { name: 'agent', namespace: 'ops' },
        spec: { dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true },
      }),
      env: { clusterDNS: [] },
      text: 'nameserver 172.18.0.1\noptions ndots:0\n',
      warnings: [
        'MissingClusterDNS: pod: "agent_ops()". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      ],
    },
    {
      name: 'an invalid policy is logged and treated as cluster DNS, even on the host network',
      pod: pod({ spec: { dnsPolicy: 'Bogus', hostNetwork: true } }),
      text: CLUSTER_TEXT,
      warnings: [
        'kubelet log: Failed to get DNS type for pod. Falling back to DNSClusterFirst policy. err="invalid DNSPolicy=Bogus"',
      ],
    },
  ])('$name', ({ pod: p, env, text, warnings }) => {
    const conf = resolvConf(p, { ...ENV, ...env });
    expect(conf.text).toBe(text);
    expect(conf.warnings).toEqual(warnings ?? []);
  });
});

describe('resolvConf: the lists', () => {
  it.each<{
    name: string;
    pod: Pod;
    env?: Partial<ResolvEnv>;
    nameservers: string[];
    searches: string[];
    options: ResolvOption[];
  }>([
    {
      name: 'ClusterFirst',
      pod: aPod(),
      nameservers: ['10.96.0.10'],
      searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: [{ name: 'ndots', value: '5' }],
    },
    {
      name: 'Default splits node options on their first colon and keeps a trailing one',
      pod: pod({ spec: { dnsPolicy: 'Default' } }),
      env: { host: { nameservers: ['172.18.0.1'], searches: [], options: ['edns0', 'foo:a:b', 'bar:'] } },
      nameservers: ['172.18.0.1'],
      searches: [],
      options: [{ name: 'edns0' }, { name: 'foo', value: 'a:b' }, { name: 'bar', value: '' }],
    },
    {
      name: 'a merge turns an empty value into a bare option',
      pod: pod({ spec: { dnsPolicy: 'Default', dnsConfig: { options: [{ name: 'rotate' }] } } }),
      env: { host: { nameservers: ['172.18.0.1'], searches: [], options: ['bar:', 'ndots:1'] } },
      nameservers: ['172.18.0.1'],
      searches: [],
      options: [{ name: 'bar' }, { name: 'ndots', value: '1' }, { name: 'rotate' }],
    },
  ])('$name', ({ pod: p, env, nameservers, searches, options }) => {
    const conf = resolvConf(p, { ...ENV, ...env });
    expect({ nameservers: conf.nameservers, searches: conf.searches, options: conf.options }).toEqual({
      nameservers,
      searches,
      options,
    });
  });

  it('renders a bare trailing-colon node option verbatim', () => {
    const conf = resolvConf(pod({ spec: { dnsPolicy: 'Default' } }), {
      ...ENV,
      host: { nameservers: ['172.18.0.1'], searches: [], options: ['bar:'] },
    });
    expect(conf.text).toBe('nameserver 172.18.0.1\noptions bar:\n');
  });
});

describe('parseHostResolvConf', () => {
  it.each<{ name: string; text: string; want: HostResolvConf }>([
    {
      name: 'a kind node file',
      text: 'nameserver 172.18.0.1\n',
      want: { nameservers: ['172.18.0.1'], searches: [], options: [] },
    },
    {
      name: 'nameservers accumulate, comments and domain lines are skipped',
      text: '# generated\ndomain corp.example\nnameserver 10.0.0.1\n  nameserver   10.0.0.2  \n#nameserver 10.0.0.3\n',
      want: { nameservers: ['10.0.0.1', '10.0.0.2'], searches: [], options: [] },
    },
    {
      name: 'the last search line wins and trailing dots go',
      text: 'search a.example b.example\nsearch corp.example. lab.example\n',
      want: { nameservers: [], searches: ['corp.example', 'lab.example'], options: [] },
    },
    {
      name: 'the last options line wins, tokens kept as written',
      text: 'options ndots:1\noptions edns0\tndots:2 timeout:1\n',
      want: { nameservers: [], searches: [], options: ['edns0', 'ndots:2', 'timeout:1'] },
    },
    {
      name: 'a nameserver line without an address is ignored',
      text: 'nameserver\nnameserver 1.1.1.1 extra\n',
      want: { nameservers: ['1.1.1.1'], searches: [], options: [] },
    },
  ])('$name', ({ text, want }) => {
    expect(parseHostResolvConf(text)).toEqual(want);
  });
});

const MANAGED =
  '# Kubernetes-managed hosts file.\n' +
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'fe00::0\tip6-mcastprefix\n' +
  'fe00::1\tip6-allnodes\n' +
  'fe00::2\tip6-allrouters\n';
const HOST_NETWORK =
  '# Kubernetes-managed hosts file (host network).\n' +
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n';
const ALIASES = [
  { ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] },
  { ip: '10.1.2.3', hostnames: ['foo.remote'] },
];
const ALIAS_BLOCK =
  '\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n';
const withIP = (o: Parameters<typeof aPod>[0] = {}): Pod =>
  deepMerge<Pod>(aPod({ status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] } }), o);

describe('hostsFile', () => {
  it.each<{ name: string; pod: Pod; node?: Node; clusterDomain?: string; want: string }>([
    {
      name: 'a pod-network pod: header, fixed lines, its IP and name',
      pod: withIP(),
      want:
        '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
        'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        '10.244.1.5\tweb-0\n',
    },
    {
      name: 'only status.podIP set',
      pod: aPod({ status: { podIP: '10.244.1.6' } }),
      want: `${MANAGED}10.244.1.6\tweb-0\n`,
    },
    {
      name: 'dual-stack: one line per pod IP',
      pod: withIP({ status: { podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] } }),
      want: `${MANAGED}10.244.1.5\tweb-0\nfd00:10:244:1::5\tweb-0\n`,
    },
    {
      name: 'spec.hostname replaces the pod name',
      pod: withIP({ spec: { hostname: 'api' } }),
      want: `${MANAGED}10.244.1.5\tapi\n`,
    },
    {
      name: 'hostname and subdomain: the FQDN then the hostname',
      pod: withIP({ spec: { hostname: 'web-0', subdomain: 'nginx' } }),
      want: `${MANAGED}10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`,
    },
    {
      name: 'subdomain without hostname uses the pod name, in the pod namespace',
      pod: withIP({ metadata: { name: 'db-1', namespace: 'shop' }, spec: { subdomain: 'db' } }),
      want: `${MANAGED}10.244.1.5\tdb-1.db.shop.svc.cluster.local\tdb-1\n`,
    },
    {
      name: 'subdomain under another cluster domain',
      pod: withIP({ spec: { subdomain: 'nginx' } }),
      clusterDomain: 'corp.internal',
      want: `${MANAGED}10.244.1.5\tweb-0.nginx.default.svc.corp.internal\tweb-0\n`,
    },
    {
      name: 'dual-stack with a subdomain',
      pod: withIP({
        spec: { subdomain: 'nginx' },
        status: { podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] },
      }),
      want:
        `${MANAGED}10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n` +
        'fd00::5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n',
    },
    {
      name: 'setHostnameAsFQDN does not change the file',
      pod: withIP({ spec: { subdomain: 'nginx', setHostnameAsFQDN: true } }),
      want: `${MANAGED}10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`,
    },
    {
      name: 'a pod name over 63 characters is cut and loses trailing dashes',
      pod: withIP({ metadata: { name: `${'x'.repeat(62)}-abc` } }),
      want: `${MANAGED}10.244.1.5\t${'x'.repeat(62)}\n`,
    },
    {
      name: 'a cut hostname loses trailing dots and dashes together',
      pod: withIP({ metadata: { name: `${'x'.repeat(61)}.-tail` } }),
      want: `${MANAGED}10.244.1.5\t${'x'.repeat(61)}\n`,
    },
    {
      name: 'a 63-character hostname is kept whole',
      pod: withIP({ spec: { hostname: 'y'.repeat(63) } }),
      want: `${MANAGED}10.244.1.5\t${'y'.repeat(63)}\n`,
    },
    {
      name: 'hostAliases: a blank line, the comment, one TAB-joined line per alias in order',
      pod: withIP({ spec: { hostAliases: ALIASES } }),
      want: `${MANAGED}10.244.1.5\tweb-0\n${ALIAS_BLOCK}`,
    },
    {
      name: 'an empty hostAliases list adds nothing',
      pod: withIP({ spec: { hostAliases: [] } }),
      want: `${MANAGED}10.244.1.5\tweb-0\n`,
    },
    {
      name: 'an alias without hostnames keeps the TAB',
      pod: withIP({ spec: { hostAliases: [{ ip: '10.0.0.1' }] } }),
      want: `${MANAGED}10.244.1.5\tweb-0\n\n# Entries added by HostAliases.\n10.0.0.1\t\n`,
    },
    {
      name: 'a pod without IPs has no pod line',
      pod: pod({ spec: { hostAliases: ALIASES } }),
      want: `${MANAGED}${ALIAS_BLOCK}`,
    },
    {
      name: 'hostNetwork: the host-network header and netmodel node file, no pod line',
      pod: withIP({ spec: { hostNetwork: true, subdomain: 'nginx' } }),
      node: aNode(),
      want:
        '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n' +
        '::1\tlocalhost ip6-localhost ip6-loopback\n172.18.0.2\tnode-1\n',
    },
    {
      name: 'hostNetwork with hostAliases',
      pod: withIP({ spec: { hostNetwork: true, hostAliases: ALIASES } }),
      node: aNode(),
      want: `${HOST_NETWORK}172.18.0.2\tnode-1\n${ALIAS_BLOCK}`,
    },
    {
      name: 'hostNetwork on an unknown node: localhost lines only',
      pod: withIP({ spec: { hostNetwork: true } }),
      want: HOST_NETWORK,
    },
    {
      name: 'hostNetwork on a dual-stack node: one line per InternalIP',
      pod: withIP({ spec: { hostNetwork: true } }),
      node: aNode({
        metadata: { name: 'kind-worker' },
        status: {
          addresses: [
            { type: 'InternalIP', address: '172.18.0.3' },
            { type: 'InternalIP', address: 'fc00:f853:ccd:e793::3' },
            { type: 'Hostname', address: 'kind-worker' },
          ],
        },
      }),
      want: `${HOST_NETWORK}172.18.0.3\tkind-worker\nfc00:f853:ccd:e793::3\tkind-worker\n`,
    },
  ])('$name', ({ pod: p, node, clusterDomain, want }) => {
    expect(hostsFile(p, node, clusterDomain ?? 'cluster.local')).toBe(want);
  });
});

describe('resolverOptions', () => {
  it.each<{ name: string; options: ResolvOption[]; ndots: number; noTldQuery: boolean }>([
    { name: 'glibc default ndots is 1', options: [], ndots: 1, noTldQuery: false },
    { name: 'ndots:5', options: [{ name: 'ndots', value: '5' }], ndots: 5, noTldQuery: false },
    { name: 'ndots:0', options: [{ name: 'ndots', value: '0' }], ndots: 0, noTldQuery: false },
    {
      name: 'ndots over 15 is capped',
      options: [{ name: 'ndots', value: '20' }],
      ndots: 15,
      noTldQuery: false,
    },
    {
      name: 'ndots read as atoi: leading digits',
      options: [{ name: 'ndots', value: '3x' }],
      ndots: 3,
      noTldQuery: false,
    },
    {
      name: 'ndots read as atoi: no digits is 0',
      options: [{ name: 'ndots', value: 'abc' }],
      ndots: 0,
      noTldQuery: false,
    },
    { name: 'bare ndots is not an ndots option', options: [{ name: 'ndots' }], ndots: 1, noTldQuery: false },
    {
      name: 'no-tld-query with other options',
      options: [{ name: 'edns0' }, { name: 'no-tld-query' }, { name: 'ndots', value: '2' }],
      ndots: 2,
      noTldQuery: true,
    },
  ])('$name', ({ options, ndots, noTldQuery }) => {
    expect(resolverOptions({ options })).toEqual({ ndots, noTldQuery });
  });
});

// ---- the search walk --------------------------------------------------------------------------

function resp(rcode: Rcode, answer: DnsRecord[] = []): DnsResponse {
  return { rcode, authoritative: true, answer, authority: [], additional: [] };
}
const NODATA = resp('NOERROR');
const REFUSED = resp('REFUSED');
const SERVFAIL = resp('SERVFAIL');
const NOTIMP = resp('NOTIMP');

type RRType = Exclude<RecordType, 'ANY'>;
/** The fake cluster DNS: names that exist (other types get NODATA); everything else is NXDOMAIN. */
const ZONE: Readonly<Record<string, Partial<Record<RRType, string[]>>>> = {
  'web.default.svc.cluster.local.': { A: ['10.96.0.20'] },
  'web.shop.svc.cluster.local.': { A: ['10.96.0.30'] },
  'kubernetes.default.svc.cluster.local.': { A: ['10.96.0.1'] },
  '_http._tcp.web.default.svc.cluster.local.': { SRV: ['0 100 80 web.default.svc.cluster.local.'] },
  'google.com.': { A: ['142.250.74.14'], AAAA: ['2a00:1450:4001:80b::200e'] },
  'example.com.': { A: ['93.184.215.14'] },
  'db.corp.example.': { A: ['10.1.0.5'] },
  'alias.example.': { CNAME: ['target.example.'] },
};

function fakeQuery(overrides: Readonly<Record<string, DnsResponse>> = {}) {
  return (fqdn: string, type: RecordType): DnsResponse => {
    const o = overrides[`${fqdn} ${type}`] ?? overrides[`${fqdn} *`];
    if (o) return o;
    const entry = ZONE[fqdn];
    if (!entry) return resp('NXDOMAIN');
    const rrType = type as RRType;
    const data = entry[rrType];
    if (data)
      return resp(
        'NOERROR',
        data.map((d) => ({ name: fqdn, type: rrType, ttl: 30, data: d })),
      );
    if (entry.CNAME) return resp('NOERROR', [{ name: fqdn, type: 'CNAME', ttl: 30, data: entry.CNAME[0]! }]);
    return NODATA;
  };
}

const DEFAULT_POD = resolvConf(aPod(), ENV);
const SHOP_POD = resolvConf(pod({ metadata: { namespace: 'shop' } }), ENV);
const withOptions = (...options: { name: string; value?: string }[]): ResolvConf =>
  resolvConf(pod({ spec: { dnsConfig: { options } } }), ENV);
const NDOTS1 = withOptions({ name: 'ndots', value: '1' });
const NDOTS0 = withOptions({ name: 'ndots', value: '0' });
const NDOTS20 = withOptions({ name: 'ndots', value: '20' });
const NO_TLD = withOptions({ name: 'no-tld-query' });
const HOST_NET = resolvConf(pod({ spec: { hostNetwork: true } }), ENV);
const ROOT_LISTED = resolvConf(
  pod({
    spec: {
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example', '.', 'other.example'] },
    },
  }),
  ENV,
);
const DOTTED_SEARCH = resolvConf(pod({ spec: { dnsConfig: { searches: ['corp.example.'] } } }), ENV);
const LONG = [1, 2, 3, 4].map((i) => String(i).repeat(60)).join('.'); // 243 characters, 3 dots

const SUFFIXES = ['default.svc.cluster.local.', 'svc.cluster.local.', 'cluster.local.'];
/** `<name>.<suffix> <type> NXDOMAIN 0` for each default-pod suffix. */
const nx3 = (name: string, type: RecordType = 'A'): string[] =>
  SUFFIXES.map((s) => `${name}.${s} ${type} NXDOMAIN 0`);
const nx3pair = (name: string): string[] =>
  SUFFIXES.flatMap((s) => [`${name}.${s} A NXDOMAIN 0`, `${name}.${s} AAAA NXDOMAIN 0`]);

interface WalkRow {
  name: string;
  conf: ResolvConf;
  q: string;
  type?: RecordType;
  family?: 'single' | 'a+aaaa';
  overrides?: Record<string, DnsResponse>;
  attempts: string[];
  rcode: string;
  sent: number;
  resolved?: string;
  answer?: string[];
  hErrno?: HErrno;
}

describe('lookup: the glibc search walk', () => {
  it.each<WalkRow>([
    {
      name: 'google.com from a pod (ndots:5): three suffixes, then as-is',
      conf: DEFAULT_POD,
      q: 'google.com',
      attempts: [...nx3('google.com'), 'google.com. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 4,
      resolved: 'google.com.',
      answer: ['142.250.74.14'],
    },
    {
      name: 'google.com through getaddrinfo: A and AAAA per step, 8 queries',
      conf: DEFAULT_POD,
      q: 'google.com',
      family: 'a+aaaa',
      attempts: [...nx3pair('google.com'), 'google.com. A NOERROR 1', 'google.com. AAAA NOERROR 1'],
      rcode: 'NOERROR',
      sent: 8,
      resolved: 'google.com.',
      answer: ['142.250.74.14', '2a00:1450:4001:80b::200e'],
    },
    {
      name: 'example.com through getaddrinfo: 8 queries, an A answer is enough',
      conf: DEFAULT_POD,
      q: 'example.com',
      family: 'a+aaaa',
      attempts: [...nx3pair('example.com'), 'example.com. A NOERROR 1', 'example.com. AAAA NOERROR 0'],
      rcode: 'NOERROR',
      sent: 8,
      resolved: 'example.com.',
      answer: ['93.184.215.14'],
    },
    {
      name: 'web: found under the pod namespace first',
      conf: DEFAULT_POD,
      q: 'web',
      attempts: ['web.default.svc.cluster.local. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'web.default.svc.cluster.local.',
      answer: ['10.96.0.20'],
    },
    {
      name: 'web through getaddrinfo: the AAAA NODATA does not matter',
      conf: DEFAULT_POD,
      q: 'web',
      family: 'a+aaaa',
      attempts: [
        'web.default.svc.cluster.local. A NOERROR 1',
        'web.default.svc.cluster.local. AAAA NOERROR 0',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.default.svc.cluster.local.',
      answer: ['10.96.0.20'],
    },
    {
      name: 'a+aaaa ignores the type argument',
      conf: DEFAULT_POD,
      q: 'web',
      type: 'MX',
      family: 'a+aaaa',
      attempts: [
        'web.default.svc.cluster.local. A NOERROR 1',
        'web.default.svc.cluster.local. AAAA NOERROR 0',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.default.svc.cluster.local.',
    },
    {
      name: 'web from namespace shop finds its own service',
      conf: SHOP_POD,
      q: 'web',
      attempts: ['web.shop.svc.cluster.local. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'web.shop.svc.cluster.local.',
      answer: ['10.96.0.30'],
    },
    {
      name: 'web.shop: the namespace suffix misses, svc.<zone> hits',
      conf: DEFAULT_POD,
      q: 'web.shop',
      attempts: [
        'web.shop.default.svc.cluster.local. A NXDOMAIN 0',
        'web.shop.svc.cluster.local. A NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.shop.svc.cluster.local.',
    },
    {
      name: 'kubernetes.default.svc.cluster.local (4 dots < 5): three misses, then as-is',
      conf: DEFAULT_POD,
      q: 'kubernetes.default.svc.cluster.local',
      attempts: [
        ...nx3('kubernetes.default.svc.cluster.local'),
        'kubernetes.default.svc.cluster.local. A NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 4,
      resolved: 'kubernetes.default.svc.cluster.local.',
    },
    {
      name: 'an absolute service name: one query',
      conf: DEFAULT_POD,
      q: 'kubernetes.default.svc.cluster.local.',
      attempts: ['kubernetes.default.svc.cluster.local. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'kubernetes.default.svc.cluster.local.',
      answer: ['10.96.0.1'],
    },
    {
      name: 'google.com. (absolute): one query',
      conf: DEFAULT_POD,
      q: 'google.com.',
      attempts: ['google.com. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'google.com.',
    },
    {
      name: 'an absolute name that does not exist is never searched',
      conf: DEFAULT_POD,
      q: 'nope.example.',
      attempts: ['nope.example. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 1,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'an absolute name answering REFUSED returns REFUSED',
      conf: DEFAULT_POD,
      q: 'google.com.',
      overrides: { 'google.com. *': REFUSED },
      attempts: ['google.com. A REFUSED 0'],
      rcode: 'REFUSED',
      sent: 1,
      hErrno: 'NO_RECOVERY',
    },
    {
      name: 'an absolute name through getaddrinfo: two queries',
      conf: DEFAULT_POD,
      q: 'web.default.svc.cluster.local.',
      family: 'a+aaaa',
      attempts: [
        'web.default.svc.cluster.local. A NOERROR 1',
        'web.default.svc.cluster.local. AAAA NOERROR 0',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.default.svc.cluster.local.',
    },
    {
      name: '5 dots (>= ndots): as-is first, then the suffixes; the as-is rcode is returned',
      conf: DEFAULT_POD,
      q: 'a.b.c.d.e.f',
      attempts: ['a.b.c.d.e.f. A NXDOMAIN 0', ...nx3('a.b.c.d.e.f')],
      rcode: 'NXDOMAIN',
      sent: 4,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: '5 dots: a REFUSED as-is try does not stop the search, and is what is returned',
      conf: DEFAULT_POD,
      q: 'a.b.c.d.e.f',
      overrides: { 'a.b.c.d.e.f. *': REFUSED },
      attempts: ['a.b.c.d.e.f. A REFUSED 0', ...nx3('a.b.c.d.e.f')],
      rcode: 'REFUSED',
      sent: 4,
      hErrno: 'NO_RECOVERY',
    },
    {
      name: '5 dots: found under the second suffix after the as-is miss',
      conf: DEFAULT_POD,
      q: 'a.b.c.d.e.f',
      overrides: {
        'a.b.c.d.e.f.svc.cluster.local. A': resp('NOERROR', [
          { name: 'x.', type: 'A', ttl: 5, data: '10.0.0.9' },
        ]),
      },
      attempts: [
        'a.b.c.d.e.f. A NXDOMAIN 0',
        'a.b.c.d.e.f.default.svc.cluster.local. A NXDOMAIN 0',
        'a.b.c.d.e.f.svc.cluster.local. A NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 3,
      resolved: 'a.b.c.d.e.f.svc.cluster.local.',
    },
    {
      name: 'ndots:1 pod: google.com goes out as-is first',
      conf: NDOTS1,
      q: 'google.com',
      attempts: ['google.com. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'google.com.',
    },
    {
      name: 'ndots:1 pod: a single label is still searched first',
      conf: NDOTS1,
      q: 'web',
      attempts: ['web.default.svc.cluster.local. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'web.default.svc.cluster.local.',
    },
    {
      name: 'ndots:1 pod: web.shop tries as-is, then the suffixes',
      conf: NDOTS1,
      q: 'web.shop',
      attempts: [
        'web.shop. A NXDOMAIN 0',
        'web.shop.default.svc.cluster.local. A NXDOMAIN 0',
        'web.shop.svc.cluster.local. A NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 3,
      resolved: 'web.shop.svc.cluster.local.',
    },
    {
      name: 'ndots:1 pod: a NODATA as-is answer is what is returned after the search fails',
      conf: NDOTS1,
      q: 'example.com',
      type: 'AAAA',
      attempts: ['example.com. AAAA NOERROR 0', ...nx3('example.com', 'AAAA')],
      rcode: 'NOERROR',
      sent: 4,
      hErrno: 'NO_DATA',
    },
    {
      name: 'ndots:0: even a single label goes out as-is first',
      conf: NDOTS0,
      q: 'web',
      attempts: ['web. A NXDOMAIN 0', 'web.default.svc.cluster.local. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.default.svc.cluster.local.',
    },
    {
      name: 'ndots:20 is read as 15: 5 dots are searched first',
      conf: NDOTS20,
      q: 'a.b.c.d.e.f',
      attempts: [...nx3('a.b.c.d.e.f'), 'a.b.c.d.e.f. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 4,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'REFUSED on a search step ends the search, the as-is try still runs and answers',
      conf: DEFAULT_POD,
      q: 'google.com',
      overrides: { 'google.com.default.svc.cluster.local. *': REFUSED },
      attempts: ['google.com.default.svc.cluster.local. A REFUSED 0', 'google.com. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'google.com.',
    },
    {
      name: 'REFUSED on a search step, as-is NXDOMAIN: the last rcode is returned',
      conf: DEFAULT_POD,
      q: 'nope.example',
      overrides: { 'nope.example.default.svc.cluster.local. *': REFUSED },
      attempts: ['nope.example.default.svc.cluster.local. A REFUSED 0', 'nope.example. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 2,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'REFUSED on the second search step skips the third',
      conf: DEFAULT_POD,
      q: 'db',
      overrides: { 'db.svc.cluster.local. *': REFUSED },
      attempts: [
        'db.default.svc.cluster.local. A NXDOMAIN 0',
        'db.svc.cluster.local. A REFUSED 0',
        'db. A NXDOMAIN 0',
      ],
      rcode: 'NXDOMAIN',
      sent: 3,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'REFUSED on the final as-is try is returned',
      conf: DEFAULT_POD,
      q: 'nope.example',
      overrides: { 'nope.example. *': REFUSED },
      attempts: [...nx3('nope.example'), 'nope.example. A REFUSED 0'],
      rcode: 'REFUSED',
      sent: 4,
      hErrno: 'NO_RECOVERY',
    },
    {
      name: 'NOTIMP on a search step ends the search like REFUSED',
      conf: DEFAULT_POD,
      q: 'web',
      overrides: { 'web.default.svc.cluster.local. *': NOTIMP },
      attempts: ['web.default.svc.cluster.local. A NOTIMP 0', 'web. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 2,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'SERVFAIL on a search step goes on to the next',
      conf: DEFAULT_POD,
      q: 'web.shop',
      overrides: { 'web.shop.default.svc.cluster.local. *': SERVFAIL },
      attempts: [
        'web.shop.default.svc.cluster.local. A SERVFAIL 0',
        'web.shop.svc.cluster.local. A NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'web.shop.svc.cluster.local.',
    },
    {
      name: 'a SERVFAIL seen while searching is returned over a later NXDOMAIN',
      conf: DEFAULT_POD,
      q: 'nope',
      overrides: { 'nope.default.svc.cluster.local. *': SERVFAIL },
      attempts: [
        'nope.default.svc.cluster.local. A SERVFAIL 0',
        'nope.svc.cluster.local. A NXDOMAIN 0',
        'nope.cluster.local. A NXDOMAIN 0',
        'nope. A NXDOMAIN 0',
      ],
      rcode: 'SERVFAIL',
      sent: 4,
      hErrno: 'TRY_AGAIN',
    },
    {
      name: 'a NODATA seen while searching is returned over a later NXDOMAIN',
      conf: DEFAULT_POD,
      q: 'nope',
      overrides: { 'nope.svc.cluster.local. A': NODATA },
      attempts: [
        'nope.default.svc.cluster.local. A NXDOMAIN 0',
        'nope.svc.cluster.local. A NOERROR 0',
        'nope.cluster.local. A NXDOMAIN 0',
        'nope. A NXDOMAIN 0',
      ],
      rcode: 'NOERROR',
      sent: 4,
      hErrno: 'NO_DATA',
    },
    {
      name: 'NODATA wins over SERVFAIL',
      conf: DEFAULT_POD,
      q: 'nope',
      overrides: { 'nope.default.svc.cluster.local. *': SERVFAIL, 'nope.svc.cluster.local. A': NODATA },
      attempts: [
        'nope.default.svc.cluster.local. A SERVFAIL 0',
        'nope.svc.cluster.local. A NOERROR 0',
        'nope.cluster.local. A NXDOMAIN 0',
        'nope. A NXDOMAIN 0',
      ],
      rcode: 'NOERROR',
      sent: 4,
      hErrno: 'NO_DATA',
    },
    {
      name: 'a+aaaa: A NODATA with AAAA SERVFAIL ends the search (only an A SERVFAIL goes on)',
      conf: DEFAULT_POD,
      q: 'nope',
      family: 'a+aaaa',
      overrides: {
        'nope.default.svc.cluster.local. A': NODATA,
        'nope.default.svc.cluster.local. AAAA': SERVFAIL,
      },
      attempts: [
        'nope.default.svc.cluster.local. A NOERROR 0',
        'nope.default.svc.cluster.local. AAAA SERVFAIL 0',
        'nope. A NXDOMAIN 0',
        'nope. AAAA NXDOMAIN 0',
      ],
      rcode: 'NXDOMAIN',
      sent: 4,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'a+aaaa: A SERVFAIL with AAAA NODATA goes on and is reported as SERVFAIL',
      conf: DEFAULT_POD,
      q: 'nope',
      family: 'a+aaaa',
      overrides: {
        'nope.default.svc.cluster.local. A': SERVFAIL,
        'nope.default.svc.cluster.local. AAAA': NODATA,
      },
      attempts: [
        'nope.default.svc.cluster.local. A SERVFAIL 0',
        'nope.default.svc.cluster.local. AAAA NOERROR 0',
        'nope.svc.cluster.local. A NXDOMAIN 0',
        'nope.svc.cluster.local. AAAA NXDOMAIN 0',
        'nope.cluster.local. A NXDOMAIN 0',
        'nope.cluster.local. AAAA NXDOMAIN 0',
        'nope. A NXDOMAIN 0',
        'nope. AAAA NXDOMAIN 0',
      ],
      rcode: 'SERVFAIL',
      sent: 8,
      hErrno: 'TRY_AGAIN',
    },
    {
      name: 'a+aaaa: an AAAA answer succeeds even when A says NXDOMAIN',
      conf: DEFAULT_POD,
      q: 'v6only',
      family: 'a+aaaa',
      overrides: {
        'v6only.default.svc.cluster.local. AAAA': resp('NOERROR', [
          { name: 'v6only.default.svc.cluster.local.', type: 'AAAA', ttl: 30, data: 'fd00::6' },
        ]),
      },
      attempts: [
        'v6only.default.svc.cluster.local. A NXDOMAIN 0',
        'v6only.default.svc.cluster.local. AAAA NOERROR 1',
      ],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'v6only.default.svc.cluster.local.',
      answer: ['fd00::6'],
    },
    {
      name: 'options no-tld-query: a single label is never sent bare',
      conf: NO_TLD,
      q: 'nope',
      attempts: nx3('nope'),
      rcode: 'NXDOMAIN',
      sent: 3,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'options no-tld-query: a dotted name is still tried as-is',
      conf: NO_TLD,
      q: 'nope.example',
      attempts: [...nx3('nope.example'), 'nope.example. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 4,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'a `.` search entry tries the bare name in place, and not again at the end',
      conf: ROOT_LISTED,
      q: 'nope',
      attempts: ['nope.corp.example. A NXDOMAIN 0', 'nope. A NXDOMAIN 0', 'nope.other.example. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 3,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'a `.` search entry can answer',
      conf: ROOT_LISTED,
      q: 'intranet',
      overrides: {
        'intranet. A': resp('NOERROR', [{ name: 'intranet.', type: 'A', ttl: 60, data: '10.9.9.9' }]),
      },
      attempts: ['intranet.corp.example. A NXDOMAIN 0', 'intranet. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 2,
      resolved: 'intranet.',
      answer: ['10.9.9.9'],
    },
    {
      name: 'a search domain written with a trailing dot',
      conf: DOTTED_SEARCH,
      q: 'db',
      attempts: [...nx3('db'), 'db.corp.example. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 4,
      resolved: 'db.corp.example.',
      answer: ['10.1.0.5'],
    },
    {
      name: 'a hostNetwork pod (no search list): the bare name only',
      conf: HOST_NET,
      q: 'web',
      attempts: ['web. A NXDOMAIN 0'],
      rcode: 'NXDOMAIN',
      sent: 1,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'SRV by its service name, searched',
      conf: DEFAULT_POD,
      q: '_http._tcp.web',
      type: 'SRV',
      attempts: ['_http._tcp.web.default.svc.cluster.local. SRV NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: '_http._tcp.web.default.svc.cluster.local.',
      answer: ['0 100 80 web.default.svc.cluster.local.'],
    },
    {
      name: 'a CNAME-only answer counts as an answer',
      conf: DEFAULT_POD,
      q: 'alias.example.',
      attempts: ['alias.example. A NOERROR 1'],
      rcode: 'NOERROR',
      sent: 1,
      resolved: 'alias.example.',
      answer: ['target.example.'],
    },
    {
      name: 'a candidate over 255 octets is not sent and ends the search; as-is follows',
      conf: DEFAULT_POD,
      q: LONG,
      attempts: [`${LONG}.default.svc.cluster.local. A NOT_SENT 0`, `${LONG}. A NXDOMAIN 0`],
      rcode: 'NXDOMAIN',
      sent: 1,
      hErrno: 'HOST_NOT_FOUND',
    },
    {
      name: 'a label over 63 characters: nothing is sent',
      conf: DEFAULT_POD,
      q: 'x'.repeat(64),
      attempts: [
        `${'x'.repeat(64)}.default.svc.cluster.local. A NOT_SENT 0`,
        `${'x'.repeat(64)}. A NOT_SENT 0`,
      ],
      rcode: 'NOT_SENT',
      sent: 0,
      hErrno: 'NO_RECOVERY',
    },
  ])('$name', (row) => {
    const r: LookupResult = lookup(row.conf, row.q, row.type ?? 'A', fakeQuery(row.overrides), {
      family: row.family ?? 'single',
    });
    expect(r.attempts.map((a) => `${a.name} ${a.type} ${a.rcode} ${a.answerCount}`)).toEqual(row.attempts);
    expect({ rcode: r.rcode, sent: r.queriesSent, resolved: r.resolvedName, hErrno: r.hErrno }).toEqual({
      rcode: row.rcode,
      sent: row.sent,
      resolved: row.resolved,
      hErrno: row.hErrno,
    });
    if (row.answer) expect(r.answer.map((a) => a.data)).toEqual(row.answer);
    if (row.rcode !== 'NOERROR' || row.hErrno) expect(r.answer).toEqual([]);
  });

  it('defaults to one query per step', () => {
    const r = lookup(DEFAULT_POD, 'google.com', 'A', fakeQuery());
    expect(r.queriesSent).toBe(4);
  });
});
