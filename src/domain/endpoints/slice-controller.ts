/**
 * The EndpointSlice controller, run inside each write (pkg/controller/endpointslice and
 * staging/src/k8s.io/endpointslice): for every Service a batch touches (the Service itself, a pod its
 * selector matches before or after, or one of its managed slices) the slices are recomputed and the
 * difference becomes more writes of the same commit, so a read right after the write sees them.
 *
 * Which pods: the Service's namespace, its selector, not terminal (phase Failed or Succeeded, whatever
 * the pod's restartPolicy, as current upstream judges it), with an address; a pod on a node that does not exist
 * only when the Service publishes not-ready addresses. Conditions: serving = the pod is Ready,
 * terminating = it has a deletionTimestamp, ready = publishNotReadyAddresses or (serving and not
 * terminating). Endpoints are grouped by address family (the Service's ipFamilies) and by the set of
 * ports they resolve to (a named targetPort is looked up per pod), at most 100 per slice.
 *
 * Packing follows the upstream reconciler (reconcileByPortMapping): endpoints stay in the slice they are
 * in, and a slice that loses all of its endpoints is deleted; slices with changes are filled first;
 * then, while endpoints are left, a remainder smaller than one slice goes into the unchanged slice it
 * fills closest to full, else a new slice takes up to a slice's worth; new slices reuse the names of
 * slices about to be deleted; a Service
 * with no endpoints of a family keeps one empty placeholder slice of it. Differences from upstream,
 * for determinism: endpoints new to a slice are added in pod-name order (upstream: map order), and
 * ports keep the Service's order (upstream: hash order). The last-change-trigger-time annotation is not
 * written. Services without a selector and ExternalName services are left alone; their slices are
 * whatever users apply.
 */
import {
  isSidecar,
  isTerminal,
  namespaceOf,
  podIPs,
  type ContainerPort,
  type Endpoint,
  type EndpointPort,
  type EndpointSlice,
  type KubeObject,
  type Node,
  type ObjectMeta,
  type Pod,
  type Service,
  type ServicePort,
} from '../model/types.js';
import { fromServiceSelector, matches, type Selector } from '../labels/selector.js';
import { parseIP } from '../net/ip.js';
import { canonicalJson } from '../resources/json.js';
import type { PlannedWrite } from '../resources/lifecycle.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceControllerEnv {
  readonly now: string;
  readonly newUid: () => string;
  readonly randomSuffix: () => string;
  readonly maxEndpointsPerSlice?: number;
}

type AddressType = 'IPv4' | 'IPv6';

// ---- the pure parts -----------------------------------------------------------------------------------

export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * ShouldPodBeInEndpoints(pod, includeTerminating = true): a pod with an address that has not finished.
 * A terminal pod (Failed or Succeeded) is out whatever its restartPolicy, as in current upstream (older
 * versions kept a Failed pod with restartPolicy Always).
 */
export function shouldPodBeInEndpoints(p: Pod): boolean {
  return podIPs(p).length > 0 && !isTerminal(p);
}

/** FindPort: a number is itself; a name is the first container port of that name and protocol. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  // The containers, then the sidecars (init containers that keep running); loops rather than a merged
  // list: this runs for every pod and port of every Service a batch touches.
  for (const c of pod.spec.containers) {
    const port = namedPort(c.ports, target, protocol);
    if (port !== undefined) return port;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const port = namedPort(c.ports, target, protocol);
    if (port !== undefined) return port;
  }
  return undefined;
}

function namedPort(
  ports: readonly ContainerPort[] | undefined,
  name: string,
  protocol: string,
): number | undefined {
  if (!ports) return undefined;
  for (const cp of ports)
    if (cp.name === name && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  return undefined;
}

export function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const sps = svc.spec.ports ?? [];
  return portsFor(
    sps,
    sps.map((sp) => findPort(pod, sp)),
  );
}

/** The slice ports for the Service's ports resolved to `numbers` (undefined: not resolved, left out). */
function portsFor(sps: readonly ServicePort[], numbers: readonly (number | undefined)[]): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (let i = 0; i < sps.length; i++) {
    const port = numbers[i];
    if (port === undefined) continue;
    const sp = sps[i]!;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) (ep as { appProtocol?: string }).appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

export function addressTypesOf(svc: Service): AddressType[] {
  const fams = (svc.spec.ipFamilies ?? []).filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  if (fams.length) return fams;
  const ip = svc.spec.clusterIP;
  if (!ip || ip === 'None') return ['IPv4', 'IPv6'];
  return [parseIP(ip)?.family === 6 ? 'IPv6' : 'IPv4'];
}

export function podToEndpoint(pod: Pod, svc: Service, node: Node | undefined, address: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec.publishNotReadyAddresses || (serving && !terminating);
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  const hostname =
    pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && namespaceOf(pod) === namespaceOf(svc)
      ? pod.spec.hostname
      : undefined;
  // The optional fields assigned in place of spreads (one endpoint per pod and Service), same key order.
  const e: { -readonly [K in keyof Endpoint]: Endpoint[K] } = {
    addresses: [address],
    conditions: { ready, serving, terminating },
  };
  if (hostname) e.hostname = hostname;
  if (pod.spec.nodeName) e.nodeName = pod.spec.nodeName;
  if (zone) e.zone = zone;
  e.targetRef = { kind: 'Pod', namespace: namespaceOf(pod), name: pod.metadata.name, uid: pod.metadata.uid };
  return e;
}

function familyAddress(ips: readonly string[], type: AddressType): string | undefined {
  const want = type === 'IPv6' ? 6 : 4;
  for (const ip of ips) if (parseIP(ip)?.family === want) return ip;
  return undefined;
}

export interface DesiredGroup {
  readonly addressType: AddressType;
  readonly ports: readonly EndpointPort[];
  readonly endpoints: Endpoint[];
}

/** The endpoints a Service should have, grouped by address type and resolved port set. */
export function desiredGroups(
  svc: Service,
  pods: readonly Pod[],
  nodeOf: (name: string) => Node | undefined,
): DesiredGroup[] {
  const groups = new Map<string, DesiredGroup>();
  const types = addressTypesOf(svc);
  const sorted = [...pods].sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  );
  // A pod's ports differ from another's only in the numbers its named target ports resolve to, so
  // those numbers key the group; the EndpointPort list is built once per group (this runs per pod).
  const sps = svc.spec.ports ?? [];
  const numbers: (number | undefined)[] = new Array<number | undefined>(sps.length);
  for (const pod of sorted) {
    // shouldPodBeInEndpoints, with the addresses kept for the families below.
    const ips = podIPs(pod);
    if (ips.length === 0 || isTerminal(pod)) continue;
    const node = pod.spec.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
    if (!node && !svc.spec.publishNotReadyAddresses) continue;
    let portKey = '';
    for (let i = 0; i < sps.length; i++) {
      const n = findPort(pod, sps[i]!);
      numbers[i] = n;
      portKey += n === undefined ? '-,' : `${n},`;
    }
    for (const type of types) {
      const addr = familyAddress(ips, type);
      if (!addr) continue;
      const key = type + portKey;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType: type, ports: portsFor(sps, numbers), endpoints: [] }));
      g.endpoints.push(podToEndpoint(pod, svc, node, addr));
    }
  }
  return [...groups.values()];
}

export function sliceLabels(svc: Service): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    // isReservedLabelKey: the controller sets these itself.
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL) continue;
    out[k] = v;
  }
  out[SERVICE_NAME_LABEL] = svc.metadata.name;
  out[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  if (!svc.spec.clusterIP || svc.spec.clusterIP === 'None') out[HEADLESS_LABEL] = '';
  return out;
}

const epKey = (e: Endpoint) =>
  `${e.targetRef?.namespace}/${e.targetRef?.name}|${[...e.addresses].sort().join(',')}|${e.hostname ?? ''}`;
/**
 * Equal content, whatever the key order: a slice imported from a real cluster is written in Go's field
 * order, and comparing JSON text rewrote every such slice although nothing had changed.
 */
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
/** Port sets compare as sets (upstream hashes them sorted): a slice listing them in another order is the same. */
const samePorts = (a: readonly EndpointPort[], b: readonly EndpointPort[]) =>
  a.length === b.length && sortedJson(a) === sortedJson(b);
const sortedJson = (ports: readonly EndpointPort[]) =>
  ports
    .map((p) => canonicalJson(p))
    .sort()
    .join();

function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some(
    (r) => r.kind === 'Service' && r.apiVersion === 'v1' && r.uid === svc.metadata.uid,
  );
}

interface SlicePlan {
  readonly existing?: EndpointSlice;
  readonly addressType: AddressType;
  ports: readonly EndpointPort[];
  endpoints: Endpoint[];
  dirty: boolean;
}

/**
 * The slice writes that take a Service's current slices (those it manages) to the desired groups.
 * `existing` are the slices labelled with the service's name and this controller.
 */
export function reconcileService(
  svc: Service,
  existing: readonly EndpointSlice[],
  desired: readonly DesiredGroup[],
  env: SliceControllerEnv,
  nameTaken: (name: string) => boolean,
): PlannedWrite[] {
  const max = env.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const labels = sliceLabels(svc);
  const ownerReferences = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      name: svc.metadata.name,
      uid: svc.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const types = addressTypesOf(svc);
  const writes: PlannedWrite[] = [];
  const toDelete: EndpointSlice[] = [];
  const byType = new Map<AddressType, EndpointSlice[]>();
  for (const s of [...existing].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    if (!ownedBy(s, svc) || !types.includes(s.addressType as AddressType)) toDelete.push(s);
    else {
      const t = s.addressType as AddressType;
      byType.set(t, [...(byType.get(t) ?? []), s]);
    }
  }
  const plans: SlicePlan[] = [];
  for (const type of types) {
    const slices = byType.get(type) ?? [];
    const groups = desired.filter((g) => g.addressType === type);
    const typePlans: SlicePlan[] = [];
    const spare: EndpointSlice[] = [];
    for (const g of groups) {
      const want = new Map(g.endpoints.map((e) => [epKey(e), e]));
      const mine = slices.filter((s) => samePorts(s.ports ?? [], g.ports));
      const groupPlans: SlicePlan[] = [];
      /** Slices whose endpoints did not change (labels neither): the ones a small remainder may join. */
      const unchanged: SlicePlan[] = [];
      for (const s of mine) {
        const kept: Endpoint[] = [];
        let endpointsChanged = false;
        for (const e of s.endpoints ?? []) {
          const k = epKey(e);
          const d = want.get(k);
          if (d) {
            kept.push(d);
            if (!same(d, e)) endpointsChanged = true;
            want.delete(k);
          } else endpointsChanged = true;
        }
        if (endpointsChanged && kept.length === 0) {
          // Every endpoint it held is gone: upstream deletes it (a new slice may take its name).
          spare.push(s);
          continue;
        }
        const labelsChanged =
          !same(s.metadata.labels ?? {}, labels) || !same(s.metadata.ownerReferences ?? [], ownerReferences);
        const plan: SlicePlan = {
          existing: s,
          addressType: type,
          ports: g.ports,
          endpoints: kept,
          dirty: endpointsChanged || labelsChanged,
        };
        groupPlans.push(plan);
        if (!plan.dirty) unchanged.push(plan);
      }
      const rest = [...want.values()];
      // Slices with changes first, fullest first.
      for (const p of groupPlans
        .filter((p) => p.dirty)
        .sort((a, b) => b.endpoints.length - a.endpoints.length)) {
        while (rest.length && p.endpoints.length < max) p.endpoints.push(rest.shift()!);
      }
      // Then, while endpoints are left: a remainder smaller than a slice goes into the unchanged slice
      // it fills closest to full, if one has room; otherwise a new slice takes up to a slice's worth.
      while (rest.length) {
        let fill: SlicePlan | undefined;
        if (rest.length < max) {
          fill = unchanged
            .filter((p) => p.endpoints.length + rest.length <= max)
            .sort((a, b) => b.endpoints.length - a.endpoints.length)[0];
        }
        if (fill) {
          unchanged.splice(unchanged.indexOf(fill), 1);
          fill.dirty = true;
        } else {
          fill = { addressType: type, ports: g.ports, endpoints: [], dirty: true };
          groupPlans.push(fill);
        }
        while (rest.length && fill.endpoints.length < max) fill.endpoints.push(rest.shift()!);
      }
      for (const p of groupPlans) typePlans.push(p);
    }
    // Slices of port sets no group has any more.
    for (const s of slices) if (!groups.some((g) => samePorts(s.ports ?? [], g.ports))) spare.push(s);
    if (typePlans.length === 0) {
      // The placeholder: one empty slice per address type; an existing empty one is kept as it is.
      const keep = spare.find((s) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0);
      const reuse = keep ?? spare[0];
      if (reuse) spare.splice(spare.indexOf(reuse), 1);
      const unchanged =
        keep &&
        same(keep.metadata.labels ?? {}, labels) &&
        same(keep.metadata.ownerReferences ?? [], ownerReferences);
      typePlans.push({ existing: reuse, addressType: type, ports: [], endpoints: [], dirty: !unchanged });
    }
    // New slices take the names of slices about to be deleted (finalize in upstream's reconciler).
    for (const p of typePlans) {
      if (!p.existing && spare.length) {
        (p as { existing?: EndpointSlice }).existing = spare.shift();
      }
    }
    toDelete.push(...spare);
    plans.push(...typePlans);
  }
  const generated = new Set<string>();
  for (const p of plans) {
    if (!p.dirty) continue;
    if (p.existing) {
      const s = p.existing;
      const object: EndpointSlice = {
        ...s,
        metadata: { ...s.metadata, labels, ownerReferences, generation: (s.metadata.generation ?? 1) + 1 },
        addressType: p.addressType,
        endpoints: p.endpoints,
        ports: p.ports,
      };
      writes.push({ type: 'MODIFIED', object, previous: s });
    } else {
      const prefix = `${svc.metadata.name}-`.slice(0, 58);
      let name = `${prefix}${env.randomSuffix()}`;
      while (nameTaken(name) || generated.has(name)) name = `${prefix}${env.randomSuffix()}`;
      generated.add(name);
      const meta: ObjectMeta = {
        name,
        generateName: `${svc.metadata.name}-`,
        namespace: namespaceOf(svc),
        uid: env.newUid(),
        creationTimestamp: env.now,
        generation: 1,
        labels,
        ownerReferences,
      };
      writes.push({
        type: 'ADDED',
        object: {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: meta,
          addressType: p.addressType,
          endpoints: p.endpoints,
          ports: p.ports,
        },
      });
    }
  }
  for (const s of toDelete) writes.push({ type: 'DELETED', object: s, previous: s });
  return writes;
}

// ---- the batch driver ---------------------------------------------------------------------------------

const MANAGED = fromServiceSelector({ [MANAGED_BY_LABEL]: CONTROLLER_NAME });
/** Parsed selectors per stored Service object (objects are immutable, so the cache cannot go stale). */
const SELECTORS = new WeakMap<Service, Selector | null>();

/**
 * The slice writes a batch of planned writes calls for. `base` is the committed state; the batch's own
 * writes are laid over it.
 */
export function reconcileEndpointSlices(
  base: ClusterSnapshot,
  writes: readonly PlannedWrite[],
  env: SliceControllerEnv,
): PlannedWrite[] {
  if (writes.length === 0) return [];
  // The batch's last word per object: kind -> namespace -> name -> object (null: deleted). Nested maps
  // rather than a composite key string per write and per lookup, which cost more than the lookups.
  const batch = new Map<string, Map<string, Map<string, KubeObject | null>>>();
  for (const w of writes) {
    const o = w.object;
    const ns = namespaceOf(o);
    let byNs = batch.get(o.kind);
    if (!byNs) batch.set(o.kind, (byNs = new Map()));
    let names = byNs.get(ns);
    if (!names) byNs.set(ns, (names = new Map()));
    names.set(o.metadata.name, w.type === 'DELETED' ? null : o);
  }
  const get = <T extends KubeObject>(kind: T['kind'], ns: string, name: string): T | undefined => {
    const b = batch.get(kind)?.get(ns)?.get(name);
    if (b !== undefined) return (b ?? undefined) as T | undefined;
    return base.get(kind, ns, name) as T | undefined;
  };
  const listCache = new Map<string, Map<string, KubeObject[]>>();
  const listIn = <T extends KubeObject>(kind: T['kind'], ns: string): T[] => {
    let byNs = listCache.get(kind);
    if (!byNs) listCache.set(kind, (byNs = new Map()));
    let out = byNs.get(ns);
    if (!out) {
      const over = batch.get(kind)?.get(ns);
      out = base.list(kind, { namespace: ns }).filter((o) => !over?.has(o.metadata.name)) as KubeObject[];
      for (const o of over?.values() ?? []) if (o) out.push(o);
      byNs.set(ns, out);
    }
    return out as T[];
  };

  // Which services to look at.
  const affected = new Set<string>(); // "ns/name"
  const selectorOf = (svc: Service) => {
    let sel = SELECTORS.get(svc);
    if (sel === undefined) {
      const raw = svc.spec.selector;
      sel = raw && Object.keys(raw).length > 0 ? fromServiceSelector(raw) : null;
      SELECTORS.set(svc, sel);
    }
    return sel;
  };
  // Services per namespace indexed by one label of their selector (a Service selector is a map of
  // equalities, so a pod can only match services indexed under one of its own labels).
  const byLabel = new Map<string, Map<string, Map<string, Service[]>>>();
  const indexOf = (ns: string) => {
    let idx = byLabel.get(ns);
    if (!idx) {
      idx = new Map();
      for (const svc of listIn<Service>('Service', ns)) {
        const sel = svc.spec.selector;
        if (!sel || !selectorOf(svc)) continue;
        const key = Object.keys(sel)[0]!;
        let values = idx.get(key);
        if (!values) idx.set(key, (values = new Map()));
        const list = values.get(sel[key]!);
        if (list) list.push(svc);
        else values.set(sel[key]!, [svc]);
      }
      byLabel.set(ns, idx);
    }
    return idx;
  };
  /** Services of the namespace whose selector matches any of these label sets. */
  const touch = (ns: string, ...labelSets: (KubeObject['metadata']['labels'] | undefined)[]) => {
    const idx = indexOf(ns);
    if (idx.size === 0) return;
    for (const labels of labelSets) {
      if (!labels) continue;
      for (const k in labels) {
        const candidates = idx.get(k)?.get(labels[k]!);
        if (!candidates) continue;
        for (const svc of candidates)
          if (matches(selectorOf(svc)!, labels)) affected.add(`${ns}/${svc.metadata.name}`);
      }
    }
  };
  // A node's coming, going or zone change alters its pods' endpoints (zone; a pod on a missing node
  // is left out), so the services of the pods bound to it are looked at too.
  const nodesChanged = new Set<string>();
  for (const w of writes) {
    if (w.object.kind !== 'Node') continue;
    const zone = (o?: KubeObject) => o?.metadata.labels?.[ZONE_LABEL];
    if (w.type !== 'MODIFIED' || zone(w.previous) !== zone(w.object))
      nodesChanged.add(w.object.metadata.name);
  }
  if (nodesChanged.size > 0) {
    const seen = new Set<string>();
    const consider = (p: Pod) => {
      if (p.spec.nodeName && nodesChanged.has(p.spec.nodeName)) touch(namespaceOf(p), p.metadata.labels);
    };
    // Pods written in this batch are looked at below anyway; here only the stored ones.
    for (const w of writes)
      if (w.object.kind === 'Pod') seen.add(`${namespaceOf(w.object)}/${w.object.metadata.name}`);
    for (const p of base.list('Pod')) if (!seen.has(`${namespaceOf(p)}/${p.metadata.name}`)) consider(p);
  }
  for (const w of writes) {
    const o = w.object;
    const ns = namespaceOf(o);
    if (o.kind === 'Service') affected.add(`${ns}/${o.metadata.name}`);
    else if (o.kind === 'EndpointSlice') {
      const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && o.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) affected.add(`${ns}/${svc}`);
    } else if (o.kind === 'Pod') {
      touch(ns, o.metadata.labels, w.previous?.metadata.labels);
    }
  }

  // Pods per namespace by label and value, so a Service finds its candidates without a scan.
  const podIndex = new Map<string, Map<string, Map<string, Pod[]>>>();
  const podIndexOf = (ns: string) => {
    let idx = podIndex.get(ns);
    if (!idx) {
      idx = new Map();
      for (const p of listIn<Pod>('Pod', ns)) {
        const labels = p.metadata.labels;
        for (const k in labels) {
          let values = idx.get(k);
          if (!values) idx.set(k, (values = new Map()));
          const list = values.get(labels[k]!);
          if (list) list.push(p);
          else values.set(labels[k]!, [p]);
        }
      }
      podIndex.set(ns, idx);
    }
    return idx;
  };

  const out: PlannedWrite[] = [];
  const newNames = new Set<string>();
  for (const id of [...affected].sort()) {
    const slash = id.indexOf('/');
    const ns = id.slice(0, slash);
    const name = id.slice(slash + 1);
    const existing = listIn<EndpointSlice>('EndpointSlice', ns).filter(
      (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && matches(MANAGED, s.metadata.labels),
    );
    const svc = get<Service>('Service', ns, name);
    if (!svc) {
      // Garbage collection of the slices a deleted Service owned.
      for (const s of existing)
        if (s.metadata.ownerReferences?.some((r) => r.kind === 'Service' && r.name === name))
          out.push({ type: 'DELETED', object: s, previous: s });
      continue;
    }
    if ((svc.spec.type ?? 'ClusterIP') === 'ExternalName') continue;
    const parsed = selectorOf(svc);
    if (!parsed) continue;
    const sel = svc.spec.selector!;
    const firstKey = Object.keys(sel)[0]!;
    const candidates = podIndexOf(ns).get(firstKey)?.get(sel[firstKey]!) ?? [];
    const pods = candidates.filter((p) => matches(parsed, p.metadata.labels));
    const desired = desiredGroups(svc, pods, (n) => get<Node>('Node', '', n));
    const taken = (n: string) => newNames.has(`${ns}/${n}`) || !!get<EndpointSlice>('EndpointSlice', ns, n);
    const ws = reconcileService(svc, existing, desired, env, taken);
    for (const w of ws) if (w.type === 'ADDED') newNames.add(`${ns}/${w.object.metadata.name}`);
    out.push(...ws);
  }
  return out;
}
