/**
 * Kubernetes object shapes as netmodel models them: the fields the network questions need, with
 * Kubernetes' own names. Objects are plain data and treated as immutable; fields this model does not
 * name (container env, volumes, ...) are kept as they were applied, so an export re-imports unchanged.
 */
import type { KindName } from './kinds.js';

export type Labels = Readonly<Record<string, string>>;

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly finalizers?: readonly string[];
  readonly generateName?: string;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

/** intstr.IntOrString */
export type IntOrString = number | string;

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string; // In | NotIn | Exists | DoesNotExist (validated)
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

// ---- Namespace -------------------------------------------------------------------------------
export interface Namespace {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: ObjectMeta;
  readonly spec?: { readonly finalizers?: readonly string[] };
  readonly status?: { readonly phase?: string };
}

// ---- Node ------------------------------------------------------------------------------------
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}
export interface NodeAddress {
  readonly type: string; // InternalIP | ExternalIP | Hostname | InternalDNS | ExternalDNS
  readonly address: string;
}
export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface Node {
  readonly apiVersion: 'v1';
  readonly kind: 'Node';
  readonly metadata: ObjectMeta;
  readonly spec?: {
    readonly podCIDR?: string;
    readonly podCIDRs?: readonly string[];
    readonly unschedulable?: boolean;
    readonly taints?: readonly Taint[];
    readonly providerID?: string;
  };
  readonly status?: {
    readonly addresses?: readonly NodeAddress[];
    readonly conditions?: readonly NodeCondition[];
    readonly capacity?: Labels;
    readonly allocatable?: Labels;
    readonly nodeInfo?: Readonly<Record<string, string>>;
  };
}

// ---- Pod -------------------------------------------------------------------------------------
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: Protocol;
  readonly hostPort?: number;
  readonly hostIP?: string;
}
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly ContainerPort[];
  /** On an init container, `Always` makes it a sidecar: it keeps running beside the containers. */
  readonly restartPolicy?: string;
}
export interface HostAlias {
  readonly ip: string;
  readonly hostnames?: readonly string[];
}
export interface PodDNSConfigOption {
  readonly name: string;
  readonly value?: string;
}
export interface PodDNSConfig {
  readonly nameservers?: readonly string[];
  readonly searches?: readonly string[];
  readonly options?: readonly PodDNSConfigOption[];
}
export interface PodCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}
export interface PodIP {
  readonly ip: string;
}
export interface Pod {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly containers: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly nodeName?: string;
    readonly nodeSelector?: Labels;
    readonly hostNetwork?: boolean;
    readonly hostname?: string;
    readonly subdomain?: string;
    readonly setHostnameAsFQDN?: boolean;
    readonly dnsPolicy?: string;
    readonly dnsConfig?: PodDNSConfig;
    readonly hostAliases?: readonly HostAlias[];
    readonly restartPolicy?: string;
    readonly serviceAccountName?: string;
    readonly tolerations?: readonly Readonly<Record<string, unknown>>[];
    readonly activeDeadlineSeconds?: number;
    readonly terminationGracePeriodSeconds?: number;
  };
  readonly status?: {
    readonly phase?: string;
    readonly conditions?: readonly PodCondition[];
    readonly hostIP?: string;
    readonly hostIPs?: readonly PodIP[];
    readonly podIP?: string;
    readonly podIPs?: readonly PodIP[];
    readonly startTime?: string;
  };
}

// ---- Service ---------------------------------------------------------------------------------
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export const SERVICE_TYPES: readonly ServiceType[] = [
  'ClusterIP',
  'ExternalName',
  'LoadBalancer',
  'NodePort',
];
export interface ServicePort {
  readonly name?: string;
  readonly protocol?: Protocol;
  readonly appProtocol?: string;
  readonly port: number;
  readonly targetPort?: IntOrString;
  readonly nodePort?: number;
}
export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
  readonly ipMode?: string;
}
export interface Service {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type?: ServiceType;
    readonly selector?: Labels;
    readonly ports?: readonly ServicePort[];
    readonly clusterIP?: string;
    readonly clusterIPs?: readonly string[];
    readonly ipFamilies?: readonly string[];
    readonly ipFamilyPolicy?: string;
    readonly externalName?: string;
    readonly externalIPs?: readonly string[];
    readonly loadBalancerIP?: string;
    readonly loadBalancerSourceRanges?: readonly string[];
    readonly loadBalancerClass?: string;
    readonly allocateLoadBalancerNodePorts?: boolean;
    readonly sessionAffinity?: string;
    readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } };
    readonly externalTrafficPolicy?: string;
    readonly internalTrafficPolicy?: string;
    readonly healthCheckNodePort?: number;
    readonly publishNotReadyAddresses?: boolean;
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly LoadBalancerIngress[] } };
}

// ---- EndpointSlice ---------------------------------------------------------------------------
export interface ObjectReference {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
}
export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions?: {
    readonly ready?: boolean;
    readonly serving?: boolean;
    readonly terminating?: boolean;
  };
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly targetRef?: ObjectReference;
  /** Topology hints: the zones (and, PreferSameTrafficDistribution, nodes) that should use this endpoint. */
  readonly hints?: {
    readonly forZones?: readonly { readonly name: string }[];
    readonly forNodes?: readonly { readonly name: string }[];
  };
}
export interface EndpointPort {
  readonly name?: string;
  readonly protocol?: Protocol;
  readonly port?: number;
  readonly appProtocol?: string;
}
export interface EndpointSlice {
  readonly apiVersion: 'discovery.k8s.io/v1';
  readonly kind: 'EndpointSlice';
  readonly metadata: ObjectMeta;
  readonly addressType: string; // IPv4 | IPv6 | FQDN
  readonly endpoints?: readonly Endpoint[];
  readonly ports?: readonly EndpointPort[];
}

// ---- NetworkPolicy ---------------------------------------------------------------------------
export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}
export interface NetworkPolicyPort {
  readonly protocol?: Protocol;
  readonly port?: IntOrString;
  readonly endPort?: number;
}
export interface NetworkPolicyIngressRule {
  readonly ports?: readonly NetworkPolicyPort[];
  readonly from?: readonly NetworkPolicyPeer[];
}
export interface NetworkPolicyEgressRule {
  readonly ports?: readonly NetworkPolicyPort[];
  readonly to?: readonly NetworkPolicyPeer[];
}
export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly ingress?: readonly NetworkPolicyIngressRule[];
    readonly egress?: readonly NetworkPolicyEgressRule[];
    readonly policyTypes?: readonly string[];
  };
}

// ---- Ingress / IngressClass ------------------------------------------------------------------
export interface IngressServiceBackend {
  readonly name: string;
  readonly port?: { readonly name?: string; readonly number?: number };
}
export interface IngressBackend {
  readonly service?: IngressServiceBackend;
  readonly resource?: { readonly apiGroup?: string; readonly kind: string; readonly name: string };
}
export interface HTTPIngressPath {
  readonly path?: string;
  readonly pathType?: string;
  readonly backend: IngressBackend;
}
export interface IngressRule {
  readonly host?: string;
  readonly http?: { readonly paths: readonly HTTPIngressPath[] };
}
export interface IngressTLS {
  readonly hosts?: readonly string[];
  readonly secretName?: string;
}
export interface Ingress {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'Ingress';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly ingressClassName?: string;
    readonly defaultBackend?: IngressBackend;
    readonly tls?: readonly IngressTLS[];
    readonly rules?: readonly IngressRule[];
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly LoadBalancerIngress[] } };
}
export interface IngressClass {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'IngressClass';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly controller?: string;
    readonly parameters?: Readonly<Record<string, unknown>>;
  };
}

export type KubeObject =
  Namespace | Node | Pod | Service | EndpointSlice | NetworkPolicy | Ingress | IngressClass;

/** Maps a kind name to its object type. */
export interface KindTypes {
  Namespace: Namespace;
  Node: Node;
  Pod: Pod;
  Service: Service;
  EndpointSlice: EndpointSlice;
  NetworkPolicy: NetworkPolicy;
  Ingress: Ingress;
  IngressClass: IngressClass;
}
export type ObjectOf<K extends KindName> = KindTypes[K];

/** An object's namespace as storage keys hold it: '' for cluster-scoped kinds. */
export function namespaceOf(obj: { readonly metadata: { readonly namespace?: string } }): string {
  return obj.metadata.namespace ?? '';
}

/**
 * A pod whose containers have finished (Succeeded or Failed): CNI has given its address back (it may
 * already be reused) though its status still shows it, and it takes no traffic.
 */
export function isTerminal(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A node's pod ranges: podCIDRs, or the lone podCIDR of an older writer (the v1 conversion's rule). */
export function effectivePodCIDRs(spec: Node['spec'] | undefined): readonly string[] {
  if (spec?.podCIDRs && spec.podCIDRs.length > 0) return spec.podCIDRs;
  return spec?.podCIDR ? [spec.podCIDR] : [];
}

/** Whether an init container is a sidecar (restartPolicy Always): it runs, and serves ports, beside the containers. */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** A pod's addresses as its status lists them: podIPs, or the lone podIP of an older writer. */
export function podIPs(p: Pod): readonly string[] {
  const s = p.status;
  if (s?.podIPs?.length) return s.podIPs.map((x) => x.ip);
  return s?.podIP ? [s.podIP] : [];
}
