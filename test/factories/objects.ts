/**
 * Builders for valid Kubernetes objects, one per kind. Each starts from a minimal object that passes
 * validateCreate and deep-merges the overrides: objects merge key by key, arrays and scalars replace,
 * and an override of `undefined` removes the field (so a test can drop a required one).
 *
 *   aService({ spec: { type: 'NodePort' } })
 *   aPod({ metadata: { name: 'web-1' }, spec: { containers: [aContainer({ name: 'app' })] } })
 */
import type {
  Container,
  ContainerPort,
  EndpointSlice,
  Ingress,
  IngressClass,
  Namespace,
  NetworkPolicy,
  NetworkPolicyPeer,
  Node,
  Pod,
  Service,
  ServicePort,
} from '../../src/domain/model/types.js';

export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { -readonly [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `override` into `base` without touching either. */
export function deepMerge<T>(base: T, override: DeepPartial<T> | undefined): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v as never) : v;
  }
  // An explicit undefined removes the field, so `'name' in obj` is false as for a parsed manifest.
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as T;
}

export function aNamespace(o?: DeepPartial<Namespace>): Namespace {
  return deepMerge<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, o);
}

export function aNode(o?: DeepPartial<Node>): Node {
  return deepMerge<Node>(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      status: {
        addresses: [
          { type: 'InternalIP', address: '172.18.0.2' },
          { type: 'Hostname', address: 'node-1' },
        ],
      },
    },
    o,
  );
}

export function aContainerPort(o?: DeepPartial<ContainerPort>): ContainerPort {
  return deepMerge<ContainerPort>({ name: 'http', containerPort: 8080, protocol: 'TCP' }, o);
}

export function aContainer(o?: DeepPartial<Container>): Container {
  return deepMerge<Container>({ name: 'app', image: 'nginx:1.27', ports: [aContainerPort()] }, o);
}

export function aPod(o?: DeepPartial<Pod>): Pod {
  return deepMerge<Pod>(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [aContainer()] },
    },
    o,
  );
}

export function aServicePort(o?: DeepPartial<ServicePort>): ServicePort {
  return deepMerge<ServicePort>({ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, o);
}

export function aService(o?: DeepPartial<Service>): Service {
  return deepMerge<Service>(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [aServicePort()] },
    },
    o,
  );
}

export function anEndpointSlice(o?: DeepPartial<EndpointSlice>): EndpointSlice {
  return deepMerge<EndpointSlice>(
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-1' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    o,
  );
}

export function aPeer(o?: DeepPartial<NetworkPolicyPeer>): NetworkPolicyPeer {
  return deepMerge<NetworkPolicyPeer>({ podSelector: { matchLabels: { role: 'client' } } }, o);
}

export function aNetworkPolicy(o?: DeepPartial<NetworkPolicy>): NetworkPolicy {
  return deepMerge<NetworkPolicy>(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-clients', namespace: 'default' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [aPeer()], ports: [{ protocol: 'TCP', port: 8080 }] }],
      },
    },
    o,
  );
}

export function anIngress(o?: DeepPartial<Ingress>): Ingress {
  return deepMerge<Ingress>(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
    o,
  );
}

export function anIngressClass(o?: DeepPartial<IngressClass>): IngressClass {
  return deepMerge<IngressClass>(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    o,
  );
}
