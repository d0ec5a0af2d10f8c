/**
 * Small helpers shared by the e2e specs: the REST paths of every modelled kind, valid manifests of each
 * kind, and readers for the fields the specs compare.
 */
import { readFileSync } from 'node:fs';
import type { TestApp } from '../support/app.js';

export type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}

export const DEMO_YAML = readFileSync(new URL('../../examples/demo-cluster.yaml', import.meta.url), 'utf8');

export const MERGE_PATCH = 'application/merge-patch+json';

/** RFC 3339 in UTC with seconds, as the API server writes creationTimestamp. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export const KIND_NAMES = [
  'Namespace',
  'Node',
  'IngressClass',
  'Service',
  'Pod',
  'EndpointSlice',
  'NetworkPolicy',
  'Ingress',
] as const;
export type KindName = (typeof KIND_NAMES)[number];

interface Coordinates {
  readonly prefix: string; // /api/v1 or /apis/<group>/<version>
  readonly plural: string;
  readonly namespaced: boolean;
}

export const COORDINATES: Readonly<Record<KindName, Coordinates>> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  Node: { prefix: '/api/v1', plural: 'nodes', namespaced: false },
  IngressClass: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false },
  Service: { prefix: '/api/v1', plural: 'services', namespaced: true },
  Pod: { prefix: '/api/v1', plural: 'pods', namespaced: true },
  EndpointSlice: { prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  NetworkPolicy: { prefix: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
};

/** The collection path of a kind (in `namespace` for namespaced kinds). */
export function collectionPath(kind: KindName, namespace?: string): string {
  const c = COORDINATES[kind];
  return c.namespaced && namespace
    ? `${c.prefix}/namespaces/${namespace}/${c.plural}`
    : `${c.prefix}/${c.plural}`;
}

export function itemPath(kind: KindName, name: string, namespace?: string): string {
  return `${collectionPath(kind, namespace)}/${name}`;
}

/** A minimal valid manifest of each kind; the server allocates what is left out (IPs, CIDRs). */
export function manifestOf(
  kind: KindName,
  name: string,
  namespace: string | undefined,
  labels: Record<string, string> = {},
): Obj {
  const c = COORDINATES[kind];
  const metadata = { name, ...(c.namespaced ? { namespace } : {}), labels };
  switch (kind) {
    case 'Namespace':
      return { apiVersion: 'v1', kind, metadata };
    case 'Node':
      return { apiVersion: 'v1', kind, metadata, spec: {} };
    case 'IngressClass':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata,
        spec: { controller: 'example.com/ingress-controller' },
      };
    case 'Service':
      return {
        apiVersion: 'v1',
        kind,
        metadata,
        spec: {
          selector: { app: name },
          ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        },
      };
    case 'Pod':
      return {
        apiVersion: 'v1',
        kind,
        metadata,
        spec: {
          containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }],
        },
      };
    case 'EndpointSlice':
      return {
        apiVersion: 'discovery.k8s.io/v1',
        kind,
        metadata,
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      };
    case 'NetworkPolicy':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata,
        spec: {
          podSelector: { matchLabels: { app: name } },
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { role: 'client' } } }],
              ports: [{ protocol: 'TCP', port: 8080 }],
            },
          ],
        },
      };
    case 'Ingress':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata,
        spec: {
          rules: [
            {
              host: `${name}.example.com`,
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
      };
  }
}

export function names(items: readonly { metadata: { name: string } }[]): string[] {
  return items.map((i) => i.metadata.name);
}

export function qualifiedNames(
  items: readonly { metadata: { name: string; namespace?: string | null } }[],
): string[] {
  return items.map((i) =>
    i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name,
  );
}

/** The cluster's current resourceVersion, as a list reports it. */
export async function clusterResourceVersion(t: TestApp): Promise<number> {
  const res = await t.http().get('/api/v1/namespaces').expect(200);
  return Number((res.body as KubeList).metadata.resourceVersion);
}

/** Every object of every kind, as `ns/name` keys with the object stripped of what the server assigns per write. */
export async function allObjects(t: TestApp): Promise<Record<string, Obj[]>> {
  const out: Record<string, Obj[]> = {};
  for (const k of KIND_NAMES) {
    const res = await t.http().get(collectionPath(k)).expect(200);
    out[k] = (res.body as KubeList).items.map(withoutServerFields);
  }
  return out;
}

export function withoutServerFields(o: Obj): Obj {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ts, generation: _gen, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

/** `n` YAML documents: Services `svc-000`... in `namespace` (valid, each with a distinct pinned ClusterIP left to the allocator). */
export function manyServicesYaml(
  namespace: string,
  n: number,
  mutate?: (i: number, doc: Obj) => Obj,
): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    const doc = manifestOf('Service', name, namespace);
    docs.push(JSON.stringify(mutate ? mutate(i, doc) : doc));
  }
  // JSON is valid YAML: one flow-style document per `---`.
  return docs.map((d) => `---\n${d}\n`).join('');
}

/**
 * Applies a headless Service `name` (port `http`/80, selector `app: name`) and `pods` pods `name-0`,
 * `name-1`... it selects, all in `namespace`: the DNS specs' large answers.
 */
export async function applyHeadlessWithPods(
  t: TestApp,
  namespace: string,
  name: string,
  pods: number,
): Promise<void> {
  const items = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'http', port: 80 }] },
    },
    ...Array.from({ length: pods }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-${i}`, namespace, labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    })),
  ];
  await t.http().post('/netmodel/v1/apply').send({ apiVersion: 'v1', kind: 'List', items }).expect(200);
}
