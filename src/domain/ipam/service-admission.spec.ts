import { describe, expect, it } from '@jest/globals';
import { aService, aServicePort, type DeepPartial } from '../../../test/factories/objects.js';
import { thrownDomainError } from '../../../test/support/domain.js';
import type { Service } from '../model/types.js';
import { Ipam, type IpamSettings, type IpamTxn } from './ipam.js';
import { admitService, settleIPFamilies } from './service-admission.js';

const SINGLE: IpamSettings = {
  serviceCidrs: ['10.96.0.0/12'],
  clusterCidrs: ['10.244.0.0/16'],
  nodeCidrMasks: [24],
  nodePortRange: { min: 30000, max: 32767 },
  nodeNetwork: '172.18.0.0/16',
  lbCidr: '172.18.255.0/24',
};
const DUAL: IpamSettings = {
  ...SINGLE,
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  clusterCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  nodeCidrMasks: [24, 64],
};
const CLUSTERS = { single: SINGLE, dual: DUAL } as const;
type Cluster = keyof typeof CLUSTERS;

/** First dynamic addresses of fresh pools (KEP-3070 upper band). */
const V4 = '10.96.1.1';
const V6 = 'fd00:10:96::101';

const svc = (o?: DeepPartial<Service>) => aService(o);

/** Admits a Service in `txn` and records it there, as IpamAdmission does. */
function admit(txn: IpamTxn, input: Service, old?: Service): Service {
  const out = admitService(input, old, { ipam: txn });
  txn.change(old, out);
  return out;
}

const txnOf = (settings: IpamSettings) => new Ipam(settings).fork();

describe('settleIPFamilies and ClusterIP allocation (ipFamilyPolicy / ipFamilies table)', () => {
  it.each<{
    name: string;
    cluster: Cluster;
    spec: DeepPartial<Service['spec']>;
    policy: string;
    families: string[];
    clusterIPs: string[];
  }>([
    {
      name: 'nothing',
      cluster: 'single',
      spec: {},
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: [V4],
    },
    {
      name: 'nothing',
      cluster: 'dual',
      spec: {},
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: [V4],
    },
    {
      name: 'PreferDualStack',
      cluster: 'single',
      spec: { ipFamilyPolicy: 'PreferDualStack' },
      policy: 'PreferDualStack',
      families: ['IPv4'],
      clusterIPs: [V4],
    },
    {
      name: 'PreferDualStack',
      cluster: 'dual',
      spec: { ipFamilyPolicy: 'PreferDualStack' },
      policy: 'PreferDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: [V4, V6],
    },
    {
      name: 'RequireDualStack',
      cluster: 'dual',
      spec: { ipFamilyPolicy: 'RequireDualStack' },
      policy: 'RequireDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: [V4, V6],
    },
    {
      name: 'ipFamilies [IPv6]',
      cluster: 'dual',
      spec: { ipFamilies: ['IPv6'] },
      policy: 'SingleStack',
      families: ['IPv6'],
      clusterIPs: [V6],
    },
    {
      name: 'RequireDualStack + ipFamilies [IPv6]',
      cluster: 'dual',
      spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6'] },
      policy: 'RequireDualStack',
      families: ['IPv6', 'IPv4'],
      clusterIPs: [V6, V4],
    },
    {
      name: 'clusterIPs [v4]',
      cluster: 'single',
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] },
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: ['10.96.0.10'],
    },
    {
      name: 'clusterIPs [v4]',
      cluster: 'dual',
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] },
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: ['10.96.0.10'],
    },
    {
      name: 'clusterIPs [v6] infers IPv6',
      cluster: 'dual',
      spec: { clusterIP: 'fd00:10:96::10', clusterIPs: ['fd00:10:96::10'] },
      policy: 'SingleStack',
      families: ['IPv6'],
      clusterIPs: ['fd00:10:96::10'],
    },
    {
      name: 'a lone IPv6 clusterIP stands for clusterIPs (normalizeClusterIPs)',
      cluster: 'dual',
      spec: { clusterIP: 'fd00:10:96::10' },
      policy: 'SingleStack',
      families: ['IPv6'],
      clusterIPs: ['fd00:10:96::10'],
    },
    {
      name: 'clusterIPs [v4, v6] + PreferDualStack',
      cluster: 'dual',
      spec: {
        ipFamilyPolicy: 'PreferDualStack',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10', 'fd00:10:96::10'],
      },
      policy: 'PreferDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: ['10.96.0.10', 'fd00:10:96::10'],
    },
    {
      name: 'clusterIPs [v4] + RequireDualStack: the IPv6 one is allocated',
      cluster: 'dual',
      spec: { ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] },
      policy: 'RequireDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: ['10.96.0.10', V6],
    },
    {
      name: 'headless with a selector',
      cluster: 'single',
      spec: { clusterIP: 'None' },
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: ['None'],
    },
    {
      name: 'headless with a selector',
      cluster: 'dual',
      spec: { clusterIP: 'None', clusterIPs: ['None'] },
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: ['None'],
    },
    {
      name: 'headless without a selector (both families even on a single-stack cluster)',
      cluster: 'single',
      spec: { clusterIP: 'None', selector: undefined },
      policy: 'RequireDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: ['None'],
    },
    {
      name: 'headless without a selector',
      cluster: 'dual',
      spec: { clusterIP: 'None', selector: undefined },
      policy: 'RequireDualStack',
      families: ['IPv4', 'IPv6'],
      clusterIPs: ['None'],
    },
    {
      name: 'headless without a selector, ipFamilies [IPv6] on a single-stack cluster',
      cluster: 'single',
      spec: { clusterIP: 'None', selector: undefined, ipFamilies: ['IPv6'] },
      policy: 'RequireDualStack',
      families: ['IPv6', 'IPv4'],
      clusterIPs: ['None'],
    },
    {
      name: 'headless without a selector, SingleStack',
      cluster: 'dual',
      spec: { clusterIP: 'None', selector: undefined, ipFamilyPolicy: 'SingleStack' },
      policy: 'SingleStack',
      families: ['IPv4'],
      clusterIPs: ['None'],
    },
  ])('$cluster stack: $name', ({ cluster, spec, policy, families, clusterIPs }) => {
    const out = admit(txnOf(CLUSTERS[cluster]), svc({ spec }));
    expect(out.spec.ipFamilyPolicy).toBe(policy);
    expect(out.spec.ipFamilies).toEqual(families);
    expect(out.spec.clusterIPs).toEqual(clusterIPs);
    expect(out.spec.clusterIP).toBe(clusterIPs[0]);
  });

  it.each<{ name: string; cluster: Cluster; spec: DeepPartial<Service['spec']>; message: string }>([
    {
      name: 'RequireDualStack',
      cluster: 'single',
      spec: { ipFamilyPolicy: 'RequireDualStack' },
      message:
        'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    },
    {
      name: 'RequireDualStack on a headless service with a selector',
      cluster: 'single',
      spec: { ipFamilyPolicy: 'RequireDualStack', clusterIP: 'None' },
      message:
        'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    },
    {
      name: 'ipFamilies [IPv6]',
      cluster: 'single',
      spec: { ipFamilies: ['IPv6'] },
      message:
        'Service "web" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
    },
    {
      name: 'RequireDualStack + ipFamilies [IPv6]',
      cluster: 'single',
      spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6'] },
      message:
        'Service "web" is invalid: [spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services, spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster]',
    },
    {
      name: 'clusterIPs [v4, v6] without a policy',
      cluster: 'dual',
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00:10:96::10'] },
      message:
        'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple cluster IPs are specified',
    },
    {
      name: 'clusterIPs [v4, v6] without a policy',
      cluster: 'single',
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00:10:96::10'] },
      message:
        'Service "web" is invalid: [spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple cluster IPs are specified, spec.clusterIPs[1]: Invalid value: ["10.96.0.10","fd00:10:96::10"]: IPv6 is not configured on this cluster]',
    },
    {
      name: 'clusterIPs [v4, v6] + PreferDualStack',
      cluster: 'single',
      spec: {
        ipFamilyPolicy: 'PreferDualStack',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10', 'fd00:10:96::10'],
      },
      message:
        'Service "web" is invalid: spec.clusterIPs[1]: Invalid value: ["10.96.0.10","fd00:10:96::10"]: IPv6 is not configured on this cluster',
    },
    {
      name: 'a lone IPv6 clusterIP',
      cluster: 'single',
      spec: { clusterIP: 'fd00:10:96::10' },
      message:
        'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["fd00:10:96::10"]: IPv6 is not configured on this cluster',
    },
    {
      name: 'SingleStack with two ipFamilies',
      cluster: 'dual',
      spec: { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] },
      message:
        'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
    },
  ])('$cluster stack refuses $name (422)', ({ cluster, spec, message }) => {
    const txn = txnOf(CLUSTERS[cluster]);
    const err = thrownDomainError(() => admitService(svc({ spec }), undefined, { ipam: txn }));
    expect(err.code).toBe('Invalid');
    expect(err.message).toBe(message);
    expect(err.details).toMatchObject({ kind: 'Service', name: 'web' });
    // Nothing was left reserved.
    expect(txn.usage().every((u) => u.allocated === 0)).toBe(true);
  });

  it('a PreferDualStack service keeps its families on an update that changes none of them', () => {
    const old = svc({
      spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], clusterIP: V4, clusterIPs: [V4] },
    });
    // The cluster is dual-stack now: an unrelated update does not upgrade the service.
    const spec = settleIPFamilies(old, old, ['IPv4', 'IPv6']);
    expect(spec.ipFamilies).toEqual(['IPv4']);
  });

  it('an update without a policy keeps the old one', () => {
    const old = svc({ spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] } });
    const next = svc({ spec: { ipFamilies: ['IPv4', 'IPv6'] } });
    expect(settleIPFamilies(next, old, ['IPv4', 'IPv6']).ipFamilyPolicy).toBe('PreferDualStack');
  });

  it('an ExternalName service is returned as it is', () => {
    const input = svc({
      spec: { type: 'ExternalName', externalName: 'db.example.com', selector: undefined },
    });
    const txn = txnOf(SINGLE);
    expect(admitService(input, undefined, { ipam: txn })).toBe(input);
  });
});

describe('pinned ClusterIPs', () => {
  it('a free pinned IP in either band is honoured', () => {
    const txn = txnOf(SINGLE);
    expect(
      admit(txn, svc({ spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } })).spec.clusterIPs,
    ).toEqual(['10.96.0.10']);
    const b = svc({
      metadata: { name: 'b' },
      spec: { clusterIP: '10.96.200.1', clusterIPs: ['10.96.200.1'] },
    });
    expect(admit(txn, b).spec.clusterIP).toBe('10.96.200.1');
    expect(txn.isFree('service-ipv4', 10)).toBe(false);
  });

  it.each([
    {
      name: 'outside the range',
      ip: '1.1.1.1',
      message:
        'Service "web" is invalid: spec.clusterIPs: Invalid value: ["1.1.1.1"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'the network address',
      ip: '10.96.0.0',
      message:
        'Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'the broadcast address',
      ip: '10.111.255.255',
      message:
        'Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.111.255.255"]: failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
  ])('a pinned IP $name is refused (422)', ({ ip, message }) => {
    const err = thrownDomainError(() =>
      admitService(svc({ spec: { clusterIP: ip, clusterIPs: [ip] } }), undefined, { ipam: txnOf(SINGLE) }),
    );
    expect(err.code).toBe('Invalid');
    expect(err.message).toBe(message);
    expect(err.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.clusterIPs',
        message: expect.stringContaining('not in the valid range'),
      },
    ]);
  });

  it('a pinned IP another service holds is refused', () => {
    const txn = txnOf(SINGLE);
    admit(
      txn,
      svc({ metadata: { name: 'dns' }, spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } }),
    );
    const err = thrownDomainError(() =>
      admitService(svc({ spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } }), undefined, {
        ipam: txn,
      }),
    );
    expect(err.message).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
  });

  it('a pinned IP held in the committed book is refused in a later batch', () => {
    const ipam = new Ipam(SINGLE);
    const t1 = ipam.fork();
    const first = admit(t1, svc({ metadata: { name: 'a' } }));
    ipam.change(undefined, first); // committed
    const err = thrownDomainError(() =>
      admitService(svc({ spec: { clusterIP: V4, clusterIPs: [V4] } }), undefined, { ipam: ipam.fork() }),
    );
    expect(err.message).toContain('provided IP is already allocated');
  });

  it('a dynamic allocation skips a pinned IP in the upper band', () => {
    const txn = txnOf(SINGLE);
    admit(txn, svc({ metadata: { name: 'a' }, spec: { clusterIP: V4, clusterIPs: [V4] } }));
    expect(admit(txn, svc({ metadata: { name: 'b' } })).spec.clusterIP).toBe('10.96.1.2');
  });
});

describe('ClusterIP exhaustion', () => {
  it('a /28 hands out 14 addresses, then answers range is full (Conflict)', () => {
    const txn = txnOf({ ...SINGLE, serviceCidrs: ['10.96.0.0/28'] });
    const got: string[] = [];
    for (let i = 0; i < 14; i++) got.push(admit(txn, svc({ metadata: { name: `s${i}` } })).spec.clusterIP!);
    expect(got).toEqual(Array.from({ length: 14 }, (_, i) => `10.96.0.${i + 1}`));
    const err = thrownDomainError(() => admit(txn, svc({ metadata: { name: 's14' } })));
    expect(err.code).toBe('Conflict');
    expect(err.message).toBe('failed to allocate a serviceIP: range is full');
    expect(err.details).toEqual({
      kind: 'services',
      name: 's14',
      causes: [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: 'range is full' }],
    });
  });

  it('a failed allocation leaves no reservation behind', () => {
    const txn = txnOf({ ...SINGLE, serviceCidrs: ['10.96.0.0/28'] });
    for (let i = 0; i < 13; i++) admit(txn, svc({ metadata: { name: `s${i}` } }));
    // One address left; a NodePort service with a bad pinned port takes it, then fails.
    expect(() =>
      admitService(
        svc({
          metadata: { name: 'bad' },
          spec: { type: 'NodePort', ports: [aServicePort({ nodePort: 40000 })] },
        }),
        undefined,
        { ipam: txn },
      ),
    ).toThrow('provided port is not in the valid range');
    expect(admit(txn, svc({ metadata: { name: 'ok' } })).spec.clusterIP).toBe('10.96.0.14');
  });
});

describe('NodePorts', () => {
  const twoPorts = [
    aServicePort({ name: 'http', port: 80 }),
    aServicePort({ name: 'https', port: 443, targetPort: 8443 }),
  ];

  it.each<{
    name: string;
    spec: DeepPartial<Service['spec']>;
    nodePorts: (number | undefined)[];
    hc?: number;
  }>([
    { name: 'ClusterIP: none', spec: { ports: twoPorts }, nodePorts: [undefined, undefined] },
    {
      name: 'NodePort: one per port',
      spec: { type: 'NodePort', ports: twoPorts },
      nodePorts: [30086, 30087],
    },
    {
      name: 'LoadBalancer: one per port',
      spec: { type: 'LoadBalancer', ports: twoPorts },
      nodePorts: [30086, 30087],
    },
    {
      name: 'LoadBalancer with allocateLoadBalancerNodePorts false: none',
      spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: twoPorts },
      nodePorts: [undefined, undefined],
    },
    {
      name: 'allocateLoadBalancerNodePorts false still honours a pinned port',
      spec: {
        type: 'LoadBalancer',
        allocateLoadBalancerNodePorts: false,
        ports: [aServicePort({ nodePort: 30080 }), aServicePort({ name: 'https', port: 443 })],
      },
      nodePorts: [30080, undefined],
    },
    {
      name: 'NodePort: a pinned port in the static band, the other dynamic',
      spec: {
        type: 'NodePort',
        ports: [aServicePort({ nodePort: 30000 }), aServicePort({ name: 'https', port: 443 })],
      },
      nodePorts: [30000, 30086],
    },
    {
      name: 'NodePort: 53/TCP and 53/UDP share one nodePort',
      spec: {
        type: 'NodePort',
        ports: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 },
        ],
      },
      nodePorts: [30086, 30086],
    },
    {
      name: 'NodePort: 53/TCP pinned, 53/UDP gets the same',
      spec: {
        type: 'NodePort',
        ports: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53, nodePort: 30053 },
          { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53 },
        ],
      },
      nodePorts: [30053, 30053],
    },
    {
      name: 'NodePort: only the later 53/UDP pins; the earlier 53/TCP takes the same (findRequestedNodePort)',
      spec: {
        type: 'NodePort',
        ports: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'dns-udp', port: 53, protocol: 'UDP', targetPort: 53, nodePort: 30053 },
        ],
      },
      nodePorts: [30053, 30053],
    },
    {
      name: 'LoadBalancer + externalTrafficPolicy Local: a health-check port after the ports',
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: twoPorts },
      nodePorts: [30086, 30087],
      hc: 30088,
    },
    {
      name: 'LoadBalancer + Local, no node ports: the health-check port still',
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        allocateLoadBalancerNodePorts: false,
        ports: twoPorts,
      },
      nodePorts: [undefined, undefined],
      hc: 30086,
    },
    {
      name: 'LoadBalancer + Local with a pinned health-check port',
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 32000,
        ports: [aServicePort()],
      },
      nodePorts: [30086],
      hc: 32000,
    },
    {
      name: 'NodePort + Local: no health-check port',
      spec: { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [aServicePort()] },
      nodePorts: [30086],
    },
  ])('$name', ({ spec, nodePorts, hc }) => {
    const txn = txnOf(SINGLE);
    const out = admit(txn, svc({ spec }));
    expect(out.spec.ports!.map((p) => p.nodePort)).toEqual(nodePorts);
    expect(out.spec.healthCheckNodePort).toBe(hc);
    const held = txn.usage().find((u) => u.name === 'node-port')!.allocated;
    expect(held).toBe(new Set([...nodePorts, hc].filter((p) => p !== undefined)).size);
  });

  it('services of one batch get consecutive ports', () => {
    const txn = txnOf(SINGLE);
    const a = admit(txn, svc({ metadata: { name: 'a' }, spec: { type: 'NodePort' } }));
    const b = admit(txn, svc({ metadata: { name: 'b' }, spec: { type: 'NodePort' } }));
    expect([a.spec.ports![0]!.nodePort, b.spec.ports![0]!.nodePort]).toEqual([30086, 30087]);
  });

  it.each([
    {
      name: 'below the range',
      port: 29999,
      message:
        'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
    },
    {
      name: 'above the range',
      port: 40000,
      message:
        'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    },
  ])('a pinned nodePort $name is refused (422)', ({ port, message }) => {
    const err = thrownDomainError(() =>
      admitService(
        svc({ spec: { type: 'NodePort', ports: [aServicePort({ nodePort: port })] } }),
        undefined,
        {
          ipam: txnOf(SINGLE),
        },
      ),
    );
    expect(err.code).toBe('Invalid');
    expect(err.message).toBe(message);
  });

  it.each([
    {
      name: 'nodePort',
      field: 'spec.ports[1].nodePort',
      pin: (p: number) => ({ ports: [aServicePort(), aServicePort({ name: 'b', port: 81, nodePort: p })] }),
    },
    {
      name: 'healthCheckNodePort',
      field: 'spec.healthCheckNodePort',
      pin: (p: number) => ({ externalTrafficPolicy: 'Local', healthCheckNodePort: p }),
    },
  ])('a pinned $name another service holds is refused', ({ field, pin }) => {
    const txn = txnOf(SINGLE);
    const first = admit(txn, svc({ metadata: { name: 'first' }, spec: { type: 'NodePort' } }));
    const port = first.spec.ports![0]!.nodePort!;
    const err = thrownDomainError(() =>
      admitService(svc({ spec: { type: 'LoadBalancer', ...pin(port) } }), undefined, { ipam: txn }),
    );
    expect(err.message).toBe(
      `Service "web" is invalid: ${field}: Invalid value: ${port}: provided port is already allocated`,
    );
  });

  it('one pinned nodePort on two different port numbers is refused for the second', () => {
    const err = thrownDomainError(() =>
      admit(
        txnOf(SINGLE),
        svc({
          spec: {
            type: 'NodePort',
            ports: [
              aServicePort({ name: 'a', port: 80, nodePort: 30080 }),
              aServicePort({ name: 'b', port: 81, protocol: 'UDP', nodePort: 30080 }),
            ],
          },
        }),
      ),
    );
    expect(err.message).toBe(
      'Service "web" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });

  it('runs out of node ports with range is full (Conflict)', () => {
    const txn = txnOf({ ...SINGLE, nodePortRange: { min: 30000, max: 30002 } });
    const ports = [80, 81, 82].map((port) => aServicePort({ name: `p${port}`, port }));
    expect(admit(txn, svc({ spec: { type: 'NodePort', ports } })).spec.ports!.map((p) => p.nodePort)).toEqual(
      [30000, 30001, 30002],
    );
    const err = thrownDomainError(() =>
      admit(txn, svc({ metadata: { name: 'more' }, spec: { type: 'NodePort' } })),
    );
    expect(err.code).toBe('Conflict');
    expect(err.message).toBe('failed to allocate a nodePort: range is full');
    expect(err.details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', message: 'range is full' },
    ]);
  });
});

describe('LoadBalancer ingress (MetalLB-style)', () => {
  const lb = (name: string, spec: DeepPartial<Service['spec']> = {}) =>
    svc({ metadata: { name }, spec: { type: 'LoadBalancer', ...spec } });
  const ingress = (s: Service) => s.status?.loadBalancer?.ingress;

  it('takes the lowest free address of the LB range with ipMode VIP', () => {
    const txn = txnOf(SINGLE);
    expect(ingress(admit(txn, lb('a')))).toEqual([{ ip: '172.18.255.1', ipMode: 'VIP' }]);
    expect(ingress(admit(txn, lb('b')))).toEqual([{ ip: '172.18.255.2', ipMode: 'VIP' }]);
  });

  it.each<{
    name: string;
    settings: IpamSettings;
    spec: DeepPartial<Service['spec']>;
    want: string | undefined;
  }>([
    {
      name: 'spec.loadBalancerIP is honoured',
      settings: SINGLE,
      spec: { loadBalancerIP: '172.18.255.200' },
      want: '172.18.255.200',
    },
    {
      name: 'a loadBalancerIP outside the range leaves it pending',
      settings: SINGLE,
      spec: { loadBalancerIP: '10.0.0.1' },
      want: undefined,
    },
    {
      name: 'a loadBalancerIP that does not parse leaves it pending',
      settings: SINGLE,
      spec: { loadBalancerIP: 'x' },
      want: undefined,
    },
    {
      name: 'a loadBalancerClass is left to its controller',
      settings: SINGLE,
      spec: { loadBalancerClass: 'example.com/lb' },
      want: undefined,
    },
    { name: 'no LB range: pending', settings: { ...SINGLE, lbCidr: undefined }, spec: {}, want: undefined },
  ])('$name', ({ settings, spec, want }) => {
    const out = admit(txnOf(settings), lb('a', spec));
    expect(ingress(out)?.[0]?.ip).toBe(want);
  });

  it('a loadBalancerIP another service holds leaves it pending', () => {
    const txn = txnOf(SINGLE);
    admit(txn, lb('a', { loadBalancerIP: '172.18.255.9' }));
    expect(ingress(admit(txn, lb('b', { loadBalancerIP: '172.18.255.9' })))).toBeUndefined();
  });

  it('a full LB range leaves the next service pending, without an error', () => {
    const txn = txnOf({ ...SINGLE, lbCidr: '172.18.255.200/30' });
    const ips = ['a', 'b', 'c'].map((n) => ingress(admit(txn, lb(n)))?.[0]?.ip);
    expect(ips).toEqual(['172.18.255.201', '172.18.255.202', undefined]);
  });

  it('an existing ingress is kept as it is', () => {
    const txn = txnOf(SINGLE);
    const input = { ...lb('a'), status: { loadBalancer: { ingress: [{ ip: '172.18.255.77' }] } } };
    expect(ingress(admit(txn, input))).toEqual([{ ip: '172.18.255.77' }]);
  });

  it('a ClusterIP service gets no ingress', () => {
    expect(admit(txnOf(SINGLE), svc()).status).toBeUndefined();
  });
});

describe('updates', () => {
  it('an update that keeps its values is not refused by its own holdings', () => {
    const ipam = new Ipam(SINGLE);
    const t1 = ipam.fork();
    const created = admit(
      t1,
      svc({ spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [aServicePort()] } }),
    );
    ipam.change(undefined, created); // committed
    const next = { ...created, metadata: { ...created.metadata, labels: { tier: 'front' } } };
    const t2 = ipam.fork();
    const out = admit(t2, next, created);
    expect(out.spec.clusterIPs).toEqual(created.spec.clusterIPs);
    expect(out.spec.ports).toEqual(created.spec.ports);
    expect(out.spec.healthCheckNodePort).toBe(created.spec.healthCheckNodePort);
    expect(out.status).toEqual(created.status);
    // Recording the update leaves the counts as they were.
    expect(t2.usage()).toEqual(ipam.usage());
  });

  it('LoadBalancer -> ClusterIP clears the load balancer status and gives the address back', () => {
    const ipam = new Ipam(SINGLE);
    const created = admit(ipam.fork(), svc({ spec: { type: 'LoadBalancer' } }));
    expect(created.status?.loadBalancer?.ingress).toEqual([{ ip: '172.18.255.1', ipMode: 'VIP' }]);
    ipam.change(undefined, created);
    const t = ipam.fork();
    const next: Service = {
      ...created,
      spec: {
        ...created.spec,
        type: 'ClusterIP',
        ports: created.spec.ports!.map(({ nodePort: _n, ...p }) => p),
      },
    };
    const out = admit(t, next, created);
    expect(out.status?.loadBalancer).toEqual({});
    expect(t.usage().find((u) => u.name === 'load-balancer')!.allocated).toBe(0);
    expect(t.usage().find((u) => u.name === 'node-port')!.allocated).toBe(0);
  });

  it('an update that adds a port allocates only the new one', () => {
    const ipam = new Ipam(SINGLE);
    const created = admit(ipam.fork(), svc({ spec: { type: 'NodePort' } }));
    ipam.change(undefined, created);
    const next: Service = {
      ...created,
      spec: { ...created.spec, ports: [...created.spec.ports!, aServicePort({ name: 'https', port: 443 })] },
    };
    const out = admit(ipam.fork(), next, created);
    expect(out.spec.ports!.map((p) => p.nodePort)).toEqual([30086, 30087]);
  });

  it('an update adding the same port number over UDP gets its own nodePort (sharing is only on create)', () => {
    const ipam = new Ipam(SINGLE);
    const dnsPort = (protocol: 'TCP' | 'UDP') =>
      aServicePort({ name: `dns-${protocol.toLowerCase()}`, port: 53, protocol });
    const created = admit(ipam.fork(), svc({ spec: { type: 'NodePort', ports: [dnsPort('TCP')] } }));
    ipam.change(undefined, created);
    const next: Service = {
      ...created,
      spec: { ...created.spec, ports: [...created.spec.ports!, dnsPort('UDP')] },
    };
    const out = admit(ipam.fork(), next, created);
    expect(out.spec.ports!.map((p) => p.nodePort)).toEqual([30086, 30087]);
    // On create the two share one.
    const both = admit(
      new Ipam(SINGLE).fork(),
      svc({ spec: { type: 'NodePort', ports: [dnsPort('TCP'), dnsPort('UDP')] } }),
    );
    expect(both.spec.ports!.map((p) => p.nodePort)).toEqual([30086, 30086]);
  });

  it('dual-stack -> single-stack: setting only the policy keeps the primary and releases the secondary', () => {
    const ipam = new Ipam(DUAL);
    const created = admit(ipam.fork(), svc({ spec: { ipFamilyPolicy: 'PreferDualStack' } }));
    expect(created.spec.clusterIPs).toEqual([V4, V6]);
    ipam.change(undefined, created);
    const next: Service = { ...created, spec: { ...created.spec, ipFamilyPolicy: 'SingleStack' } };
    const t = ipam.fork();
    const out = admit(t, next, created);
    expect(out.spec).toMatchObject({
      clusterIP: V4,
      clusterIPs: [V4],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(t.usage().find((u) => u.name === 'service-ipv6')!.allocated).toBe(0);
  });

  it('shortening clusterIPs or ipFamilies without SingleStack is refused', () => {
    const ipam = new Ipam(DUAL);
    const created = admit(ipam.fork(), svc({ spec: { ipFamilyPolicy: 'PreferDualStack' } }));
    ipam.change(undefined, created);
    const next: Service = {
      ...created,
      spec: { ...created.spec, clusterIPs: [V4], ipFamilies: ['IPv4'] },
    };
    const err = thrownDomainError(() => admitService(next, created, { ipam: ipam.fork() }));
    expect(err.message).toBe(
      'Service "web" is invalid: [spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be \'SingleStack\' to release the secondary cluster IP, spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be \'SingleStack\' to release the secondary IP family]',
    );
  });

  it('a value held by another service is still refused on update', () => {
    const ipam = new Ipam(SINGLE);
    const t = ipam.fork();
    const a = admit(t, svc({ metadata: { name: 'a' }, spec: { type: 'NodePort' } }));
    const b = admit(t, svc({ metadata: { name: 'b' }, spec: { type: 'NodePort' } }));
    ipam.change(undefined, a);
    ipam.change(undefined, b);
    const next: Service = {
      ...b,
      spec: { ...b.spec, ports: [{ ...b.spec.ports![0]!, nodePort: a.spec.ports![0]!.nodePort }] },
    };
    const err = thrownDomainError(() => admitService(next, b, { ipam: ipam.fork() }));
    expect(err.message).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30086: provided port is already allocated',
    );
  });
});
