/**
 * Pods left waiting by an earlier write, taken up again when the cluster changes under them, as the
 * scheduler's retry queue and kubelet's sandbox retries do. Runs inside each write, after planning and
 * before the EndpointSlice controller, so a pod that starts running joins its Services' slices in the
 * same commit.
 *
 * Waiting means one of the two states pod admission leaves a pod in (waitingReason in
 * pod-admission.ts): unscheduled, or bound without a sandbox (the node did not exist, had no podCIDR,
 * or its range was full). A snapshot's Pending pod, in a real scheduler's or kubelet's words, is left
 * as its manifest says: what kept it waiting (resources, volumes...) is not modelled.
 *
 * What wakes them:
 * - a Node added, or changed where the scheduler or the addresses look (labels, taints,
 *   unschedulable, the Ready condition, podCIDRs, addresses): every waiting pod is tried again;
 * - a pod deleted or finished (Succeeded, Failed) on a node: that node's pods waiting for an address.
 * A deleted Node wakes nobody (the pods bound to it are pod garbage collection's, not modelled).
 *
 * Order: the scheduler's queue order, spec.priority (highest first), then creationTimestamp (upstream:
 * the time it was last queued), then namespace and name. Each pod goes through the same admission as
 * an update of the stored pod, so it sees the addresses and node counts of the batch and of the pods
 * taken up before it, and conditions whose status stays keep their lastTransitionTime.
 * - An unscheduled pod that now fits a node is bound to it even when the node has no address left
 *   (it then waits for one, as a real pod whose sandbox cannot be created does).
 * - A pod still waiting is written when its words change (the scheduler rewrites its message on each
 *   attempt), and left alone otherwise; tried in the batch's address book fork but not written, it makes
 *   that commit move the book write by write instead of adopting the fork (Ipam.adopt declines).
 * - A pod admission now refuses (a pinned address another pod took meanwhile) is left as it was.
 * Pods the batch itself writes are not taken up: they were admitted against the batch's nodes already.
 */
import { DomainError } from '../errors.js';
import { isTerminal, namespaceOf, type KubeObject, type Node, type Pod } from '../model/types.js';
import { canonicalJson } from '../resources/json.js';
import { OverlayView, type Admission, type PlannedWrite, type StateView } from '../resources/lifecycle.js';
import { waitingReason } from './pod-admission.js';

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
      if (w.type === 'ADDED' || (w.type === 'MODIFIED' && nodeChangeMatters(w.previous as Node, o)))
        anyNode = true;
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
    let w: PlannedWrite;
    try {
      // The stored pod itself as an update of itself: admission sees the waiting state and tries
      // again from scratch (pod-admission.ts, withoutFailedAttempt).
      w = admission.admit({ type: 'MODIFIED', object: pod, previous: pod }, view);
    } catch (e) {
      // A pod admission refuses now (a pinned address another pod took meanwhile) stays as it was:
      // it must not fail the write that happened to wake it.
      if (e instanceof DomainError) continue;
      throw e;
    }
    const admitted = w.object as Pod;
    // Written when anything moved: running now, bound to a node that has no address for it yet (the
    // scheduler binds without looking at addresses; kubelet then fails to create the sandbox), or
    // waiting with other words (the scheduler rewrites its message on each attempt; a condition whose
    // status stays keeps its lastTransitionTime).
    if (
      admitted.spec.nodeName === pod.spec.nodeName &&
      canonicalJson(admitted.status) === canonicalJson(pod.status)
    )
      continue;
    view.record(w);
    out.push(w);
  }
  return out;
}

/**
 * Whether a Node update can change what a waiting pod gets: what the scheduler's filters read (labels,
 * taints, unschedulable, the Ready condition behind the not-ready taint) and what addresses come from
 * (podCIDRs, addresses). Upstream's queueing hints make the same cut; a new annotation wakes nobody.
 */
function nodeChangeMatters(before: Node | undefined, after: Node): boolean {
  if (!before) return true;
  const cut = (n: Node) =>
    canonicalJson([
      n.metadata.labels,
      n.spec?.taints,
      n.spec?.unschedulable,
      n.spec?.podCIDR,
      n.spec?.podCIDRs,
      n.status?.addresses,
      n.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    ]);
  return cut(before) !== cut(after);
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
