/**
 * On update the API server keeps what it allocated when the new body leaves it out (so `kubectl apply`
 * of a manifest without clusterIP or nodePort does not try to change them): a Service keeps its
 * clusterIP(s) and IP families, each port keeps its nodePort (matched by port name, unless another port
 * in the new body already uses that number), and healthCheckNodePort is kept. Upstream:
 * pkg/registry/core/service/storage (patchAllocatedValues).
 *
 * A type change also drops what only the old type used (dropTypeDependentFields below), and a
 * Namespace keeps its finalizers and status (prepareNamespaceUpdate).
 */
import {
  effectivePodCIDRs,
  type KubeObject,
  type Namespace,
  type Node,
  type Pod,
  type Service,
} from '../model/types.js';

type Spec = Service['spec'];
// A body without spec decodes to the zero value: treat it as an empty spec, never a crash.
const specOf = (s: Service): Spec => s.spec ?? ({} as Spec);
const typeOf = (s: Service) => specOf(s).type ?? 'ClusterIP';
const needsClusterIP = (s: Service) => typeOf(s) !== 'ExternalName';
const needsNodePort = (s: Service) => typeOf(s) === 'NodePort' || typeOf(s) === 'LoadBalancer';
const needsHealthCheckNodePort = (s: Service) =>
  typeOf(s) === 'LoadBalancer' && specOf(s).externalTrafficPolicy === 'Local';
/** Reachable from outside the cluster: NodePort, LoadBalancer, or any type with externalIPs. */
const externallyAccessible = (s: Service) =>
  typeOf(s) === 'NodePort' || typeOf(s) === 'LoadBalancer' || (specOf(s).externalIPs ?? []).length > 0;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function carryOverService(next: Service, old: Service): Service {
  let spec = { ...specOf(next) };
  if (needsClusterIP(old) && needsClusterIP(next)) {
    if (!spec.clusterIP && specOf(old).clusterIP) spec = { ...spec, clusterIP: specOf(old).clusterIP };
    if ((spec.clusterIPs ?? []).length === 0 && (specOf(old).clusterIPs ?? []).length > 0) {
      spec = { ...spec, clusterIPs: specOf(old).clusterIPs };
      if (!spec.ipFamilies && specOf(old).ipFamilies) spec = { ...spec, ipFamilies: specOf(old).ipFamilies };
      if (!spec.ipFamilyPolicy && specOf(old).ipFamilyPolicy)
        spec = { ...spec, ipFamilyPolicy: specOf(old).ipFamilyPolicy };
    }
  }
  if (needsNodePort(old) && needsNodePort(next) && spec.ports) {
    const usedNew = new Set(spec.ports.map((p) => p.nodePort).filter((n): n is number => !!n));
    const byName = new Map((specOf(old).ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    spec = {
      ...spec,
      ports: spec.ports.map((p) => {
        if (p.nodePort) return p;
        const prev = byName.get(p.name ?? '');
        return prev && !usedNew.has(prev) ? { ...p, nodePort: prev } : p;
      }),
    };
  }
  if (
    needsHealthCheckNodePort(old) &&
    needsHealthCheckNodePort(next) &&
    !spec.healthCheckNodePort &&
    specOf(old).healthCheckNodePort
  ) {
    spec = { ...spec, healthCheckNodePort: specOf(old).healthCheckNodePort };
  }
  return { ...next, spec };
}

/**
 * When an update makes a field unneeded (a type change; externalTrafficPolicy leaving Local), it is
 * dropped, but only if the body left it as it was (a merge patch of `type` alone keeps them). An explicit new value stays
 * and meets validation. Upstream: pkg/registry/core/service/strategy.go (dropTypeDependentFields).
 */
function dropTypeDependentFields(next: Service, old: Service): Service {
  // No early return on an unchanged type: upstream checks each field's own need, so turning
  // externalTrafficPolicy from Local to Cluster drops the health-check port too.
  const o = specOf(old);
  let spec = { ...specOf(next) };
  const drop = (...keys: (keyof Spec)[]) => {
    const copy: Record<string, unknown> = { ...spec };
    for (const k of keys) copy[k] = undefined;
    spec = JSON.parse(JSON.stringify(copy)) as Spec;
  };
  if (needsClusterIP(old) && !needsClusterIP(next)) {
    if (same(spec.clusterIP, o.clusterIP) && same(spec.clusterIPs, o.clusterIPs))
      drop('clusterIP', 'clusterIPs');
    if (same(spec.ipFamilies, o.ipFamilies)) drop('ipFamilies');
    if (same(spec.ipFamilyPolicy, o.ipFamilyPolicy)) drop('ipFamilyPolicy');
  }
  if (needsNodePort(old) && !needsNodePort(next) && spec.ports) {
    const oldPorts = o.ports ?? [];
    const unchanged =
      spec.ports.length === oldPorts.length &&
      spec.ports.every((p, i) => same(p.nodePort, oldPorts[i]?.nodePort));
    if (unchanged) spec = { ...spec, ports: spec.ports.map(({ nodePort: _drop, ...p }) => p) };
  }
  if (
    needsHealthCheckNodePort(old) &&
    !needsHealthCheckNodePort(next) &&
    same(spec.healthCheckNodePort, o.healthCheckNodePort)
  ) {
    drop('healthCheckNodePort');
  }
  if (typeOf(old) === 'LoadBalancer' && typeOf(next) !== 'LoadBalancer') {
    if (same(spec.allocateLoadBalancerNodePorts, o.allocateLoadBalancerNodePorts))
      drop('allocateLoadBalancerNodePorts');
    if (same(spec.loadBalancerClass, o.loadBalancerClass)) drop('loadBalancerClass');
  }
  if (
    externallyAccessible(old) &&
    !externallyAccessible({ ...next, spec }) &&
    same(spec.externalTrafficPolicy, o.externalTrafficPolicy)
  ) {
    drop('externalTrafficPolicy');
  }
  if (
    typeOf(next) === 'ExternalName' &&
    typeOf(old) !== 'ExternalName' &&
    same(spec.internalTrafficPolicy, o.internalTrafficPolicy)
  ) {
    drop('internalTrafficPolicy');
  }
  return { ...next, spec };
}

/**
 * A Namespace's finalizers and status change only through its own subresources: an update keeps the
 * stored ones (upstream namespaceStrategy.PrepareForUpdate).
 */
function prepareNamespaceUpdate(next: Namespace, old: Namespace): Namespace {
  const spec = { ...next.spec, finalizers: old.spec?.finalizers };
  return { ...next, spec, status: old.status };
}

/**
 * A Pod is bound through its binding subresource, not its body: an update that leaves spec.nodeName out
 * (a manifest applied again) keeps the node the pod was bound to. Likewise a Node keeps the podCIDRs the
 * range allocator gave it.
 */
function keepBinding(next: Pod, old: Pod): Pod {
  if (next.spec?.nodeName || !old.spec?.nodeName) return next;
  return { ...next, spec: { ...next.spec, nodeName: old.spec.nodeName } };
}

function keepPodCidrs(next: Node, old: Node): Node {
  if (effectivePodCIDRs(next.spec).length > 0 || effectivePodCIDRs(old.spec).length === 0) return next;
  return { ...next, spec: { ...next.spec, podCIDR: old.spec?.podCIDR, podCIDRs: old.spec?.podCIDRs } };
}

export function prepareForUpdate<T extends KubeObject>(next: T, old: KubeObject): T {
  if (next.kind === 'Pod' && old.kind === 'Pod') return keepBinding(next, old) as T;
  if (next.kind === 'Node' && old.kind === 'Node') return keepPodCidrs(next, old) as T;
  if (next.kind === 'Namespace' && old.kind === 'Namespace') return prepareNamespaceUpdate(next, old) as T;
  if (next.kind === 'Service' && old.kind === 'Service') {
    return dropTypeDependentFields(carryOverService(next, old), old) as T;
  }
  return next;
}
