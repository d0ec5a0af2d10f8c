/**
 * Pods left waiting by an earlier write, taken up again when the cluster changes under them, as the
 * scheduler's retry queue and kubelet's sandbox retries do. Runs inside each write, after planning and
 * before the EndpointSlice controller, so a pod that starts running joins its Services' slices in the
 * same commit.
 *
 * Waiting means one of the two states pod admission leaves a pod in (pod-admission.ts), or the same
 * state from a real cluster's snapshot:
 * - unscheduled: no spec.nodeName, condition PodScheduled=False with reason Unschedulable;
 * - bound without a sandbox: spec.nodeName set, no pod IP, condition PodReadyToStartContainers=False
 *   with reason FailedCreatePodSandBox (the node did not exist, had no podCIDR, or its range was full).
 *
 * What wakes them:
 * - a Node added or changed (a new node, a podCIDR assigned, a taint or spec.unschedulable lifted):
 *   every waiting pod is tried again;
 * - a pod deleted or finished (Succeeded, Failed) on a node: that node's pods waiting for an address.
 * A deleted Node wakes nobody (the pods bound to it are pod garbage collection's, not modelled).
 *
 * Order: the scheduler's queue order, spec.priority (highest first), then creationTimestamp, then
 * namespace and name. Each pod goes through the same admission as a new one, so it sees the addresses
 * and node counts of the batch and of the pods taken up before it. An unscheduled pod that now fits a
 * node is bound to it even when the node has no address left (it then waits for one, as a real pod
 * whose sandbox cannot be created does). A pod whose state does not move is left as it is (its
 * condition's message is not rewritten); it was tried in the batch's address book fork,
 * so that commit moves the book write by write instead of adopting the fork (Ipam.adopt declines).
 * Pods the batch itself writes are not taken up: they were admitted against the batch's nodes already.
 */
import { isTerminal, namespaceOf, podIPs, type KubeObject, type Pod } from '../model/types.js';
import { OverlayView, type Admission, type PlannedWrite, type StateView } from '../resources/lifecycle.js';

type WaitingReason = 'unscheduled' | 'no-sandbox';

/** Why a pod is waiting, or undefined when it is not. */
export function waitingReason(p: Pod): WaitingReason | undefined {
  if (isTerminal(p)) return undefined;
  const conditions = p.status?.conditions ?? [];
  if (!p.spec.nodeName) {
    return conditions.some(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    )
      ? 'unscheduled'
      : undefined;
  }
  if (podIPs(p).length > 0) return undefined;
  return conditions.some(
    (c) =>
      c.type === 'PodReadyToStartContainers' && c.status === 'False' && c.reason === 'FailedCreatePodSandBox',
  )
    ? 'no-sandbox'
    : undefined;
}

/**
 * The writes that take waiting pods up again after `writes` (planned against `base`), admitted through
 * the batch's `admission`. Empty when nothing in the batch can wake a pod.
 */
export function admitWaitingPods(
  base: StateView & { unordered(kind: 'Pod'): Iterable<Pod> },
  writes: readonly PlannedWrite[],
  admission: Admission,
): PlannedWrite[] {
  let anyNode = false;
  const freed = new Set<string>(); // nodes a pod of the batch left or stopped running on
  for (const w of writes) {
    const o = w.object;
    if (o.kind === 'Node') {
      if (w.type !== 'DELETED') anyNode = true;
    } else if (o.kind === 'Pod') {
      const was = w.previous?.kind === 'Pod' ? w.previous : undefined;
      const left = w.type === 'DELETED' ? o : was && was.spec.nodeName !== o.spec.nodeName ? was : undefined;
      if (left?.spec.nodeName) freed.add(left.spec.nodeName);
      if (w.type !== 'DELETED' && isTerminal(o) && o.spec.nodeName) freed.add(o.spec.nodeName);
    }
  }
  if (!anyNode && freed.size === 0) return [];

  let candidates: Pod[] = [];
  // Unordered: a sorted list of every pod would cost more than the rest of a pod's delete.
  for (const p of base.unordered('Pod')) {
    const why = waitingReason(p);
    if (why && (anyNode || (why === 'no-sandbox' && freed.has(p.spec.nodeName!)))) candidates.push(p);
  }
  if (candidates.length === 0) return [];
  // Keyed only now: an import writes thousands of pods and usually finds nobody waiting.
  const inBatch = new Set<string>();
  for (const w of writes) if (w.object.kind === 'Pod') inBatch.add(podKey(w.object));
  candidates = candidates.filter((p) => !inBatch.has(podKey(p))).sort(queueOrder);

  const view = new OverlayView(base);
  for (const w of writes) view.record(w);
  const out: PlannedWrite[] = [];
  for (const pod of candidates) {
    // Admitted as new (no previous): admission keeps what kubelet reported on the previous object,
    // which here is the very state being retried. The write is still an update of the stored pod.
    const admitted = admission.admit({ type: 'MODIFIED', object: retryInput(pod) }, view).object as Pod;
    // Written when it moved on: running, or bound to a node that has no address for it yet (the
    // scheduler binds without looking at addresses; kubelet then fails to create the sandbox).
    if (waitingReason(admitted) === waitingReason(pod)) continue;
    const w: PlannedWrite = { type: 'MODIFIED', object: admitted, previous: pod };
    view.record(w);
    out.push(w);
  }
  return out;
}

/** The pod as admission should see it again: without the status the failed attempt wrote. */
function retryInput(p: Pod): Pod {
  const status: Record<string, unknown> = { ...p.status };
  delete status.conditions;
  if (status.phase === 'Pending') delete status.phase;
  if (p.spec.nodeName) {
    // The node may have appeared or changed since: its addresses are taken afresh.
    delete status.hostIP;
    delete status.hostIPs;
  }
  return { ...p, status: status as Pod['status'] };
}

const podKey = (p: KubeObject) => `${namespaceOf(p)}/${p.metadata.name}`;

function queueOrder(a: Pod, b: Pod): number {
  const pa = (a.spec as { priority?: number }).priority ?? 0;
  const pb = (b.spec as { priority?: number }).priority ?? 0;
  if (pa !== pb) return pb - pa;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = podKey(a);
  const kb = podKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
