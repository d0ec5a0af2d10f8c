/**
 * The cluster of the kube-proxy rules bench: nodes, namespaces, Services and their EndpointSlices as
 * objects (no Pods: the rule set reads Services, EndpointSlices and the node only). Deterministic: the
 * same size gives the same objects, and the service mix is fixed by the service's index modulo 100, so
 * the first N services of a larger cluster have the same proportions as a cluster of N.
 *
 * Per 100 services (index % 100):
 * - 80 ClusterIP, 12 NodePort, 8 LoadBalancer (one ingress IP from 198.18.0.0/15 each);
 * - externalTrafficPolicy Local on a quarter of the NodePort and LoadBalancer ones (3 + 2), the
 *   LoadBalancer ones with a healthCheckNodePort;
 * - loadBalancerSourceRanges on 1 LoadBalancer;
 * - sessionAffinity ClientIP (timeout 10800 s) on 5 (4 ClusterIP, 1 NodePort).
 * One TCP port per Service (80, 443, 8080, 9090 or 5432, named), targetPort 8080; NodePorts from
 * 30000 up, in index order (a Service that finds the range used up stays ClusterIP).
 *
 * Endpoints: `endpoints` ready ones per Service in one slice labelled kubernetes.io/service-name, each
 * on a node drawn at random (seeded) among `nodes`; node-00 is the node the rules are built for, so
 * about 1/nodes of the endpoints are local. Pod IPs come from the node's /20 of the cluster CIDR
 * 10.128.0.0/12; ClusterIPs from the service CIDR 10.96.0.0/12, from 10.96.1.0 up.
 */
import type { EndpointSlice, KubeObject, Namespace, Node, Service } from '../../src/domain/model/types.js';

export const CLUSTER_CIDR = '10.128.0.0/12';
export const SERVICE_CIDR = '10.96.0.0/12';
export const BENCH_NODE = 'node-00';

export interface RulesClusterSize {
  readonly services: number;
  readonly endpoints: number;
  readonly nodes: number;
  readonly namespaces: number;
}

export interface ServiceMix {
  clusterIP: number;
  nodePort: number;
  loadBalancer: number;
  externalLocal: number;
  sourceRanges: number;
  affinity: number;
  /** Endpoints on the bench node. */
  localEndpoints: number;
  /** Services with at least one endpoint on the bench node. */
  servicesWithLocal: number;
}

export interface RulesCluster {
  readonly objects: KubeObject[];
  readonly mix: ServiceMix;
}

const PORTS = [
  { name: 'http', port: 80 },
  { name: 'https', port: 443 },
  { name: 'web', port: 8080 },
  { name: 'grpc', port: 9090 },
  { name: 'postgres', port: 5432 },
];
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
/** Addresses in one node's /20 (less network, gateway and broadcast). */
const POD_SLOTS = 4096 - 3;

/** Dotted IPv4 of a 32-bit number. */
function ipv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
const CLUSTER_BASE = (10 << 24) | (128 << 16);
const SERVICE_BASE = (10 << 24) | (96 << 16);
const LB_BASE = (198 << 24) | (18 << 16);

/** mulberry32: a small seeded PRNG, so every run generates the same endpoints. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const nodeName = (n: number): string => `node-${String(n).padStart(2, '0')}`;

export function generateRulesCluster(size: RulesClusterSize): RulesCluster {
  const rand = prng(0x71e5);
  const objects: KubeObject[] = [];
  const mix: ServiceMix = {
    clusterIP: 0,
    nodePort: 0,
    loadBalancer: 0,
    externalLocal: 0,
    sourceRanges: 0,
    affinity: 0,
    localEndpoints: 0,
    servicesWithLocal: 0,
  };

  for (let n = 0; n < size.nodes; n++) {
    const name = nodeName(n);
    const podCIDR = `${ipv4(CLUSTER_BASE + n * 4096)}/20`;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
      spec: { podCIDR, podCIDRs: [podCIDR] },
      status: {
        addresses: [
          { type: 'InternalIP', address: `172.18.${(n + 2) >> 8}.${(n + 2) & 255}` },
          { type: 'Hostname', address: name },
        ],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      },
    };
    objects.push(node);
  }
  const nsName = (i: number) => `team-${String(i).padStart(3, '0')}`;
  for (let i = 0; i < size.namespaces; i++) {
    const ns: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: nsName(i), labels: { 'kubernetes.io/metadata.name': nsName(i) } },
    };
    objects.push(ns);
  }

  const podsOnNode = new Array<number>(size.nodes).fill(0);
  let nextNodePort = NODE_PORT_MIN;
  const takeNodePort = (): number | undefined => (nextNodePort <= NODE_PORT_MAX ? nextNodePort++ : undefined);

  for (let i = 0; i < size.services; i++) {
    const b = i % 100;
    const ns = nsName(i % size.namespaces);
    const name = `svc-${String(i).padStart(5, '0')}`;
    const port = PORTS[i % PORTS.length]!;
    let type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' =
      b < 80 ? 'ClusterIP' : b < 92 ? 'NodePort' : 'LoadBalancer';
    const local = (type === 'NodePort' && b % 4 === 0) || (type === 'LoadBalancer' && b % 4 === 0);
    // A NodePort (and the health check of a Local LoadBalancer) from the range, while it lasts.
    let nodePort: number | undefined;
    let healthCheckNodePort: number | undefined;
    if (type !== 'ClusterIP') {
      nodePort = takeNodePort();
      if (nodePort !== undefined && type === 'LoadBalancer' && local) {
        healthCheckNodePort = takeNodePort();
        if (healthCheckNodePort === undefined) nodePort = undefined;
      }
      if (nodePort === undefined) type = 'ClusterIP';
    }
    const affinity = i % 20 === 7;
    const sourceRanges = type === 'LoadBalancer' && b === 99;
    const clusterIP = ipv4(SERVICE_BASE + 256 + i);
    mix[type === 'ClusterIP' ? 'clusterIP' : type === 'NodePort' ? 'nodePort' : 'loadBalancer']++;
    if (type !== 'ClusterIP' && local) mix.externalLocal++;
    if (sourceRanges) mix.sourceRanges++;
    if (affinity) mix.affinity++;

    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels: { app: name } },
      spec: {
        type,
        selector: { app: name },
        clusterIP,
        clusterIPs: [clusterIP],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          {
            name: port.name,
            port: port.port,
            targetPort: 8080,
            protocol: 'TCP',
            ...(nodePort !== undefined ? { nodePort } : {}),
          },
        ],
        ...(type !== 'ClusterIP' ? { externalTrafficPolicy: local ? 'Local' : 'Cluster' } : {}),
        ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
        ...(sourceRanges ? { loadBalancerSourceRanges: ['192.0.2.0/24', '198.51.100.0/24'] } : {}),
        ...(affinity
          ? { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }
          : { sessionAffinity: 'None' }),
      },
      ...(type === 'LoadBalancer'
        ? { status: { loadBalancer: { ingress: [{ ip: ipv4(LB_BASE + i) }] } } }
        : {}),
    };
    objects.push(svc);

    let withLocal = false;
    const endpoints = [];
    for (let e = 0; e < size.endpoints; e++) {
      const node = Math.floor(rand() * size.nodes);
      const slot = podsOnNode[node]!++;
      if (slot >= POD_SLOTS) throw new Error(`${nodeName(node)}'s /20 is full: lower BENCH_SCALE`);
      if (node === 0) {
        mix.localEndpoints++;
        withLocal = true;
      }
      endpoints.push({
        addresses: [ipv4(CLUSTER_BASE + node * 4096 + 2 + slot)],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: nodeName(node),
      });
    }
    if (withLocal) mix.servicesWithLocal++;
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-${((i * 2654435761) >>> 0).toString(36).slice(0, 5)}`,
        namespace: ns,
        labels: {
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
      },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: port.name, port: 8080, protocol: 'TCP' }],
    };
    objects.push(slice);
  }
  return { objects, mix };
}
