/**
 * Relations between objects, answered from the snapshot's indexes (no per-row lookups anywhere).
 * Policy selection here is only "which policies select this pod" (spec.podSelector in the pod's
 * namespace), the fact NetworkPolicy isolation starts from; verdicts belong to the policy engine.
 */
import { fromLabelSelector, matches } from '../labels/selector.js';
import { SERVICE_NAME_LABEL } from '../endpoints/legacy-endpoints.js';
import {
  namespaceOf,
  type EndpointSlice,
  type NetworkPolicy,
  type Node,
  type Pod,
  type Service,
} from '../model/types.js';
import type { ClusterSnapshot } from './cluster-state.js';

export function policiesSelectingPod(snap: ClusterSnapshot, pod: Pod): readonly NetworkPolicy[] {
  return snap
    .list('NetworkPolicy', { namespace: namespaceOf(pod) })
    .filter((np) => matches(fromLabelSelector(np.spec.podSelector), pod.metadata.labels));
}

export function podsSelectedByPolicy(snap: ClusterSnapshot, np: NetworkPolicy): readonly Pod[] {
  return snap.list('Pod', {
    namespace: namespaceOf(np),
    selector: fromLabelSelector(np.spec.podSelector),
  });
}

export function podsOnNode(snap: ClusterSnapshot, node: Node): readonly Pod[] {
  return snap.list('Pod').filter((p) => p.spec.nodeName === node.metadata.name);
}

export function slicesForService(snap: ClusterSnapshot, svc: Service): readonly EndpointSlice[] {
  return snap.list('EndpointSlice', {
    namespace: namespaceOf(svc),
    selector: { requirements: [{ key: SERVICE_NAME_LABEL, operator: '=', values: [svc.metadata.name] }] },
  });
}
