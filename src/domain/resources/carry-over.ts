/**
 * On update the API server keeps what it allocated when the new body leaves it out (so `kubectl apply`
 * of a manifest without clusterIP or nodePort does not try to change them): a Service keeps its
 * clusterIP(s) and IP families, each port keeps its nodePort (matched by port name, unless another port
 * in the new body already uses that number), and healthCheckNodePort is kept. Upstream:
 * pkg/registry/core/service/storage (patchAllocatedValues).
 */
import type { KubeObject, Service } from '../model/types.js';

const needsClusterIP = (s: Service) => (s.spec.type ?? 'ClusterIP') !== 'ExternalName';
const needsNodePort = (s: Service) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
const needsHealthCheckNodePort = (s: Service) =>
  s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';

function carryOverService(next: Service, old: Service): Service {
  let spec = { ...next.spec };
  if (needsClusterIP(old) && needsClusterIP(next)) {
    if (!spec.clusterIP && old.spec.clusterIP) spec = { ...spec, clusterIP: old.spec.clusterIP };
    if ((spec.clusterIPs ?? []).length === 0 && (old.spec.clusterIPs ?? []).length > 0) {
      spec = { ...spec, clusterIPs: old.spec.clusterIPs };
      if (!spec.ipFamilies && old.spec.ipFamilies) spec = { ...spec, ipFamilies: old.spec.ipFamilies };
      if (!spec.ipFamilyPolicy && old.spec.ipFamilyPolicy)
        spec = { ...spec, ipFamilyPolicy: old.spec.ipFamilyPolicy };
    }
  }
  if (needsNodePort(old) && needsNodePort(next) && spec.ports) {
    const usedNew = new Set(spec.ports.map((p) => p.nodePort).filter((n): n is number => !!n));
    const byName = new Map((old.spec.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
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
    old.spec.healthCheckNodePort
  ) {
    spec = { ...spec, healthCheckNodePort: old.spec.healthCheckNodePort };
  }
  return { ...next, spec };
}

export function carryOverAllocated<T extends KubeObject>(next: T, old: KubeObject): T {
  if (next.kind === 'Service' && old.kind === 'Service') return carryOverService(next, old) as T;
  return next;
}
