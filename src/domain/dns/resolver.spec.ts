import { describe, expect, it } from '@jest/globals';
import {
  aNamespace,
  aNode,
  aPod,
  aService,
  anEndpointSlice,
  type DeepPartial,
} from '../../../test/factories/objects.js';
import { podToEndpoint } from '../endpoints/slice-controller.js';
import type { Endpoint, EndpointPort, EndpointSlice, KubeObject, Pod, Service } from '../model/types.js';
import { ClusterState, type ClusterSnapshot } from '../state/cluster-state.js';
import { resolve, type QueryType } from './resolver.js';
import { formatRecord, type DnsResponse, type DnsSettings, type Rcode } from './types.js';

// ---- the cluster ------------------------------------------------------------------------------------

const SETTINGS: DnsSettings = { clusterDomain: 'cluster.local', ttl: 30, serial: 1700000000 };

function svc(namespace: string, name: string, spec: DeepPartial<Service['spec']>): Service {
  return aService({ metadata: { name, namespace }, spec });
}

function headless(namespace: string, name: string, extra: DeepPartial<Service['spec']> = {}): Service {
  return svc(namespace, name, { clusterIP: 'None', clusterIPs: ['None'], ...extra });
}

function externalName(name: string, target: string): Service {
  return svc('shop', name, { type: 'ExternalName', externalName: target });
}

const ready = (address: string, extra: Partial<Endpoint> = {}): Endpoint => ({
  addresses: [address],
  conditions: { ready: true },
  ...extra,
});

function slice(
  namespace: string,
  name: string,
  service: string,
  endpoints: Endpoint[],
  ports: EndpointPort[] | undefined,
  addressType = 'IPv4',
): EndpointSlice {
  const s = anEndpointSlice({
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType,
    endpoints,
  });
  return ports ? { ...s, ports } : { ...s, ports: undefined };
}

const http: EndpointPort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const postgres: EndpointPort[] = [{ name: 'postgres', port: 5432, protocol: 'TCP' }];

function pod(name: string, ip: string, readyPod: boolean, spec: DeepPartial<Pod['spec']> = {}): Pod {
  return aPod({
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', ...spec },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: readyPod ? 'True' : 'False' }],
    },
  });
}

// default: a StatefulSet-style pod with hostname/subdomain under a headless service, and
// publishNotReadyAddresses. Endpoints are made the way the slice controller makes them.
const nginx = headless('default', 'nginx', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const web0 = pod('web-0', '10.244.1.40', true, { hostname: 'web-0', subdomain: 'nginx' });
const web1 = pod('web-1', '10.244.1.41', true, { hostname: 'web-1', subdomain: 'other' });
const late = headless('default', 'late', { publishNotReadyAddresses: true });
const strict = headless('default', 'strict');
const late0 = pod('late-0', '10.244.1.50', false);
const node = aNode();

const OBJECTS: KubeObject[] = [
  aNamespace({ metadata: { name: 'default' } }),
  aNamespace({ metadata: { name: 'shop' } }),
  aNamespace({ metadata: { name: 'kube-system' } }),
  aNamespace({ metadata: { name: 'empty' } }),
  node,
  svc('kube-system', 'kube-dns', {
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  }),
  // shop: ClusterIP services
  svc('shop', 'web', {
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    ports: [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'https', port: 443, protocol: 'TCP' },
    ],
  }),
  slice(
    'shop',
    'web-1',
    'web',
    [ready('10.244.1.5'), ready('10.244.1.6')],
    [
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'https', port: 8443, protocol: 'TCP' },
    ],
  ),
  svc('shop', 'web-alias', { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] }),
  slice('shop', 'web-alias-1', 'web-alias', [ready('10.244.1.5')], http),
  svc('shop', 'plain', {
    clusterIP: '10.96.0.22',
    clusterIPs: ['10.96.0.22'],
    ports: [{ port: 8080, protocol: 'TCP' }],
  }),
  svc('shop', 'portless', { clusterIP: '10.96.0.23', clusterIPs: ['10.96.0.23'], ports: [] }),
  svc('shop', 'v6only', {
    clusterIP: 'fd00:10:96::14',
    clusterIPs: ['fd00:10:96::14'],
    ipFamilies: ['IPv6'],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  }),
  svc('shop', 'dual', {
    clusterIP: '10.96.0.30',
    clusterIPs: ['10.96.0.30', 'fd00:10:96::1e'],
    ipFamilies: ['IPv4', 'IPv6'],
    ipFamilyPolicy: 'RequireDualStack',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  }),
  // shop: headless services
  headless('shop', 'db', { ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] }),
  slice(
    'shop',
    'db-v4',
    'db',
    [
      ready('10.244.1.10', { hostname: 'db-0' }),
      ready('10.244.2.11', { hostname: 'db-1' }),
      { addresses: ['10.244.3.12'], hostname: 'db-2', conditions: { ready: false, serving: false } },
      { addresses: ['10.244.1.13'] },
    ],
    postgres,
  ),
  slice('shop', 'db-v6', 'db', [ready('fd00:10:244::a')], postgres, 'IPv6'),
  headless('shop', 'pair'),
  slice(
    'shop',
    'pair-1',
    'pair',
    [
      ready('10.244.1.20', { hostname: 'dup' }),
      ready('10.244.1.21', { hostname: 'dup' }),
      ready('10.244.1.22'),
    ],
    http,
  ),
  slice('shop', 'pair-2', 'pair', [ready('10.244.1.22')], http),
  headless('shop', 'trio'),
  slice(
    'shop',
    'trio-1',
    'trio',
    [ready('10.244.1.60'), ready('10.244.1.61'), ready('10.244.1.62')],
    [
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'https', port: 8443, protocol: 'TCP' },
    ],
  ),
  headless('shop', 'pending'),
  slice('shop', 'pending-1', 'pending', [{ addresses: ['10.244.1.70'], conditions: { ready: false } }], http),
  headless('shop', 'lonely'),
  headless('shop', 'bare', { ports: [] }),
  slice('shop', 'bare-1', 'bare', [ready('10.244.1.30')], undefined),
  // shop: ExternalName services
  externalName('ext', 'www.example.com'),
  externalName('ext-in', 'web.shop.svc.cluster.local'),
  externalName('ext-chain', 'ext-in.shop.svc.cluster.local'),
  externalName('ext-missing', 'nope.shop.svc.cluster.local'),
  externalName('ext-loop-a', 'ext-loop-b.shop.svc.cluster.local'),
  externalName('ext-loop-b', 'ext-loop-a.shop.svc.cluster.local'),
  externalName('ext-ip', '1.2.3.4'),
  // default
  nginx,
  web0,
  web1,
  slice(
    'default',
    'nginx-1',
    'nginx',
    [podToEndpoint(web0, nginx, node, '10.244.1.40'), podToEndpoint(web1, nginx, node, '10.244.1.41')],
    http,
  ),
  late,
  strict,
  late0,
  slice('default', 'late-1', 'late', [podToEndpoint(late0, late, node, '10.244.1.50')], http),
  slice('default', 'strict-1', 'strict', [podToEndpoint(late0, strict, node, '10.244.1.50')], http),
];

function clusterWith(objects: readonly KubeObject[]): ClusterState {
  const state = new ClusterState();
  state.applyChanges(
    objects.map((object) => ({ type: 'ADDED' as const, object })),
    1,
  );
  return state;
}

const cluster = clusterWith(OBJECTS);

// ---- expectations as zone-file lines ------------------------------------------------------------------

/** `name ttl IN type data...` written with spaces, as the tab-separated line formatRecord gives. */
function z(line: string): string {
  const [name, ttl, cls, type, ...data] = line.split(/\s+/);
  return [name, ttl, cls, type, data.join(' ')].join('\t');
}

const SOA = z(
  'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30',
);
const REVERSE_SOA = z(
  'in-addr.arpa. 30 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1700000000 7200 1800 86400 30',
);

interface Outcome {
  rcode: Rcode;
  aa: boolean;
  answer: string[];
  authority: string[];
  additional: string[];
}

function outcome(r: DnsResponse): Outcome {
  return {
    rcode: r.rcode,
    aa: r.authoritative,
    answer: r.answer.map(formatRecord),
    authority: r.authority.map(formatRecord),
    additional: r.additional.map(formatRecord),
  };
}

const ok = (answer: string[], additional: string[] = []): Outcome => ({
  rcode: 'NOERROR',
  aa: true,
  answer: answer.map(z),
  authority: [],
  additional: additional.map(z),
});
const nodata = (soa = SOA): Outcome => ({
  rcode: 'NOERROR',
  aa: true,
  answer: [],
  authority: [soa],
  additional: [],
});
const nxdomain = (soa = SOA): Outcome => ({
  rcode: 'NXDOMAIN',
  aa: true,
  answer: [],
  authority: [soa],
  additional: [],
});
const refused: Outcome = { rcode: 'REFUSED', aa: false, answer: [], authority: [], additional: [] };

interface Row {
  name: string;
  q: string;
  type: QueryType;
  want: Outcome;
}

function check(snap: ClusterSnapshot, { q, type, want }: Row, settings = SETTINGS): void {
  expect(outcome(resolve(snap, q, type, settings))).toEqual(want);
}

const V6_SVC_REV = '4.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.';
const V6_EP_REV = 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa.';

// ---- the cases ----------------------------------------------------------------------------------------

describe('resolve: ClusterIP services', () => {
  it.each<Row>([
    {
      name: 'A of an IPv4 service',
      q: 'web.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['web.shop.svc.cluster.local. 30 IN A 10.96.0.20']),
    },
    {
      name: 'AAAA of an IPv4-only service is NODATA',
      q: 'web.shop.svc.cluster.local.',
      type: 'AAAA',
      want: nodata(),
    },
    {
      name: 'AAAA of an IPv6 service',
      q: 'v6only.shop.svc.cluster.local.',
      type: 'AAAA',
      want: ok(['v6only.shop.svc.cluster.local. 30 IN AAAA fd00:10:96::14']),
    },
    {
      name: 'A of an IPv6-only service is NODATA',
      q: 'v6only.shop.svc.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'A of a dual-stack service: the IPv4 ClusterIP',
      q: 'dual.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['dual.shop.svc.cluster.local. 30 IN A 10.96.0.30']),
    },
    {
      name: 'AAAA of a dual-stack service: the IPv6 ClusterIP',
      q: 'dual.shop.svc.cluster.local.',
      type: 'AAAA',
      want: ok(['dual.shop.svc.cluster.local. 30 IN AAAA fd00:10:96::1e']),
    },
    {
      name: 'A of a service with no endpoints still gives its ClusterIP',
      q: 'plain.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['plain.shop.svc.cluster.local. 30 IN A 10.96.0.22']),
    },
    {
      name: 'A of a service without ports',
      q: 'portless.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['portless.shop.svc.cluster.local. 30 IN A 10.96.0.23']),
    },
    {
      name: 'A of kube-dns',
      q: 'kube-dns.kube-system.svc.cluster.local.',
      type: 'A',
      want: ok(['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10']),
    },
    {
      name: 'an endpoint label under a ClusterIP service answers the endpoint address',
      q: '10-244-1-5.web.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['10-244-1-5.web.shop.svc.cluster.local. 30 IN A 10.244.1.5']),
    },
    {
      name: 'an unknown endpoint label under a ClusterIP service is NXDOMAIN',
      q: 'bogus.web.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'A under _port._proto answers the ClusterIP under that name',
      q: '_http._tcp.web.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['_http._tcp.web.shop.svc.cluster.local. 30 IN A 10.96.0.20']),
    },
    {
      name: 'CNAME of a ClusterIP service is NODATA',
      q: 'web.shop.svc.cluster.local.',
      type: 'CNAME',
      want: nodata(),
    },
    {
      name: 'the query name without its trailing dot',
      q: 'web.shop.svc.cluster.local',
      type: 'A',
      want: ok(['web.shop.svc.cluster.local. 30 IN A 10.96.0.20']),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: headless services', () => {
  it.each<Row>([
    {
      name: 'A: every ready IPv4 endpoint, not-ready left out, absent conditions ready',
      q: 'db.shop.svc.cluster.local.',
      type: 'A',
      want: ok([
        'db.shop.svc.cluster.local. 30 IN A 10.244.1.10',
        'db.shop.svc.cluster.local. 30 IN A 10.244.1.13',
        'db.shop.svc.cluster.local. 30 IN A 10.244.2.11',
      ]),
    },
    {
      name: 'AAAA: the IPv6 slice',
      q: 'db.shop.svc.cluster.local.',
      type: 'AAAA',
      want: ok(['db.shop.svc.cluster.local. 30 IN AAAA fd00:10:244::a']),
    },
    {
      name: 'an endpoint by hostname',
      q: 'db-0.db.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['db-0.db.shop.svc.cluster.local. 30 IN A 10.244.1.10']),
    },
    {
      name: 'an endpoint without hostname by its dashed address',
      q: '10-244-1-13.db.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['10-244-1-13.db.shop.svc.cluster.local. 30 IN A 10.244.1.13']),
    },
    {
      name: 'an IPv6 endpoint by its dashed address (not expanded)',
      q: 'fd00-10-244--a.db.shop.svc.cluster.local.',
      type: 'AAAA',
      want: ok(['fd00-10-244--a.db.shop.svc.cluster.local. 30 IN AAAA fd00:10:244::a']),
    },
    {
      name: 'a not-ready endpoint by hostname is NXDOMAIN',
      q: 'db-2.db.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'an endpoint that has a hostname is not found by its dashed address',
      q: '10-244-1-10.db.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'AAAA of an IPv4 endpoint is NODATA',
      q: 'db-0.db.shop.svc.cluster.local.',
      type: 'AAAA',
      want: nodata(),
    },
    {
      name: 'two endpoints sharing a hostname give two records; an address in two slices gives one',
      q: 'pair.shop.svc.cluster.local.',
      type: 'A',
      want: ok([
        'pair.shop.svc.cluster.local. 30 IN A 10.244.1.20',
        'pair.shop.svc.cluster.local. 30 IN A 10.244.1.21',
        'pair.shop.svc.cluster.local. 30 IN A 10.244.1.22',
      ]),
    },
    {
      name: 'a shared hostname answers both addresses',
      q: 'dup.pair.shop.svc.cluster.local.',
      type: 'A',
      want: ok([
        'dup.pair.shop.svc.cluster.local. 30 IN A 10.244.1.20',
        'dup.pair.shop.svc.cluster.local. 30 IN A 10.244.1.21',
      ]),
    },
    {
      name: 'no ready endpoints is NXDOMAIN',
      q: 'pending.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'no EndpointSlices at all is NXDOMAIN',
      q: 'lonely.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'publishNotReadyAddresses: a not-ready pod is published',
      q: 'late.default.svc.cluster.local.',
      type: 'A',
      want: ok(['late.default.svc.cluster.local. 30 IN A 10.244.1.50']),
    },
    {
      name: 'without publishNotReadyAddresses the same pod is not',
      q: 'strict.default.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'hostname.subdomain of a pod whose subdomain names the headless service',
      q: 'web-0.nginx.default.svc.cluster.local.',
      type: 'A',
      want: ok(['web-0.nginx.default.svc.cluster.local. 30 IN A 10.244.1.40']),
    },
    {
      name: 'a pod whose subdomain names another service has no hostname record',
      q: 'web-1.nginx.default.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'that pod is found by its dashed address instead',
      q: '10-244-1-41.nginx.default.svc.cluster.local.',
      type: 'A',
      want: ok(['10-244-1-41.nginx.default.svc.cluster.local. 30 IN A 10.244.1.41']),
    },
    {
      name: 'a headless service whose slice has no ports still answers A',
      q: 'bare.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['bare.shop.svc.cluster.local. 30 IN A 10.244.1.30']),
    },
    {
      name: 'an endpoint of a portless slice',
      q: '10-244-1-30.bare.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['10-244-1-30.bare.shop.svc.cluster.local. 30 IN A 10.244.1.30']),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: ExternalName', () => {
  it.each<Row>([
    {
      name: 'A: the CNAME to an outside name alone, NOERROR',
      q: 'ext.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['ext.shop.svc.cluster.local. 30 IN CNAME www.example.com.']),
    },
    {
      name: 'AAAA: the same CNAME',
      q: 'ext.shop.svc.cluster.local.',
      type: 'AAAA',
      want: ok(['ext.shop.svc.cluster.local. 30 IN CNAME www.example.com.']),
    },
    {
      name: 'CNAME query',
      q: 'ext.shop.svc.cluster.local.',
      type: 'CNAME',
      want: ok(['ext.shop.svc.cluster.local. 30 IN CNAME www.example.com.']),
    },
    {
      name: 'a target inside the zone is followed',
      q: 'ext-in.shop.svc.cluster.local.',
      type: 'A',
      want: ok([
        'ext-in.shop.svc.cluster.local. 30 IN CNAME web.shop.svc.cluster.local.',
        'web.shop.svc.cluster.local. 30 IN A 10.96.0.20',
      ]),
    },
    {
      name: 'a followed target without records of the type drops the CNAME too',
      q: 'ext-in.shop.svc.cluster.local.',
      type: 'AAAA',
      want: nodata(),
    },
    {
      name: 'a chain of two CNAMEs',
      q: 'ext-chain.shop.svc.cluster.local.',
      type: 'A',
      want: ok([
        'ext-chain.shop.svc.cluster.local. 30 IN CNAME ext-in.shop.svc.cluster.local.',
        'ext-in.shop.svc.cluster.local. 30 IN CNAME web.shop.svc.cluster.local.',
        'web.shop.svc.cluster.local. 30 IN A 10.96.0.20',
      ]),
    },
    {
      name: 'a target inside the zone that does not exist: NODATA',
      q: 'ext-missing.shop.svc.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'a CNAME loop ends in NODATA',
      q: 'ext-loop-a.shop.svc.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'an externalName that is an IP address is NXDOMAIN',
      q: 'ext-ip.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'SRV of an ExternalName service is NODATA',
      q: 'ext.shop.svc.cluster.local.',
      type: 'SRV',
      want: nodata(),
    },
    {
      name: 'an endpoint label under an ExternalName service is NXDOMAIN',
      q: 'x.ext.shop.svc.cluster.local.',
      type: 'CNAME',
      want: nxdomain(),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: SRV', () => {
  it.each<Row>([
    {
      name: 'a named port of a ClusterIP service, with the A in additional',
      q: '_http._tcp.web.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        ['_http._tcp.web.shop.svc.cluster.local. 30 IN SRV 0 100 80 web.shop.svc.cluster.local.'],
        ['web.shop.svc.cluster.local. 30 IN A 10.96.0.20'],
      ),
    },
    {
      name: 'without _port._proto: every port, weight split',
      q: 'web.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          'web.shop.svc.cluster.local. 30 IN SRV 0 50 80 web.shop.svc.cluster.local.',
          'web.shop.svc.cluster.local. 30 IN SRV 0 50 443 web.shop.svc.cluster.local.',
        ],
        ['web.shop.svc.cluster.local. 30 IN A 10.96.0.20'],
      ),
    },
    {
      name: 'the port labels without underscores',
      q: 'https.tcp.web.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        ['https.tcp.web.shop.svc.cluster.local. 30 IN SRV 0 100 443 web.shop.svc.cluster.local.'],
        ['web.shop.svc.cluster.local. 30 IN A 10.96.0.20'],
      ),
    },
    {
      name: 'a protocol that does not match is NXDOMAIN',
      q: '_http._udp.web.shop.svc.cluster.local.',
      type: 'SRV',
      want: nxdomain(),
    },
    {
      name: 'an unnamed port has SRV only without _port._proto',
      q: 'plain.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        ['plain.shop.svc.cluster.local. 30 IN SRV 0 100 8080 plain.shop.svc.cluster.local.'],
        ['plain.shop.svc.cluster.local. 30 IN A 10.96.0.22'],
      ),
    },
    {
      name: 'a port name that matches nothing is NXDOMAIN',
      q: '_http._tcp.plain.shop.svc.cluster.local.',
      type: 'SRV',
      want: nxdomain(),
    },
    {
      name: 'dual stack: one SRV with weight 50 (two entries), A and AAAA in additional',
      q: '_http._tcp.dual.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        ['_http._tcp.dual.shop.svc.cluster.local. 30 IN SRV 0 50 80 dual.shop.svc.cluster.local.'],
        [
          'dual.shop.svc.cluster.local. 30 IN A 10.96.0.30',
          'dual.shop.svc.cluster.local. 30 IN AAAA fd00:10:96::1e',
        ],
      ),
    },
    {
      name: 'a UDP port of kube-dns',
      q: '_dns._udp.kube-dns.kube-system.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          '_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.',
        ],
        ['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10'],
      ),
    },
    {
      name: 'headless: one SRV per ready endpoint (hostname or dashed address), weight 100/4',
      q: '_postgres._tcp.db.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          '_postgres._tcp.db.shop.svc.cluster.local. 30 IN SRV 0 25 5432 10-244-1-13.db.shop.svc.cluster.local.',
          '_postgres._tcp.db.shop.svc.cluster.local. 30 IN SRV 0 25 5432 db-0.db.shop.svc.cluster.local.',
          '_postgres._tcp.db.shop.svc.cluster.local. 30 IN SRV 0 25 5432 db-1.db.shop.svc.cluster.local.',
          '_postgres._tcp.db.shop.svc.cluster.local. 30 IN SRV 0 25 5432 fd00-10-244--a.db.shop.svc.cluster.local.',
        ],
        [
          '10-244-1-13.db.shop.svc.cluster.local. 30 IN A 10.244.1.13',
          'db-0.db.shop.svc.cluster.local. 30 IN A 10.244.1.10',
          'db-1.db.shop.svc.cluster.local. 30 IN A 10.244.2.11',
          'fd00-10-244--a.db.shop.svc.cluster.local. 30 IN AAAA fd00:10:244::a',
        ],
      ),
    },
    {
      name: 'headless: three targets weigh 33 each',
      q: '_http._tcp.trio.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          '_http._tcp.trio.shop.svc.cluster.local. 30 IN SRV 0 33 8080 10-244-1-60.trio.shop.svc.cluster.local.',
          '_http._tcp.trio.shop.svc.cluster.local. 30 IN SRV 0 33 8080 10-244-1-61.trio.shop.svc.cluster.local.',
          '_http._tcp.trio.shop.svc.cluster.local. 30 IN SRV 0 33 8080 10-244-1-62.trio.shop.svc.cluster.local.',
        ],
        [
          '10-244-1-60.trio.shop.svc.cluster.local. 30 IN A 10.244.1.60',
          '10-244-1-61.trio.shop.svc.cluster.local. 30 IN A 10.244.1.61',
          '10-244-1-62.trio.shop.svc.cluster.local. 30 IN A 10.244.1.62',
        ],
      ),
    },
    {
      name: 'headless without _port._proto: 3 endpoints x 2 ports weigh floor(100/6) = 16',
      q: 'trio.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8080 10-244-1-60.trio.shop.svc.cluster.local.',
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8443 10-244-1-60.trio.shop.svc.cluster.local.',
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8080 10-244-1-61.trio.shop.svc.cluster.local.',
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8443 10-244-1-61.trio.shop.svc.cluster.local.',
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8080 10-244-1-62.trio.shop.svc.cluster.local.',
          'trio.shop.svc.cluster.local. 30 IN SRV 0 16 8443 10-244-1-62.trio.shop.svc.cluster.local.',
        ],
        [
          '10-244-1-60.trio.shop.svc.cluster.local. 30 IN A 10.244.1.60',
          '10-244-1-61.trio.shop.svc.cluster.local. 30 IN A 10.244.1.61',
          '10-244-1-62.trio.shop.svc.cluster.local. 30 IN A 10.244.1.62',
        ],
      ),
    },
    {
      name: 'headless: a shared hostname is one SRV with two additional A; duplicates still count in the weight',
      q: 'pair.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        [
          'pair.shop.svc.cluster.local. 30 IN SRV 0 25 8080 10-244-1-22.pair.shop.svc.cluster.local.',
          'pair.shop.svc.cluster.local. 30 IN SRV 0 25 8080 dup.pair.shop.svc.cluster.local.',
        ],
        [
          '10-244-1-22.pair.shop.svc.cluster.local. 30 IN A 10.244.1.22',
          'dup.pair.shop.svc.cluster.local. 30 IN A 10.244.1.20',
          'dup.pair.shop.svc.cluster.local. 30 IN A 10.244.1.21',
        ],
      ),
    },
    {
      name: 'SRV of one endpoint',
      q: 'db-0.db.shop.svc.cluster.local.',
      type: 'SRV',
      want: ok(
        ['db-0.db.shop.svc.cluster.local. 30 IN SRV 0 100 5432 db-0.db.shop.svc.cluster.local.'],
        ['db-0.db.shop.svc.cluster.local. 30 IN A 10.244.1.10'],
      ),
    },
    {
      name: 'a port-less service has no SRV: NODATA',
      q: 'bare.shop.svc.cluster.local.',
      type: 'SRV',
      want: nodata(),
    },
    {
      name: 'a port name on a port-less service is NXDOMAIN',
      q: '_http._tcp.bare.shop.svc.cluster.local.',
      type: 'SRV',
      want: nxdomain(),
    },
    {
      name: '_tcp alone is read as an endpoint label: NXDOMAIN',
      q: '_tcp.web.shop.svc.cluster.local.',
      type: 'SRV',
      want: nxdomain(),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: pods insecure', () => {
  it.each<Row>([
    {
      name: 'A of a dashed IPv4 address, no pod needed',
      q: '10-244-1-5.default.pod.cluster.local.',
      type: 'A',
      want: ok(['10-244-1-5.default.pod.cluster.local. 30 IN A 10.244.1.5']),
    },
    {
      name: 'any address answers in insecure mode',
      q: '1-2-3-4.shop.pod.cluster.local.',
      type: 'A',
      want: ok(['1-2-3-4.shop.pod.cluster.local. 30 IN A 1.2.3.4']),
    },
    {
      name: 'AAAA of a dashed IPv6 address',
      q: 'fd00-10-244--5.default.pod.cluster.local.',
      type: 'AAAA',
      want: ok(['fd00-10-244--5.default.pod.cluster.local. 30 IN AAAA fd00:10:244::5']),
    },
    {
      name: 'AAAA of an IPv4 pod name is NODATA',
      q: '10-244-1-5.default.pod.cluster.local.',
      type: 'AAAA',
      want: nodata(),
    },
    {
      name: 'a label that is no address is NXDOMAIN',
      q: 'blah.default.pod.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'leading zeros are no address',
      q: '10-244-1-05.default.pod.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'four dashes are read as IPv6, and fail',
      q: '1-2-3-4-5.default.pod.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'an unknown namespace is NXDOMAIN',
      q: '10-244-1-5.nons.pod.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'the namespace under pod is NODATA',
      q: 'default.pod.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'pod.<zone> is NODATA',
      q: 'pod.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'HINFO of a name that is no address is NXDOMAIN',
      q: 'blah.default.pod.cluster.local.',
      type: 'HINFO',
      want: nxdomain(),
    },
    {
      name: 'a label left of the pod is ignored, as upstream',
      q: 'x.10-244-1-5.default.pod.cluster.local.',
      type: 'A',
      want: ok(['x.10-244-1-5.default.pod.cluster.local. 30 IN A 10.244.1.5']),
    },
    {
      name: 'SRV of a pod name: port 0 and the address in additional',
      q: '10-244-1-5.default.pod.cluster.local.',
      type: 'SRV',
      want: ok(
        ['10-244-1-5.default.pod.cluster.local. 30 IN SRV 0 100 0 10-244-1-5.default.pod.cluster.local.'],
        ['10-244-1-5.default.pod.cluster.local. 30 IN A 10.244.1.5'],
      ),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: PTR', () => {
  it.each<Row>([
    {
      name: 'a ClusterIP',
      q: '20.0.96.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['20.0.96.10.in-addr.arpa. 30 IN PTR web.shop.svc.cluster.local.']),
    },
    {
      name: 'the kube-dns ClusterIP',
      q: '10.0.96.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.']),
    },
    {
      name: 'an IPv6 ClusterIP in nibble form',
      q: V6_SVC_REV,
      type: 'PTR',
      want: ok([`${V6_SVC_REV} 30 IN PTR v6only.shop.svc.cluster.local.`]),
    },
    {
      name: 'the IPv6 ClusterIP of a dual-stack service',
      q: 'e.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.',
      type: 'PTR',
      want: ok([
        'e.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. 30 IN PTR dual.shop.svc.cluster.local.',
      ]),
    },
    {
      name: 'an endpoint with a hostname',
      q: '10.1.244.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['10.1.244.10.in-addr.arpa. 30 IN PTR db-0.db.shop.svc.cluster.local.']),
    },
    {
      name: 'an endpoint without hostname: its dashed name',
      q: '13.1.244.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['13.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-13.db.shop.svc.cluster.local.']),
    },
    {
      name: 'an IPv6 endpoint in nibble form',
      q: V6_EP_REV,
      type: 'PTR',
      want: ok([`${V6_EP_REV} 30 IN PTR fd00-10-244--a.db.shop.svc.cluster.local.`]),
    },
    {
      name: 'an address behind two services gives one PTR per service',
      q: '5.1.244.10.in-addr.arpa.',
      type: 'PTR',
      want: ok([
        '5.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-5.web-alias.shop.svc.cluster.local.',
        '5.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-5.web.shop.svc.cluster.local.',
      ]),
    },
    {
      name: 'an address in two slices of one service gives one PTR',
      q: '22.1.244.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['22.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-22.pair.shop.svc.cluster.local.']),
    },
    {
      name: 'a pod hostname under its subdomain service',
      q: '40.1.244.10.in-addr.arpa.',
      type: 'PTR',
      want: ok(['40.1.244.10.in-addr.arpa. 30 IN PTR web-0.nginx.default.svc.cluster.local.']),
    },
    {
      name: 'a not-ready endpoint falls through: REFUSED',
      q: '12.3.244.10.in-addr.arpa.',
      type: 'PTR',
      want: refused,
    },
    {
      name: 'an unknown address falls through: REFUSED',
      q: '99.99.99.99.in-addr.arpa.',
      type: 'PTR',
      want: refused,
    },
    {
      name: 'a partial reverse name falls through: REFUSED',
      q: '10.in-addr.arpa.',
      type: 'PTR',
      want: refused,
    },
    {
      name: 'A of a reverse name falls through: REFUSED',
      q: '20.0.96.10.in-addr.arpa.',
      type: 'A',
      want: refused,
    },
    {
      name: 'the reverse apex exists: NODATA with its own SOA',
      q: 'in-addr.arpa.',
      type: 'PTR',
      want: nodata(REVERSE_SOA),
    },
    {
      name: 'TXT of a reverse name has no records: a name error there, so the fallthrough (REFUSED)',
      q: '20.0.96.10.in-addr.arpa.',
      type: 'TXT',
      want: refused,
    },
    {
      name: 'PTR of a service name is NODATA',
      q: 'web.shop.svc.cluster.local.',
      type: 'PTR',
      want: nodata(),
    },
    {
      name: 'PTR of a name that does not exist in the cluster zone is NXDOMAIN',
      q: '20.0.96.10.cluster.local.',
      type: 'PTR',
      want: nxdomain(),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: apex, special names, NXDOMAIN vs NODATA', () => {
  it.each<Row>([
    { name: 'SOA at the apex', q: 'cluster.local.', type: 'SOA', want: ok([SOA.split('\t').join(' ')]) },
    {
      name: 'NS at the apex: the DNS service, its ClusterIP as glue',
      q: 'cluster.local.',
      type: 'NS',
      want: ok(
        ['cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.'],
        ['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10'],
      ),
    },
    { name: 'A at the apex is NODATA', q: 'cluster.local.', type: 'A', want: nodata() },
    { name: 'AAAA at the apex is NODATA', q: 'cluster.local.', type: 'AAAA', want: nodata() },
    { name: 'SRV at the apex is NODATA', q: 'cluster.local.', type: 'SRV', want: nodata() },
    { name: 'HINFO at the apex is NODATA', q: 'cluster.local.', type: 'HINFO', want: nodata() },
    {
      name: 'ns.dns.<zone> A: the DNS service address',
      q: 'ns.dns.cluster.local.',
      type: 'A',
      want: ok(['ns.dns.cluster.local. 30 IN A 10.96.0.10']),
    },
    { name: 'SOA below the apex is NODATA', q: 'web.shop.svc.cluster.local.', type: 'SOA', want: nodata() },
    {
      name: 'SOA of a name that does not exist is NODATA too',
      q: 'nothing.shop.svc.cluster.local.',
      type: 'SOA',
      want: nodata(),
    },
    {
      name: 'an unknown service is NXDOMAIN',
      q: 'svc0.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'AAAA of an unknown service is NXDOMAIN',
      q: 'svc0.shop.svc.cluster.local.',
      type: 'AAAA',
      want: nxdomain(),
    },
    {
      name: 'an unknown namespace is NXDOMAIN',
      q: 'web.nons.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    { name: 'an existing namespace is NODATA', q: 'shop.svc.cluster.local.', type: 'A', want: nodata() },
    {
      name: 'NS of an existing namespace is NODATA',
      q: 'shop.svc.cluster.local.',
      type: 'NS',
      want: nodata(),
    },
    {
      name: 'a namespace with no services is NODATA',
      q: 'empty.svc.cluster.local.',
      type: 'A',
      want: nodata(),
    },
    {
      name: 'NS of an unknown namespace is NXDOMAIN',
      q: 'foo.svc.cluster.local.',
      type: 'NS',
      want: nxdomain(),
    },
    { name: 'svc.<zone> is NODATA', q: 'svc.cluster.local.', type: 'A', want: nodata() },
    { name: 'NS of svc.<zone> is NODATA', q: 'svc.cluster.local.', type: 'NS', want: nodata() },
    { name: 'a name not under svc or pod is NXDOMAIN', q: 'foo.cluster.local.', type: 'A', want: nxdomain() },
    { name: 'NS of such a name is NXDOMAIN', q: 'foo.cluster.local.', type: 'NS', want: nxdomain() },
    {
      name: 'dns-version TXT',
      q: 'dns-version.cluster.local.',
      type: 'TXT',
      want: ok(['dns-version.cluster.local. 28800 IN TXT "1.1.0"']),
    },
    { name: 'dns-version A is NXDOMAIN', q: 'dns-version.cluster.local.', type: 'A', want: nxdomain() },
    { name: 'TXT of a service is NODATA', q: 'web.shop.svc.cluster.local.', type: 'TXT', want: nodata() },
    {
      name: 'TXT of a name that does not exist is NXDOMAIN (CoreDNS 1.10.1+, coredns#5737)',
      q: 'nothing.nons.svc.cluster.local.',
      type: 'TXT',
      want: nxdomain(),
    },
    {
      name: 'TXT of an ExternalName service is NODATA',
      q: 'ext.shop.svc.cluster.local.',
      type: 'TXT',
      want: nodata(),
    },
    {
      name: 'a _port._proto name under an ExternalName service is NXDOMAIN (A)',
      q: '_http._tcp.ext.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'a _port._proto name under an ExternalName service is NXDOMAIN (CNAME)',
      q: '_http._tcp.ext.shop.svc.cluster.local.',
      type: 'CNAME',
      want: nxdomain(),
    },
    {
      name: 'TXT of the apex (no Kubernetes records) is NXDOMAIN',
      q: 'cluster.local.',
      type: 'TXT',
      want: nxdomain(),
    },
    {
      name: 'TXT of an existing namespace (no records) is NXDOMAIN',
      q: 'shop.svc.cluster.local.',
      type: 'TXT',
      want: nxdomain(),
    },
    { name: 'MX of a service is NODATA', q: 'web.shop.svc.cluster.local.', type: 'MX', want: nodata() },
    {
      name: 'MX of an unknown service is NXDOMAIN',
      q: 'svc0.shop.svc.cluster.local.',
      type: 'MX',
      want: nxdomain(),
    },
    { name: 'ANY of a service is NODATA', q: 'web.shop.svc.cluster.local.', type: 'ANY', want: nodata() },
    {
      name: 'HINFO of an unknown service is NXDOMAIN',
      q: 'svc0.shop.svc.cluster.local.',
      type: 'HINFO',
      want: nxdomain(),
    },
    {
      name: 'three labels left of the service are too many: NXDOMAIN',
      q: 'a.b.c.web.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'a wildcard is a literal label (wildcards are gone): NXDOMAIN',
      q: '*.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
    {
      name: 'a search-path expansion of an absolute name is NXDOMAIN',
      q: 'web.shop.svc.cluster.local.shop.svc.cluster.local.',
      type: 'A',
      want: nxdomain(),
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: case, outside names, transfers', () => {
  it.each<Row>([
    {
      name: 'mixed case matches and is echoed in the owner',
      q: 'Web.Shop.SVC.cluster.local.',
      type: 'A',
      want: ok(['Web.Shop.SVC.cluster.local. 30 IN A 10.96.0.20']),
    },
    {
      name: 'SRV targets use the zone as asked',
      q: '_HTTP._TCP.Web.Shop.svc.Cluster.Local.',
      type: 'SRV',
      want: ok(
        ['_HTTP._TCP.Web.Shop.svc.Cluster.Local. 30 IN SRV 0 100 80 web.shop.svc.Cluster.Local.'],
        ['web.shop.svc.Cluster.Local. 30 IN A 10.96.0.20'],
      ),
    },
    {
      name: 'the SOA of a negative answer uses the zone as asked',
      q: 'svc0.shop.svc.CLUSTER.LOCAL.',
      type: 'A',
      want: nxdomain(
        z(
          'CLUSTER.LOCAL. 30 IN SOA ns.dns.CLUSTER.LOCAL. hostmaster.CLUSTER.LOCAL. 1700000000 7200 1800 86400 30',
        ),
      ),
    },
    {
      name: 'a mixed-case endpoint label',
      q: 'DB-0.db.shop.svc.cluster.local.',
      type: 'A',
      want: ok(['DB-0.db.shop.svc.cluster.local. 30 IN A 10.244.1.10']),
    },
    {
      name: 'PTR owner echoes the question',
      q: '20.0.96.10.IN-ADDR.ARPA.',
      type: 'PTR',
      want: ok(['20.0.96.10.IN-ADDR.ARPA. 30 IN PTR web.shop.svc.cluster.local.']),
    },
    {
      name: 'upstream quirk: the apex NS is recognised only with a lower-case zone',
      q: 'CLUSTER.LOCAL.',
      type: 'NS',
      want: nodata(
        z(
          'CLUSTER.LOCAL. 30 IN SOA ns.dns.CLUSTER.LOCAL. hostmaster.CLUSTER.LOCAL. 1700000000 7200 1800 86400 30',
        ),
      ),
    },
    { name: 'a name outside the zones is REFUSED', q: 'www.example.com.', type: 'A', want: refused },
    {
      name: 'the zone name inside another name is outside',
      q: 'cluster.local.example.com.',
      type: 'A',
      want: refused,
    },
    {
      name: 'a suffix that is not on a label boundary is outside',
      q: 'notcluster.local.',
      type: 'A',
      want: refused,
    },
    { name: 'the root is outside', q: '.', type: 'NS', want: refused },
    { name: 'AXFR of the zone is REFUSED', q: 'cluster.local.', type: 'AXFR', want: refused },
    { name: 'IXFR of the zone is REFUSED', q: 'cluster.local.', type: 'IXFR', want: refused },
    {
      name: 'AXFR of a name in the zone is REFUSED',
      q: 'web.shop.svc.cluster.local.',
      type: 'AXFR',
      want: refused,
    },
  ])('$name', (row) => check(cluster, row));
});

describe('resolve: settings', () => {
  it('uses the configured TTL, capping the SOA record TTL at 300 but not its minimum', () => {
    const settings: DnsSettings = { clusterDomain: 'cluster.local', ttl: 600, serial: 42 };
    check(
      cluster,
      {
        name: 'ttl 600',
        q: 'svc0.shop.svc.cluster.local.',
        type: 'A',
        want: nxdomain(
          z(
            'cluster.local. 300 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 42 7200 1800 86400 600',
          ),
        ),
      },
      settings,
    );
    check(
      cluster,
      {
        name: 'ttl 600 on a record',
        q: 'web.shop.svc.cluster.local.',
        type: 'A',
        want: ok(['web.shop.svc.cluster.local. 600 IN A 10.96.0.20']),
      },
      settings,
    );
  });

  it('serves another cluster domain and puts it into PTR targets', () => {
    const settings: DnsSettings = { clusterDomain: 'k8s.example', ttl: 5, serial: 1 };
    check(
      cluster,
      {
        name: 'other domain A',
        q: 'web.shop.svc.k8s.example.',
        type: 'A',
        want: ok(['web.shop.svc.k8s.example. 5 IN A 10.96.0.20']),
      },
      settings,
    );
    check(
      cluster,
      {
        name: 'other domain PTR',
        q: '20.0.96.10.in-addr.arpa.',
        type: 'PTR',
        want: ok(['20.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.k8s.example.']),
      },
      settings,
    );
    check(
      cluster,
      { name: 'cluster.local is outside', q: 'web.shop.svc.cluster.local.', type: 'A', want: refused },
      settings,
    );
  });
});

describe('resolve: indexes and cost', () => {
  it('rebuilds the endpoint PTR index after a change, and only then', () => {
    const state = clusterWith(OBJECTS);
    const q = '80.1.244.10.in-addr.arpa.';
    check(state, { name: 'before', q, type: 'PTR', want: refused });
    const extra = slice('shop', 'trio-2', 'trio', [ready('10.244.1.80')], http);
    state.applyChanges([{ type: 'ADDED', object: extra }], 2);
    check(state, {
      name: 'after',
      q,
      type: 'PTR',
      want: ok([`${q} 30 IN PTR 10-244-1-80.trio.shop.svc.cluster.local.`]),
    });
    state.applyChanges([{ type: 'DELETED', object: extra }], 3);
    check(state, { name: 'deleted', q, type: 'PTR', want: refused });
  });

  it('reads no list of all services or pods, and slices only by service, for forward queries', () => {
    const calls: string[] = [];
    const spy: ClusterSnapshot = new Proxy(cluster, {
      get(target, prop, receiver) {
        if (prop === 'list') {
          return (kind: string, opts?: { namespace?: string; selector?: unknown }) => {
            calls.push(`${kind}:${opts?.namespace ?? '*'}:${opts?.selector ? 'selector' : 'all'}`);
            return (target.list as (k: string, o?: unknown) => unknown)(kind, opts);
          };
        }
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    for (const [q, type] of [
      ['web.shop.svc.cluster.local.', 'A'],
      ['db.shop.svc.cluster.local.', 'SRV'],
      ['db-0.db.shop.svc.cluster.local.', 'A'],
      ['ext-chain.shop.svc.cluster.local.', 'A'],
      ['10-244-1-5.default.pod.cluster.local.', 'A'],
      ['20.0.96.10.in-addr.arpa.', 'PTR'],
    ] as const) {
      resolve(spy, q, type, SETTINGS);
    }
    expect(calls).toEqual(['EndpointSlice:shop:selector', 'EndpointSlice:shop:selector']);
  });
});
