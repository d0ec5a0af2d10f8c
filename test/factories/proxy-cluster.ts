/**
 * Clusters for the kube-proxy renderer specs (src/domain/proxy). `upstreamOverallCluster` rebuilds
 * the inputs of kube-proxy's own "overall rules" tests (TestOverallIPTablesRules /
 * TestOverallNFTablesRules): node `test-node` with IP 192.168.0.2, cluster CIDR 10.0.0.0/8, service
 * CIDR 172.30.0.0/16, and six services svc1..svc6, so the specs can compare the rendered text with
 * the text upstream expects.
 */
import type { EndpointSlice, KubeObject, Service } from '../../src/domain/model/types.js';
import { buildRuleSet, type ProxyOptions, type ProxyRuleSet } from '../../src/domain/proxy/service-ports.js';
import { ClusterState } from '../../src/domain/state/cluster-state.js';
import type { IPFamily } from '../../src/domain/net/ip.js';
import { aNamespace, aNode, deepMerge, type DeepPartial } from './objects.js';

export const TEST_NODE = 'test-node';
export const UPSTREAM_OPTIONS: ProxyOptions = {
  clusterCidrs: ['10.0.0.0/8', 'fd00:10::/64'],
  serviceCidrs: ['172.30.0.0/16', 'fd00:10:96::/112'],
  // Upstream's fake proxiers set the mark text directly; a real kube-proxy writes 0x00004000.
  masqueradeMark: '0x4000',
};

export function stateOf(...objects: KubeObject[]): ClusterState {
  const s = new ClusterState();
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n));
  s.applyChanges(
    [
      ...[...namespaces].map((name) => aNamespace({ metadata: { name } })),
      aNode({
        metadata: { name: TEST_NODE, labels: { 'kubernetes.io/hostname': TEST_NODE } },
        status: {
          addresses: [
            { type: 'InternalIP', address: '192.168.0.2' },
            { type: 'InternalIP', address: '2001:db8::1' },
          ],
        },
      }),
      ...objects,
    ].map((object) => ({ type: 'ADDED' as const, object })),
    1,
  );
  return s;
}

/** A Service `ns/name` with one port `p80` (TCP 80) unless `spec.ports` says otherwise. */
export function proxyService(ns: string, name: string, o: DeepPartial<Service> = {}): Service {
  return deepMerge<Service>(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { type: 'ClusterIP', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }] },
    },
    o,
  );
}

export interface EndpointSpec {
  readonly ip: string;
  readonly node?: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

/** One EndpointSlice for `ns/svc` with port `p80` (TCP `port`) and the given endpoints. */
export function proxySlice(
  ns: string,
  svc: string,
  endpoints: readonly (string | EndpointSpec)[],
  o: {
    port?: number;
    portName?: string;
    protocol?: 'TCP' | 'UDP' | 'SCTP';
    family?: IPFamily;
    name?: string;
  } = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: o.name ?? `${svc}-${o.family === 6 ? 'v6' : 'v4'}`,
      namespace: ns,
      labels: { 'kubernetes.io/service-name': svc },
    },
    addressType: o.family === 6 ? 'IPv6' : 'IPv4',
    endpoints: endpoints.map((e) => {
      const spec: EndpointSpec = typeof e === 'string' ? { ip: e } : e;
      const conditions: { ready?: boolean; serving?: boolean; terminating?: boolean } = {};
      if (spec.ready !== undefined) conditions.ready = spec.ready;
      if (spec.serving !== undefined) conditions.serving = spec.serving;
      if (spec.terminating !== undefined) conditions.terminating = spec.terminating;
      return {
        addresses: [spec.ip],
        conditions,
        ...(spec.node ? { nodeName: spec.node } : {}),
      };
    }),
    ports: [{ name: o.portName ?? 'p80', port: o.port ?? 80, protocol: o.protocol ?? 'TCP' }],
  };
}

/**
 * The six services of upstream's overall-rules tests:
 * - svc1: ClusterIP 172.30.0.41, endpoint 10.180.0.1 (local).
 * - svc2: LoadBalancer 172.30.0.42, NodePort 3001, LB 1.2.3.4, external IP 192.168.99.22,
 *   `externalTrafficPolicy: Local`, health-check NodePort 30000; endpoint 10.180.0.2 on another node.
 * - svc3: NodePort 172.30.0.43, NodePort 3003; endpoint 10.180.0.3 (local).
 * - svc4: NodePort-typed 172.30.0.44 with external IP 192.168.99.33 and no NodePort; endpoints
 *   10.180.0.4 (other node) and 10.180.0.5 (local).
 * - svc5: LoadBalancer 172.30.0.45, NodePort 3002, LB 5.6.7.8, source range 203.0.113.0/25 (written
 *   with a leading space, as upstream does), ClientIP affinity; endpoint 10.180.0.3 (local).
 * - svc6: ClusterIP 172.30.0.46 without endpoints.
 */
export function upstreamOverallObjects(): KubeObject[] {
  const local = (ip: string): EndpointSpec => ({ ip, node: TEST_NODE });
  const remote = (ip: string): EndpointSpec => ({ ip, node: 'other-node' });
  return [
    proxyService('ns1', 'svc1', { spec: { clusterIP: '172.30.0.41', clusterIPs: ['172.30.0.41'] } }),
    proxySlice('ns1', 'svc1', [local('10.180.0.1')]),
    proxyService('ns2', 'svc2', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.42',
        clusterIPs: ['172.30.0.42'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
        externalIPs: ['192.168.99.22'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 30000,
      },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    }),
    proxySlice('ns2', 'svc2', [remote('10.180.0.2')]),
    proxyService('ns3', 'svc3', {
      spec: {
        type: 'NodePort',
        clusterIP: '172.30.0.43',
        clusterIPs: ['172.30.0.43'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3003 }],
      },
    }),
    proxySlice('ns3', 'svc3', [local('10.180.0.3')]),
    proxyService('ns4', 'svc4', {
      spec: {
        type: 'NodePort',
        clusterIP: '172.30.0.44',
        clusterIPs: ['172.30.0.44'],
        externalIPs: ['192.168.99.33'],
      },
    }),
    proxySlice('ns4', 'svc4', [remote('10.180.0.4'), local('10.180.0.5')]),
    proxyService('ns5', 'svc5', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.45',
        clusterIPs: ['172.30.0.45'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
        // Set, but not used: only a Local external policy has a health check.
        healthCheckNodePort: 30000,
        loadBalancerSourceRanges: [' 203.0.113.0/25'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        externalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    }),
    proxySlice('ns5', 'svc5', [local('10.180.0.3')]),
    proxyService('ns6', 'svc6', { spec: { clusterIP: '172.30.0.46', clusterIPs: ['172.30.0.46'] } }),
  ];
}

export function ruleSetOf(
  objects: readonly KubeObject[],
  family: IPFamily = 4,
  opts: Partial<ProxyOptions> = {},
): ProxyRuleSet {
  return buildRuleSet(stateOf(...objects), TEST_NODE, family, { ...UPSTREAM_OPTIONS, ...opts });
}
