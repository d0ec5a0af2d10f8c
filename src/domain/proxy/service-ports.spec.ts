import { describe, expect, it } from '@jest/globals';
import {
  proxyService,
  proxySlice,
  ruleSetOf,
  stateOf,
  TEST_NODE,
  UPSTREAM_OPTIONS,
} from '../../../test/factories/proxy-cluster.js';
import { aNode } from '../../../test/factories/objects.js';
import type { EndpointSlice, KubeObject } from '../model/types.js';
import { buildRuleSet, type ProxyServicePort } from './service-ports.js';

const svc = proxyService('default', 'web', { spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } });
const only = (objects: KubeObject[]): ProxyServicePort => {
  const ports = ruleSetOf(objects).servicePorts.filter((p) => p.id === 'default/web:p80');
  expect(ports).toHaveLength(1);
  return ports[0]!;
};
const ips = (eps: readonly { endpoint: string }[]) => eps.map((e) => e.endpoint);

describe('buildRuleSet: what kube-proxy sees', () => {
  it('skips Services and slices that belong to another proxy (service.kubernetes.io/service-proxy-name)', () => {
    const other = proxyService('default', 'other', {
      metadata: { labels: { 'service.kubernetes.io/service-proxy-name': 'other-proxy' } },
      spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] },
    });
    const rs = ruleSetOf([other, proxySlice('default', 'other', ['10.244.1.5'])]);
    expect(rs.servicePorts.map((p) => p.id)).toEqual([]);
    const labelled: EndpointSlice = {
      ...proxySlice('default', 'web', ['10.244.1.6'], { name: 'web-other' }),
      metadata: {
        name: 'web-other',
        namespace: 'default',
        labels: {
          'kubernetes.io/service-name': 'web',
          'service.kubernetes.io/service-proxy-name': 'other-proxy',
        },
      },
    };
    expect(ips(only([svc, proxySlice('default', 'web', ['10.244.1.5']), labelled]).endpoints)).toEqual([
      '10.244.1.5:80',
    ]);
  });

  it('skips slice ports without a port number, or with 0', () => {
    const zero = { ...proxySlice('default', 'web', ['10.244.1.5']), ports: [{ name: 'p80', port: 0 }] };
    const none = { ...proxySlice('default', 'web', ['10.244.1.6'], { name: 'b' }), ports: [{ name: 'p80' }] };
    const sp = only([svc, zero, none]);
    expect(sp.endpoints).toEqual([]);
    expect(sp.hasEndpoints).toBe(false);
  });

  it('uses the first address, canonical, and skips endpoints without a parseable one', () => {
    const slice = proxySlice('default', 'web', [], { family: 6 });
    const v6 = proxyService('default', 'web', {
      spec: { clusterIP: 'fd00:10:96::a', clusterIPs: ['fd00:10:96::a'], ipFamilies: ['IPv6'] },
    });
    const withEndpoints: EndpointSlice = {
      ...slice,
      endpoints: [
        { addresses: ['FD00:10:244:0:0:0:0:5', 'fd00::9'] },
        { addresses: ['not-an-ip'] },
        { addresses: [] },
      ],
    };
    const rs = ruleSetOf([v6, withEndpoints], 6);
    expect(ips(rs.servicePorts[0]!.endpoints)).toEqual(['[fd00:10:244::5]:80']);
  });

  it('keeps the local copy of an endpoint listed in two slices', () => {
    const remoteReady = proxySlice('default', 'web', [{ ip: '10.244.1.5', node: 'node-2' }], { name: 'a' });
    const localNotReady = proxySlice(
      'default',
      'web',
      [{ ip: '10.244.1.5', node: TEST_NODE, ready: false }],
      {
        name: 'b',
      },
    );
    for (const order of [
      [remoteReady, localNotReady],
      [localNotReady, remoteReady],
    ]) {
      const sp = only([svc, ...order]);
      expect(sp.endpoints).toMatchObject([{ endpoint: '10.244.1.5:80', isLocal: true, ready: false }]);
    }
  });

  it('sorts endpoints by their ip:port text, as kube-proxy does', () => {
    const sp = only([svc, proxySlice('default', 'web', ['10.244.1.10', '10.244.1.9', '10.244.1.100'])]);
    expect(ips(sp.endpoints)).toEqual(['10.244.1.100:80', '10.244.1.10:80', '10.244.1.9:80']);
  });

  it('filters addresses to the family and trims and normalises source ranges', () => {
    const lb = proxyService('default', 'web', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10', 'fd00:10:96::a'],
        ipFamilies: ['IPv4', 'IPv6'],
        externalIPs: ['192.0.2.1', '2001:db8::1'],
        loadBalancerSourceRanges: [' 198.51.100.7/24', '2001:db8::/32'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }],
      },
      status: {
        loadBalancer: {
          ingress: [{ ip: '203.0.113.1' }, { ip: '2001:db8:1::1' }, { hostname: 'lb.example' }],
        },
      },
    });
    const v4 = ruleSetOf([lb]).servicePorts[0]!;
    expect(v4).toMatchObject({
      clusterIP: '10.96.0.10',
      externalIPs: ['192.0.2.1'],
      loadBalancerIPs: ['203.0.113.1'],
      loadBalancerSourceRanges: ['198.51.100.0/24'],
      nodePort: 30080,
    });
    const v6 = ruleSetOf([lb], 6).servicePorts[0]!;
    expect(v6).toMatchObject({
      clusterIP: 'fd00:10:96::a',
      externalIPs: ['2001:db8::1'],
      loadBalancerIPs: ['2001:db8:1::1'],
      loadBalancerSourceRanges: ['2001:db8::/32'],
    });
  });

  it('a /0 source range allows everyone: no ranges at all (kube-proxy 1.34+)', () => {
    const lb = proxyService('default', 'web', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        loadBalancerSourceRanges: ['10.0.0.0/8', '0.0.0.0/0'],
      },
    });
    expect(ruleSetOf([lb]).servicePorts[0]!.loadBalancerSourceRanges).toEqual([]);
  });

  it('the external policy is Local only for a port reachable from outside', () => {
    const local = (type: 'ClusterIP' | 'NodePort', extra: object = {}) =>
      proxyService('default', 'web', {
        spec: {
          type,
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          externalTrafficPolicy: 'Local',
          ...extra,
        },
      });
    expect(only([local('ClusterIP')]).externalPolicyLocal).toBe(false);
    expect(only([local('ClusterIP', { externalIPs: ['192.0.2.1'] })]).externalPolicyLocal).toBe(true);
    expect(
      only([local('NodePort', { ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }] })])
        .externalPolicyLocal,
    ).toBe(true);
  });

  it('defaults the affinity timeout to 10800 seconds', () => {
    const sticky = proxyService('default', 'web', {
      spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], sessionAffinity: 'ClientIP' },
    });
    expect(only([sticky]).affinitySeconds).toBe(10800);
    expect(only([svc]).affinitySeconds).toBe(0);
  });
});

describe('topology hints (topologyModeFromHints)', () => {
  const hinted = (ip: string, zone: string, node?: string) => ({
    addresses: [ip],
    conditions: { ready: true },
    hints: { forZones: [{ name: zone }], ...(node ? { forNodes: [{ name: node }] } : {}) },
  });
  const slice = (endpoints: EndpointSlice['endpoints']): EndpointSlice => ({
    ...proxySlice('default', 'web', []),
    endpoints,
  });
  const inZone = (zone: string | undefined, objects: KubeObject[]) => {
    const state = stateOf(...objects);
    state.applyChanges(
      [
        {
          type: 'MODIFIED',
          object: aNode({
            metadata: {
              name: TEST_NODE,
              labels: {
                'kubernetes.io/hostname': TEST_NODE,
                ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}),
              },
            },
            status: { addresses: [{ type: 'InternalIP', address: '192.168.0.2' }] },
          }),
        },
      ],
      2,
    );
    return buildRuleSet(state, TEST_NODE, 4, UPSTREAM_OPTIONS).servicePorts.find(
      (p) => p.id === 'default/web:p80',
    )!;
  };

  it('uses the endpoints hinted for this node zone when every ready endpoint has zone hints', () => {
    const sp = inZone('zone-a', [
      svc,
      slice([hinted('10.244.1.5', 'zone-a'), hinted('10.244.2.5', 'zone-b')]),
    ]);
    expect(ips(sp.clusterEndpoints)).toEqual(['10.244.1.5:80']);
    expect(ips(sp.endpoints)).toEqual(['10.244.1.5:80', '10.244.2.5:80']);
  });

  it('ignores zone hints when one ready endpoint has none, when none names the zone, or the node has no zone', () => {
    const partial = inZone('zone-a', [
      svc,
      slice([hinted('10.244.1.5', 'zone-a'), { addresses: ['10.244.2.5'], conditions: { ready: true } }]),
    ]);
    expect(ips(partial.clusterEndpoints)).toHaveLength(2);
    const elsewhere = inZone('zone-c', [
      svc,
      slice([hinted('10.244.1.5', 'zone-a'), hinted('10.244.2.5', 'zone-b')]),
    ]);
    expect(ips(elsewhere.clusterEndpoints)).toHaveLength(2);
    const noZone = inZone(undefined, [
      svc,
      slice([hinted('10.244.1.5', 'zone-a'), hinted('10.244.2.5', 'zone-b')]),
    ]);
    expect(ips(noZone.clusterEndpoints)).toHaveLength(2);
  });

  it('prefers node hints naming this node over zone hints', () => {
    const sp = inZone('zone-a', [
      svc,
      slice([hinted('10.244.1.5', 'zone-a', 'node-9'), hinted('10.244.1.6', 'zone-a', TEST_NODE)]),
    ]);
    expect(ips(sp.clusterEndpoints)).toEqual(['10.244.1.6:80']);
  });
});
