/**
 * API-server defaulting (pkg/apis/core/v1/defaults.go, networking/v1, discovery/v1) for the fields the
 * network model reads. withDefaults returns a new object and never mutates its input; it is idempotent.
 * Addresses (clusterIPs, ipFamilies, nodePorts, podCIDRs) are not defaults: IPAM assigns them.
 */
import type {
  Container,
  ContainerPort,
  EndpointSlice,
  IngressClass,
  KubeObject,
  Namespace,
  NetworkPolicy,
  NetworkPolicyPort,
  Pod,
  Service,
  ServicePort,
} from '../model/types.js';
import { NAMESPACE_NAME_LABEL } from '../validation/namespace.js';
import { copyWith } from './json.js';

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function withDefaults<T extends KubeObject>(obj: T): T {
  const o: KubeObject = obj;
  switch (o.kind) {
    case 'Namespace':
      return defaultNamespace(o) as T;
    case 'Pod':
      return defaultPod(o) as T;
    case 'Service':
      return defaultService(o) as T;
    case 'EndpointSlice':
      return defaultEndpointSlice(o) as T;
    case 'NetworkPolicy':
      return defaultNetworkPolicy(o) as T;
    case 'IngressClass':
      return defaultIngressClass(o) as T;
    case 'Node':
    case 'Ingress':
      return obj;
  }
}

// ---- Namespace -------------------------------------------------------------------------------------

// Copies are made with copyWith rather than spread syntax: every object defaulted here is frozen when
// stored, and spread copies are slow to freeze (see copyWith). Parts defaulting leaves as they are
// (ports that name their protocol, ...) are kept rather than copied: an import's manifests mostly do.

/** `items.map(f)`, or `items` itself when `f` returns every item unchanged. */
function mapChanged<T>(items: readonly T[], f: (item: T) => T): readonly T[] {
  let out: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const next = f(item);
    if (out) out.push(next);
    else if (next !== item) out = [...items.slice(0, i), next];
  }
  return out ?? items;
}

function defaultNamespace(ns: Namespace): Namespace {
  // The name label is always forced, so namespaceSelectors can match namespaces by name.
  const labels = copyWith(ns.metadata.labels, { [NAMESPACE_NAME_LABEL]: ns.metadata.name });
  const spec =
    ns.spec?.finalizers === undefined ? copyWith(ns.spec, { finalizers: ['kubernetes'] }) : ns.spec;
  const status = copyWith(ns.status, { phase: ns.status?.phase || 'Active' });
  return copyWith(ns, { metadata: copyWith(ns.metadata, { labels }), spec, status });
}

// ---- Pod -------------------------------------------------------------------------------------------

function defaultContainerPort(p: ContainerPort, hostNetwork: boolean): ContainerPort {
  // On the host network the container listens on the node's port itself.
  const setHostPort = hostNetwork && !p.hostPort;
  if (p.protocol && !setHostPort) return p;
  const port = copyWith(p, { protocol: p.protocol || 'TCP' });
  if (setHostPort) port.hostPort = p.containerPort;
  return port;
}

function defaultContainer(c: Container, hostNetwork: boolean): Container {
  if (!c.ports) return c;
  const ports = mapChanged(c.ports, (p) => defaultContainerPort(p, hostNetwork));
  return ports === c.ports ? c : copyWith(c, { ports });
}

// A manifest without a spec decodes to the zero value in Go; validation then names what is missing.
function defaultPod(pod: Pod): Pod {
  const spec = pod.spec ?? ({} as Pod['spec']);
  const hostNetwork = spec.hostNetwork === true;
  // Assigned in the order a literal would define them.
  const next = copyWith(spec, {
    containers: mapChanged(spec.containers ?? [], (c) => defaultContainer(c, hostNetwork)),
  });
  if (spec.initContainers)
    next.initContainers = mapChanged(spec.initContainers, (c) => defaultContainer(c, hostNetwork));
  next.dnsPolicy = spec.dnsPolicy || 'ClusterFirst';
  next.restartPolicy = spec.restartPolicy || 'Always';
  return copyWith(pod, { spec: next });
}

// ---- Service ---------------------------------------------------------------------------------------

function defaultServicePort(p: ServicePort): ServicePort {
  const unsetTarget = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '';
  if (p.protocol && !unsetTarget) return p;
  return copyWith(p, { protocol: p.protocol || 'TCP', targetPort: unsetTarget ? p.port : p.targetPort });
}

function defaultService(svc: Service): Service {
  const spec = svc.spec ?? ({} as Service['spec']);
  const type = spec.type || 'ClusterIP';
  const sessionAffinity = spec.sessionAffinity || 'None';
  const next = copyWith(spec, { type, sessionAffinity });
  if (spec.ports) next.ports = mapChanged(spec.ports, defaultServicePort);
  // SetDefaults_Service: affinity None has no config (a stray one would otherwise fail validation).
  if (sessionAffinity === 'None') delete next.sessionAffinityConfig;
  if (sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    next.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (type !== 'ExternalName' && !spec.internalTrafficPolicy) next.internalTrafficPolicy = 'Cluster';
  if ((type === 'NodePort' || type === 'LoadBalancer') && !spec.externalTrafficPolicy) {
    next.externalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) {
    next.allocateLoadBalancerNodePorts = true;
  }
  return copyWith(svc, { spec: next });
}

// ---- EndpointSlice ---------------------------------------------------------------------------------

function defaultEndpointSlice(slice: EndpointSlice): EndpointSlice {
  if (!slice.ports) return slice;
  return copyWith(slice, {
    ports: slice.ports.map((p) => copyWith(p, { protocol: p.protocol || 'TCP' })),
  });
}

// ---- NetworkPolicy ---------------------------------------------------------------------------------

const defaultNPPort = (p: NetworkPolicyPort): NetworkPolicyPort =>
  p.protocol ? p : copyWith(p, { protocol: 'TCP' });

/** A rule with its ports' protocols defaulted. */
function defaultNPRule<R extends { readonly ports?: readonly NetworkPolicyPort[] }>(r: R): R {
  if (!r.ports) return r;
  const ports = mapChanged(r.ports, defaultNPPort);
  return ports === r.ports ? r : (copyWith<R>(r, { ports } as Partial<R>) as R);
}

function defaultNetworkPolicy(np: NetworkPolicy): NetworkPolicy {
  const spec = np.spec ?? ({} as NetworkPolicy['spec']);
  const ingress = spec.ingress && mapChanged(spec.ingress, defaultNPRule);
  const egress = spec.egress && mapChanged(spec.egress, defaultNPRule);
  // A policy always isolates ingress; it isolates egress when it says anything about egress.
  const policyTypes =
    spec.policyTypes && spec.policyTypes.length > 0
      ? spec.policyTypes
      : (spec.egress?.length ?? 0) > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  const next = copyWith(spec);
  if (ingress) next.ingress = ingress;
  if (egress) next.egress = egress;
  next.policyTypes = policyTypes;
  return copyWith(np, { spec: next });
}

// ---- IngressClass ----------------------------------------------------------------------------------

function defaultIngressClass(ic: IngressClass): IngressClass {
  const params = ic.spec?.parameters;
  if (!params || params['scope'] !== undefined) return ic;
  return copyWith(ic, { spec: copyWith(ic.spec, { parameters: copyWith(params, { scope: 'Cluster' }) }) });
}
