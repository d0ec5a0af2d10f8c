/**
 * The legacy v1 Endpoints view, computed from EndpointSlices the way the EndpointSlice mirroring and
 * the endpoints controller line them up: one Endpoints object per Service (named after it), subsets
 * grouping addresses that share the same port set, ready addresses in `addresses` and the rest in
 * `notReadyAddresses`, terminating endpoints left out unless the Service publishes not-ready addresses.
 * FQDN slices have no Endpoints counterpart and are left out. For a Service the controller manages, only
 * its primary family is listed (a dual-stack Service's v1 Endpoints are single-family) and the object
 * carries the Service's labels plus `service.kubernetes.io/headless` when headless (syncService).
 */
import {
  namespaceOf,
  type EndpointPort,
  type EndpointSlice,
  type ObjectMeta,
  type ObjectReference,
  type Service,
} from '../model/types.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';
import { canonicalJson } from '../resources/json.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export interface EndpointAddress {
  readonly ip: string;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly targetRef?: ObjectReference;
}

export interface EndpointSubset {
  readonly addresses?: readonly EndpointAddress[];
  readonly notReadyAddresses?: readonly EndpointAddress[];
  readonly ports?: readonly EndpointPort[];
}

export interface Endpoints {
  readonly apiVersion: 'v1';
  readonly kind: 'Endpoints';
  readonly metadata: ObjectMeta;
  readonly subsets?: readonly EndpointSubset[];
}

function byIp(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
}

/** Builds the Endpoints of one service from its slices (those labelled with its name). */
export function endpointsFromSlices(
  namespace: string,
  service: string,
  slices: readonly EndpointSlice[],
  publishNotReadyAddresses = false,
  opts: { readonly addressType?: 'IPv4' | 'IPv6'; readonly labels?: Readonly<Record<string, string>> } = {},
): Endpoints {
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  let latest = 0;
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    if (opts.addressType && s.addressType !== opts.addressType) continue;
    latest = Math.max(latest, Number(s.metadata.resourceVersion ?? 0));
    const ports = [...(s.ports ?? [])].map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    ports.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0));
    const key = canonicalJson(ports);
    let g = groups.get(key);
    if (!g) {
      g = { ports, ready: [], notReady: [] };
      groups.set(key, g);
    }
    for (const ep of s.endpoints ?? []) {
      // The endpoints controller leaves terminating pods out unless the service tolerates unready ones,
      // and a service that publishes not-ready addresses lists every address as ready.
      if (ep.conditions?.terminating === true && !publishNotReadyAddresses) continue;
      const ready = publishNotReadyAddresses || ep.conditions?.ready !== false;
      for (const ip of ep.addresses) {
        const addr: EndpointAddress = {
          ip,
          ...(ep.hostname ? { hostname: ep.hostname } : {}),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          ...(ep.targetRef ? { targetRef: ep.targetRef } : {}),
        };
        (ready ? g.ready : g.notReady).push(addr);
      }
    }
  }
  const subsets: EndpointSubset[] = [...groups.values()]
    .filter((g) => g.ready.length > 0 || g.notReady.length > 0)
    .map((g) => ({
      ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service,
      namespace,
      ...(opts.labels && Object.keys(opts.labels).length ? { labels: { ...opts.labels } } : {}),
      ...(latest ? { resourceVersion: String(latest) } : {}),
    },
    ...(subsets.length ? { subsets } : {}),
  };
}

/** A Service whose Endpoints the endpoints controller manages: it has a selector and is not ExternalName. */
function controllerManaged(svc: Service | undefined): boolean {
  return !!svc && svc.spec.type !== 'ExternalName' && Object.keys(svc.spec.selector ?? {}).length > 0;
}

function slicesOf(snap: ClusterSnapshot, namespace: string, name: string): EndpointSlice[] {
  return snap
    .list('EndpointSlice', { namespace })
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name);
}

/**
 * The Endpoints object a cluster would have under this name, or undefined: one exists for a Service
 * the controller manages (even with no addresses) and for any name EndpointSlices are labelled with.
 */
export function legacyEndpoints(
  snap: ClusterSnapshot,
  namespace: string,
  name: string,
): Endpoints | undefined {
  const svc = snap.get('Service', namespace, name);
  const slices = slicesOf(snap, namespace, name);
  if (!controllerManaged(svc)) {
    if (slices.length === 0) return undefined;
    return endpointsFromSlices(namespace, name, slices, svc?.spec.publishNotReadyAddresses === true);
  }
  return endpointsFromSlices(namespace, name, slices, svc!.spec.publishNotReadyAddresses === true, {
    addressType: primaryFamily(svc!),
    labels: endpointsLabels(svc!),
  });
}

/**
 * The one family the endpoints controller lists (podToEndpointAddressForService): the Service's first
 * ipFamily, else its ClusterIP's; a dual-stack Service's v1 Endpoints hold its primary family only.
 * Undefined (any family) for a headless Service without families, where upstream takes the pod's.
 */
function primaryFamily(svc: Service): 'IPv4' | 'IPv6' | undefined {
  const first = svc.spec.ipFamilies?.[0];
  if (first === 'IPv4' || first === 'IPv6') return first;
  const ip = svc.spec.clusterIP;
  if (!ip || ip === 'None') return undefined;
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The Service's labels, with `service.kubernetes.io/headless` set for a headless one (syncService). */
function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== HEADLESS_LABEL) labels[k] = v;
  if (svc.spec.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  return labels;
}

/** Every Endpoints object in a namespace (or all), sorted by namespace then name. */
export function listLegacyEndpoints(snap: ClusterSnapshot, namespace?: string): Endpoints[] {
  const keys = new Set<string>();
  for (const svc of snap.list('Service', { namespace })) {
    if (controllerManaged(svc)) keys.add(`${namespaceOf(svc)}\u0000${svc.metadata.name}`);
  }
  for (const s of snap.list('EndpointSlice', { namespace })) {
    const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (name) keys.add(`${namespaceOf(s)}\u0000${name}`);
  }
  return [...keys]
    .sort()
    .map((k) => k.split('\u0000') as [string, string])
    .map(([ns, name]) => legacyEndpoints(snap, ns, name)!);
}
