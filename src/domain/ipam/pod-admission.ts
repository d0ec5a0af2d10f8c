/**
 * What a cluster does to a new Pod after the API server stores it, done inside the same write because
 * netmodel has no scheduler or kubelet: bind it to a node, give it addresses, and report it Running.
 *
 * Scheduling (a documented, deterministic stand-in for kube-scheduler): the nodes that pass the filters
 * upstream applies to these fields (spec.unschedulable, NoSchedule/NoExecute taints against the pod's
 * tolerations, nodeSelector; a node whose Ready condition is not True carries the not-ready taint the
 * node lifecycle controller adds) are scored by how many non-terminal pods they run; the fewest wins,
 * ties go to the node whose name sorts first. No node fits: the pod stays Pending with upstream's
 * Unschedulable condition and message.
 *
 * Addresses, as a bridge CNI with host-local IPAM gives them: the lowest free address of each of the
 * node's podCIDRs (never the network address, the gateway .1 or the IPv4 broadcast); hostNetwork pods
 * share the node's InternalIP. Pinned status.podIP(s) are kept (and refused when another running pod of
 * the node's range holds them).
 */
import {
  effectivePodCIDRs,
  isTerminal,
  podIPs,
  type Labels,
  type Node,
  type Pod,
  type PodCondition,
  type PodIP,
} from '../model/types.js';
import { parseIP } from '../net/ip.js';
import { copyWith } from '../resources/json.js';
import { invalid, invalidObject, type FieldError } from '../validation/field-errors.js';
import { podPoolName, type IpamTxn } from './ipam.js';

export interface PodAdmissionEnv {
  readonly ipam: IpamTxn;
  /** A faster scheduler giving the same answers as schedule() (NodePicker); schedule() when absent. */
  readonly pick?: (pod: Pod) => ScheduleResult;
  readonly getNode: (name: string) => Node | undefined;
  /** All nodes, sorted by name. */
  readonly nodes: () => readonly Node[];
  readonly now: string;
}

interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

interface TaintLike {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** v1 helper ToleratesTaint: effect and key must match (empty matches any), then Exists or Equal value. */
export function tolerates(t: Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal') return false;
  if (!t.key) return false; // an empty key only goes with Exists
  return (t.value ?? '') === (taint.value ?? '');
}

const NOT_READY_TAINT: TaintLike = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

function isReady(n: Node): boolean {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  return !ready || ready.status === 'True';
}

function effectiveTaints(n: Node): TaintLike[] {
  const taints: TaintLike[] = [...(n.spec?.taints ?? [])];
  if (!isReady(n)) taints.push(NOT_READY_TAINT);
  return taints;
}

function matchesNodeSelector(sel: Labels | undefined, labels: Labels | undefined): boolean {
  for (const [k, v] of Object.entries(sel ?? {})) if (labels?.[k] !== v) return false;
  return true;
}

const UNSCHEDULABLE_TAINT: TaintLike = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * The reason a node does not fit, in upstream's words, or undefined when it fits. The filters run in
 * kube-scheduler's order (NodeUnschedulable, TaintToleration, NodeAffinity) and the first failure is
 * the node's reason.
 */
export function unfitReason(pod: Pod, node: Node): string | undefined {
  const tolerations = (pod.spec.tolerations ?? []) as unknown as readonly Toleration[];
  if (node.spec?.unschedulable && !tolerations.some((t) => tolerates(t, UNSCHEDULABLE_TAINT)))
    return 'node(s) were unschedulable';
  for (const taint of effectiveTaints(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) {
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    }
  }
  if (!matchesNodeSelector(pod.spec.nodeSelector, node.metadata.labels))
    return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

export type ScheduleResult = { node: Node } | { unschedulable: string };

const NO_NODES = 'no nodes available to schedule pods';

export function schedule(pod: Pod, env: PodAdmissionEnv): ScheduleResult {
  const nodes = env.nodes();
  if (nodes.length === 0) return { unschedulable: NO_NODES };
  let best: Node | undefined;
  let bestCount = Infinity;
  const reasons = new Map<string, number>();
  for (const n of nodes) {
    const why = unfitReason(pod, n);
    if (why) {
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
      continue;
    }
    const count = env.ipam.podCount(n.metadata.name);
    if (count < bestCount) {
      best = n;
      bestCount = count;
    }
  }
  if (best) return { node: best };
  return { unschedulable: unschedulableMessage(reasons, nodes.length) };
}

/**
 * schedule() for a whole batch: which nodes fit is worked out once per node set and per pod
 * signature (nodeSelector and tolerations, all the filters read), and pod counts sit in an array, so
 * placing a pod costs one pass over an Int32Array instead of the filters over every node.
 */
export class NodePicker {
  private readonly index = new Map<string, number>();
  private readonly counts: Int32Array;
  private readonly fits = new Map<string, { fit: Int32Array; reasons: Map<string, number> }>();

  constructor(
    private readonly nodes: readonly Node[],
    private readonly countOf: (node: string) => number,
  ) {
    this.counts = new Int32Array(nodes.length);
    nodes.forEach((n, i) => {
      this.index.set(n.metadata.name, i);
      this.counts[i] = countOf(n.metadata.name);
    });
  }

  /** Re-reads a node's pod count after a pod bound to it changed. */
  refresh(node: string | undefined): void {
    const i = node === undefined ? undefined : this.index.get(node);
    if (i !== undefined) this.counts[i] = this.countOf(node!);
  }

  pick(pod: Pod): ScheduleResult {
    const total = this.nodes.length;
    if (total === 0) return { unschedulable: NO_NODES };
    const key = JSON.stringify([pod.spec.nodeSelector ?? null, pod.spec.tolerations ?? null]);
    let f = this.fits.get(key);
    if (!f) {
      const fit: number[] = [];
      const reasons = new Map<string, number>();
      this.nodes.forEach((n, i) => {
        const why = unfitReason(pod, n);
        if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
        else fit.push(i);
      });
      f = { fit: Int32Array.from(fit), reasons };
      this.fits.set(key, f);
    }
    let best = -1;
    let bestCount = Infinity;
    const fit = f.fit;
    const counts = this.counts;
    for (let k = 0; k < fit.length; k++) {
      const i = fit[k]!;
      const c = counts[i]!;
      if (c < bestCount) {
        best = i;
        bestCount = c;
      }
    }
    if (best >= 0) return { node: this.nodes[best]! };
    return { unschedulable: unschedulableMessage(f.reasons, total) };
  }
}

function unschedulableMessage(reasons: ReadonlyMap<string, number>, total: number): string {
  const parts = [...reasons.entries()].map(([why, n]) => `${n} ${why}`).sort();
  return (
    `0/${total} nodes are available: ${parts.join(', ')}. ` +
    `preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`
  );
}

interface HostAddresses {
  readonly ips: readonly string[];
  readonly list: readonly PodIP[];
}
const NO_HOST: HostAddresses = { ips: [], list: [] };
/** A node's InternalIPs as hostIP(s) take them, worked out once per stored Node object. */
const HOSTS = new WeakMap<Node, HostAddresses>();

function hostAddresses(n: Node | undefined): HostAddresses {
  if (!n) return NO_HOST;
  let h = HOSTS.get(n);
  if (!h) {
    const ips = (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
    h = { ips, list: ips.map((ip) => ({ ip })) };
    HOSTS.set(n, h);
  }
  return h;
}

function condition(
  type: string,
  status: string,
  now: string,
  reason?: string,
  message?: string,
): PodCondition {
  // Assigned rather than spread (five per pod admitted without conditions): same keys, same order.
  const c: { -readonly [K in keyof PodCondition]: PodCondition[K] } = {
    type,
    status,
    lastTransitionTime: now,
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The conditions kubelet reports for a running, ready pod, in its order. */
function runningConditions(now: string): PodCondition[] {
  return ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((t) =>
    condition(t, 'True', now),
  );
}

export type WaitingReason = 'unscheduled' | 'no-sandbox';

const UNFIT_REASON =
  /^\d+ (?:node\(s\) were unschedulable|node\(s\) had untolerated taint \{[^{}]*\}|node\(s\) didn't match Pod's node affinity\/selector)$/;
const UNSCHEDULABLE_MESSAGE =
  /^0\/(\d+) nodes are available: (.+)\. preemption: 0\/\1 nodes are available: \1 Preemption is not helpful for scheduling\.$/;

/** Whether an Unschedulable message is one this module writes (not, say, a real scheduler's `Insufficient cpu`). */
function isOwnUnschedulableMessage(message: string | undefined): boolean {
  if (message === NO_NODES) return true;
  const m = message === undefined ? null : UNSCHEDULABLE_MESSAGE.exec(message);
  return !!m && m[2]!.split(', ').every((part) => UNFIT_REASON.test(part));
}

/**
 * Whether the pod is in one of the waiting states admission leaves a pod in, and which: unscheduled
 * (no node, `PodScheduled=False`, `Unschedulable`, with a message this module writes) or bound without
 * a sandbox (no address, `PodReadyToStartContainers=False`, `FailedCreatePodSandBox`). A snapshot's
 * Pending pod carries a real scheduler's or kubelet's words instead (kubelet gives that condition no
 * reason), and stays as its manifest says: netmodel does not model what kept it waiting (resources).
 */
export function waitingReason(p: Pod): WaitingReason | undefined {
  if (isTerminal(p)) return undefined;
  const conditions = p.status?.conditions;
  if (!conditions) return undefined;
  if (!p.spec.nodeName) {
    const c = conditions.find((x) => x.type === 'PodScheduled');
    return c?.status === 'False' && c.reason === 'Unschedulable' && isOwnUnschedulableMessage(c.message)
      ? 'unscheduled'
      : undefined;
  }
  if (podIPs(p).length > 0) return undefined;
  const c = conditions.find((x) => x.type === 'PodReadyToStartContainers');
  return c?.status === 'False' && c.reason === 'FailedCreatePodSandBox' ? 'no-sandbox' : undefined;
}

/**
 * On update, what kubelet reported stays unless the body says otherwise: a manifest applied again
 * without hostIPs or startTime (or without a status) does not make the pod start over. What a failed
 * attempt wrote (a waiting pod's phase and conditions) is not carried: the pod is tried again, and
 * keepTransitionTimes keeps the times of the conditions that come out the same.
 */
function keepReported(pod: Pod, old: Pod | undefined): Pod {
  const was = old?.status;
  if (!was || old.spec.nodeName !== pod.spec.nodeName || waitingReason(old)) return pod;
  const now = pod.status ?? {};
  return {
    ...pod,
    status: {
      ...now,
      ...(now.phase === undefined && was.phase !== undefined ? { phase: was.phase } : {}),
      ...(now.conditions === undefined && was.conditions ? { conditions: was.conditions } : {}),
      ...(now.hostIP === undefined && was.hostIP ? { hostIP: was.hostIP } : {}),
      ...(now.hostIPs === undefined && was.hostIPs ? { hostIPs: was.hostIPs } : {}),
      ...(now.startTime === undefined && was.startTime ? { startTime: was.startTime } : {}),
    },
  };
}

/**
 * kubelet's and the scheduler's rule for conditions they write again: a condition whose status did
 * not change keeps its lastTransitionTime, and one that did not change at all stays as it was. Applied
 * only to conditions admission made (not to a manifest's own).
 */
function keepTransitionTimes(pod: Pod, old: Pod | undefined): Pod {
  const before = old?.status?.conditions;
  const now = pod.status?.conditions;
  if (!before || !now || now === before) return pod;
  let same = now.length === before.length;
  const kept = now.map((c, i) => {
    const b = before.find((x) => x.type === c.type);
    if (!b || b.status !== c.status) {
      same = false;
      return c;
    }
    if (b.reason === c.reason && b.message === c.message) {
      if (before[i] !== b) same = false;
      return b;
    }
    same = false;
    return b.lastTransitionTime === undefined ? c : copyWith(c, { lastTransitionTime: b.lastTransitionTime });
  });
  return withStatus(pod, { conditions: same ? before : kept });
}

/**
 * The pod as admission should see it again when it is the waiting pod itself, tried again (a retry,
 * or an update whose body had no status, so the stored one came along): without what the failed
 * attempt wrote.
 */
function withoutFailedAttempt(p: Pod): Pod {
  const status = copyWith(p.status);
  delete status.conditions;
  if (status.phase === 'Pending') delete status.phase;
  if (p.spec.nodeName) {
    // The node may have appeared or changed since: its addresses are taken afresh.
    delete status.hostIP;
    delete status.hostIPs;
  }
  return copyWith(p, { status });
}

export function admitPod(input: Pod, old: Pod | undefined, env: PodAdmissionEnv): Pod {
  if (isTerminal(input)) return input;
  const retry = old !== undefined && input.status === old.status && waitingReason(old) !== undefined;
  const pod = retry ? withoutFailedAttempt(input) : keepReported(input, old);
  const admitted = admitBound(pod, old, env);
  // Conditions admission made this time (the manifest gave none, and none were carried over).
  return pod.status?.conditions === undefined ? keepTransitionTimes(admitted, old) : admitted;
}

function admitBound(input: Pod, old: Pod | undefined, env: PodAdmissionEnv): Pod {
  let pod = input;
  let nodeName = pod.spec.nodeName;
  if (!nodeName) {
    const result = env.pick ? env.pick(pod) : schedule(pod, env);
    if ('unschedulable' in result) {
      return withStatus(pod, {
        phase: pod.status?.phase ?? 'Pending',
        conditions: pod.status?.conditions ?? [
          condition('PodScheduled', 'False', env.now, 'Unschedulable', result.unschedulable),
        ],
      });
    }
    nodeName = result.node.metadata.name;
    pod = copyWith(pod, { spec: copyWith(pod.spec, { nodeName }) });
  }
  const node = env.getNode(nodeName);
  const host = hostAddresses(node);
  const hostIPs = host.ips;
  const hostFields = hostIPs.length
    ? { hostIP: pod.status?.hostIP ?? hostIPs[0], hostIPs: pod.status?.hostIPs ?? host.list }
    : {};

  let ips = podIPs(pod);
  let failure: string | undefined;
  if (ips.length > 0) {
    checkPinned(pod, ips, old, env);
  } else if (old && old.spec.nodeName === nodeName && podIPs(old).length > 0) {
    ips = podIPs(old); // a status update without addresses keeps the ones the pod has
  } else if (pod.spec.hostNetwork) {
    ips = hostIPs;
  } else if (node) {
    const got = allocate(node, env);
    if (typeof got === 'string') failure = got;
    else ips = got;
  }
  if (ips.length === 0) {
    const why =
      failure ??
      (node ? `node "${nodeName}" has no podCIDR to allocate from` : `node "${nodeName}" does not exist`);
    return withStatus(pod, {
      ...hostFields,
      phase: pod.status?.phase ?? 'Pending',
      conditions: pod.status?.conditions ?? [
        condition('PodReadyToStartContainers', 'False', env.now, 'FailedCreatePodSandBox', why),
        condition('Initialized', 'True', env.now),
        condition('Ready', 'False', env.now, 'ContainersNotReady', unready(pod)),
        condition('ContainersReady', 'False', env.now, 'ContainersNotReady', unready(pod)),
        condition('PodScheduled', 'True', env.now),
      ],
    });
  }
  // A pinned list is stored as it came; a new one is built.
  const given = pod.status?.podIPs;
  const podIPList: readonly PodIP[] =
    given && given.length === ips.length && given.every((p, i) => p.ip === ips[i])
      ? given
      : ips.map((ip) => ({ ip }));
  // The status fields assigned one by one rather than spread into a literal (the same keys in the same
  // order): a literal with a spread and more properties after it was the most expensive line of an
  // import's admission, as Node 20 adds each property after the spread the slow way.
  const was = pod.status;
  const status = copyWith(was);
  if (hostIPs.length) {
    status.hostIP = was?.hostIP ?? hostIPs[0];
    status.hostIPs = was?.hostIPs ?? host.list;
  }
  status.phase = was?.phase ?? 'Running';
  status.conditions = was?.conditions ?? runningConditions(env.now);
  status.podIP = ips[0];
  status.podIPs = podIPList;
  status.startTime = was?.startTime ?? env.now;
  return copyWith(pod, { status });
}

/** kubelet's message for containers that are not ready: `containers with unready status: [a b]`. */
function unready(pod: Pod): string {
  return `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]`;
}

function withStatus(pod: Pod, fields: NonNullable<Pod['status']>): Pod {
  // copyWith, not spreads: objects made by spread freeze slowly on Node 20 (resources/json.ts).
  return copyWith(pod, { status: copyWith(pod.status, fields) });
}

/** The lowest free address of each of the node's pod ranges (in spec.podCIDRs order), or why there is none. */
function allocate(node: Node, env: PodAdmissionEnv): string[] | string {
  const name = node.metadata.name;
  const cidrs = effectivePodCIDRs(node.spec);
  const out: string[] = [];
  const families = new Set<number>();
  for (const [index, cidr] of cidrs.entries()) {
    const family = cidr.includes(':') ? 6 : 4;
    if (families.has(family)) continue;
    families.add(family);
    const pool = env.ipam.pool(podPoolName(name, family));
    if (!pool) continue;
    const offset = pool.nextFree();
    if (offset < 0) {
      // host-local's words as kubelet reports them (FailedCreatePodSandBox): the range set runs from
      // network+1 (the gateway, which it skips) to the last usable address; the index is the range's.
      const first = pool.format(pool.valueAt(pool.def.lo - 1));
      const last = pool.format(pool.valueAt(pool.def.hi - 1));
      return `failed to allocate for range ${index}: no IP addresses available in range set: ${first}-${last}`;
    }
    out.push(pool.format(pool.valueAt(offset)));
  }
  return out;
}

function checkPinned(pod: Pod, ips: readonly string[], old: Pod | undefined, env: PodAdmissionEnv): void {
  if (pod.spec.hostNetwork) return;
  const nodeName = pod.spec.nodeName!;
  const mine = old ? env.ipam.heldBy(old) : [];
  const errors: FieldError[] = [];
  for (let i = 0; i < ips.length; i++) {
    const a = parseIP(ips[i]!);
    if (!a) continue;
    const pool = env.ipam.pool(podPoolName(nodeName, a.family));
    const offset = pool?.offsetOf(a.value);
    if (pool === undefined || offset === undefined || pool.taken.has(offset) === false) continue;
    if (mine.some((h) => h.pool === pool.def.name && h.offset === offset)) continue;
    errors.push(invalid(`status.podIPs[${i}].ip`, ips[i], 'provided IP is already allocated'));
  }
  if (errors.length) throw invalidObject('Pod', '', pod.metadata.name, errors);
}
