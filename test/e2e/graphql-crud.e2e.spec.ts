import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';
import {
  clusterResourceVersion,
  KIND_NAMES,
  manifestOf,
  names,
  RFC3339,
  type KindName,
  type Obj,
} from './e2e-helpers.js';
import { KINDS } from '../../src/domain/model/kinds.js';

const NS = 'gql';

interface GqlObject {
  __typename: string;
  apiVersion: string;
  kind: string;
  metadata: Obj['metadata'];
  manifest: Obj;
}

interface GqlList {
  items: GqlObject[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

const OBJECT_FIELDS = `__typename apiVersion kind metadata { name namespace uid resourceVersion generation creationTimestamp labels } manifest`;

interface KindRow {
  readonly kind: KindName;
  readonly list: string;
  readonly get: string;
  readonly namespaced: boolean;
  readonly specPatch: Record<string, unknown>;
  readonly read: (o: Obj) => unknown;
  readonly patched: unknown;
  /** The spec patch is accepted but the API server keeps the stored spec (no write). */
  readonly specKept?: boolean;
}

const spec = (o: Obj) => o.spec as Record<string, unknown>;

const ROWS: KindRow[] = [
  {
    kind: 'Namespace',
    list: 'namespaces',
    get: 'namespace',
    namespaced: false,
    // A Namespace's only spec field, finalizers, changes only through /finalize: the API server keeps
    // the stored ones on update, so this patch is accepted and changes nothing.
    specPatch: { spec: { finalizers: [] } },
    read: (o) => spec(o).finalizers,
    patched: ['kubernetes'],
    specKept: true,
  },
  {
    kind: 'Node',
    list: 'nodes',
    get: 'node',
    namespaced: false,
    specPatch: { spec: { unschedulable: true } },
    read: (o) => spec(o).unschedulable,
    patched: true,
  },
  {
    kind: 'IngressClass',
    list: 'ingressClasses',
    get: 'ingressClass',
    namespaced: false,
    specPatch: {
      spec: { parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'lb' } },
    },
    read: (o) => (spec(o).parameters as Record<string, unknown> | undefined)?.name,
    patched: 'lb',
  },
  {
    kind: 'Service',
    list: 'services',
    get: 'service',
    namespaced: true,
    specPatch: { spec: { ports: [{ name: 'http', port: 8081, targetPort: 8080, protocol: 'TCP' }] } },
    read: (o) => (spec(o).ports as { port: number }[]).map((p) => p.port),
    patched: [8081],
  },
  {
    kind: 'Pod',
    list: 'pods',
    get: 'pod',
    namespaced: true,
    specPatch: {
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.29', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    },
    read: (o) => (spec(o).containers as { image: string }[])[0]!.image,
    patched: 'nginx:1.29',
  },
  {
    kind: 'EndpointSlice',
    list: 'endpointSlices',
    get: 'endpointSlice',
    namespaced: true,
    specPatch: { endpoints: [{ addresses: ['10.244.9.9'] }] },
    read: (o) => (o.endpoints as { addresses: string[] }[]).flatMap((e) => e.addresses),
    patched: ['10.244.9.9'],
  },
  {
    kind: 'NetworkPolicy',
    list: 'networkPolicies',
    get: 'networkPolicy',
    namespaced: true,
    specPatch: { spec: { podSelector: { matchLabels: { app: 'other' } } } },
    read: (o) => spec(o).podSelector,
    patched: { matchLabels: { app: 'other' } },
  },
  {
    kind: 'Ingress',
    list: 'ingresses',
    get: 'ingress',
    namespaced: true,
    specPatch: { spec: { ingressClassName: 'haproxy' } },
    read: (o) => spec(o).ingressClassName,
    patched: 'haproxy',
  },
];

describe('GraphQL CRUD of every kind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    const r = await t.gql(`mutation($m: JSONObject!) { createObject(manifest: $m) { metadata { name } } }`, {
      m: manifestOf('Namespace', NS, undefined),
    });
    expect(r.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('covers every modelled kind', () => {
    expect(ROWS.map((r) => r.kind).sort()).toEqual([...KIND_NAMES].sort());
  });

  describe.each(ROWS)('$kind', (row) => {
    const prefix = `g${row.kind.toLowerCase()}`;
    const namespace = row.namespaced ? NS : undefined;
    const getArgs = (name: string) =>
      row.namespaced ? `namespace: "${NS}", name: "${name}"` : `name: "${name}"`;
    const listArgs = (extra: string) => (row.namespaced ? `namespace: "${NS}", ${extra}` : extra);
    const get = async (name: string) => {
      const r = await t.gql<Record<string, GqlObject | null>>(
        `{ ${row.get}(${getArgs(name)}) { ${OBJECT_FIELDS} } }`,
      );
      expect(r.errors).toBeUndefined();
      return r.data[row.get]!;
    };
    const list = async (extra: string) => {
      const r = await t.gql<Record<string, GqlList>>(
        `{ ${row.list}(${listArgs(extra)}) { totalCount pageInfo { endCursor hasNextPage } items { ${OBJECT_FIELDS} } } }`,
      );
      expect(r.errors).toBeUndefined();
      return r.data[row.list]!;
    };
    const created: Record<string, GqlObject> = {};

    it('createObject creates with server-set fields and returns the concrete type', async () => {
      let last = await clusterResourceVersion(t);
      for (const [suffix, tier] of [
        ['a', 'front'],
        ['b', 'back'],
        ['c', 'front'],
      ] as const) {
        const m = manifestOf(row.kind, `${prefix}-${suffix}`, namespace, { suite: prefix, tier });
        const r = await t.gql<{ createObject: GqlObject }>(
          `mutation($m: JSONObject!) { createObject(manifest: $m) { ${OBJECT_FIELDS} } }`,
          { m },
        );
        expect(r.errors).toBeUndefined();
        const o = r.data.createObject;
        expect(o.__typename).toBe(row.kind);
        expect(o.kind).toBe(row.kind);
        expect(o.metadata).toMatchObject({
          name: `${prefix}-${suffix}`,
          generation: KINDS[row.kind].tracksGeneration ? 1 : null,
          labels: expect.objectContaining({ suite: prefix, tier }),
        });
        expect(o.metadata.namespace ?? undefined).toBe(namespace);
        expect(o.metadata.uid).toEqual(expect.any(String));
        expect(o.metadata.creationTimestamp).toMatch(RFC3339);
        expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(last);
        last = Number(o.metadata.resourceVersion);
        created[suffix] = o;
      }
    });

    it(`${row.get}(...) gets one object, and null when it is missing`, async () => {
      expect(await get(`${prefix}-a`)).toEqual(created.a);
      expect(await get(`${prefix}-missing`)).toBeNull();
      // The REST view of the same object agrees.
      const path = row.kind === 'Namespace' ? `/api/v1/namespaces/${prefix}-a` : undefined;
      if (path) expect((await t.http().get(path).expect(200)).body).toEqual(created.a!.manifest);
    });

    it(`${row.list}(labelSelector, first, after) filters and pages`, async () => {
      const front = await list(`labelSelector: "suite=${prefix},tier=front"`);
      expect(names(front.items)).toEqual([`${prefix}-a`, `${prefix}-c`]);
      expect(front.totalCount).toBe(2);
      expect(front.pageInfo.hasNextPage).toBe(false);

      const page1 = await list(`labelSelector: "suite=${prefix}", first: 2`);
      expect(names(page1.items)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(page1.totalCount).toBe(3);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      expect(page1.pageInfo.endCursor).toEqual(expect.any(String));
      const page2 = await list(
        `labelSelector: "suite=${prefix}", first: 2, after: "${page1.pageInfo.endCursor}"`,
      );
      expect(names(page2.items)).toEqual([`${prefix}-c`]);
      expect(page2.pageInfo).toEqual({ endCursor: null, hasNextPage: false });
    });

    it('replaceObject replaces; a label-only change keeps generation', async () => {
      const current = (await get(`${prefix}-a`)).manifest;
      const m = { ...current, metadata: { ...current.metadata, labels: { suite: prefix, replaced: 'yes' } } };
      const r = await t.gql<{ replaceObject: GqlObject }>(
        `mutation($m: JSONObject!) { replaceObject(manifest: $m) { ${OBJECT_FIELDS} } }`,
        { m },
      );
      expect(r.errors).toBeUndefined();
      const o = r.data.replaceObject;
      expect(o.metadata.labels!.tier).toBeUndefined();
      expect(o.metadata.labels!.replaced).toBe('yes');
      expect(o.metadata.generation).toBe(current.metadata.generation ?? null); // GraphQL: null where the manifest has none
      expect(o.metadata.uid).toBe(current.metadata.uid);
      expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
      expect(await get(`${prefix}-a`)).toEqual(o);
    });

    it('patchObject merges a patch; a spec change bumps generation', async () => {
      const before = (await get(`${prefix}-b`)).manifest;
      const r = await t.gql<{ patchObject: GqlObject }>(
        `mutation($kind: Kind!, $ns: String, $name: String!, $p: JSONObject!) { patchObject(kind: $kind, namespace: $ns, name: $name, patch: $p) { ${OBJECT_FIELDS} } }`,
        { kind: row.kind, ns: namespace ?? null, name: `${prefix}-b`, p: row.specPatch },
      );
      expect(r.errors).toBeUndefined();
      const o = r.data.patchObject;
      expect(row.read(o.manifest)).toEqual(row.patched);
      expect(o.metadata.labels).toEqual(before.metadata.labels);
      if (row.specKept) {
        expect(row.read(before)).toEqual(row.patched);
        expect(o.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
        return;
      }
      expect(row.read(before)).not.toEqual(row.patched);
      expect(o.metadata.generation).toBe(
        KINDS[row.kind].tracksGeneration ? before.metadata.generation! + 1 : null,
      );
      expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    });

    it('deleteObject deletes and returns the object as it was', async () => {
      const r = await t.gql<{ deleteObject: GqlObject }>(
        `mutation($kind: Kind!, $ns: String, $name: String!) { deleteObject(kind: $kind, namespace: $ns, name: $name) { ${OBJECT_FIELDS} } }`,
        { kind: row.kind, ns: namespace ?? null, name: `${prefix}-c` },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.deleteObject.metadata.uid).toBe(created.c!.metadata.uid);
      expect(await get(`${prefix}-c`)).toBeNull();
      expect((await list(`labelSelector: "suite=${prefix}"`)).totalCount).toBe(2);
    });
  });

  it('dryRun on createObject validates and answers without saving', async () => {
    const before = await clusterResourceVersion(t);
    const r = await t.gql<{ createObject: GqlObject }>(
      `mutation($m: JSONObject!) { createObject(manifest: $m, dryRun: true) { ${OBJECT_FIELDS} } }`,
      {
        m: manifestOf('Pod', 'dry', NS),
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.createObject.metadata.name).toBe('dry');
    const got = await t.gql<{ pod: GqlObject | null }>(
      `{ pod(namespace: "${NS}", name: "dry") { metadata { name } } }`,
    );
    expect(got.data.pod).toBeNull();
    expect(await clusterResourceVersion(t)).toBe(before);
  });
});

describe('GraphQL relations on the demo cluster', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ seed: 'demo' });
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  type Named = { metadata: { name: string; namespace?: string } };
  const ns = (items: Named[]) => items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);

  it.each([
    { service: 'shop/frontend', pods: ['frontend-7d9c8-abcde', 'frontend-7d9c8-fghij'] },
    { service: 'shop/api', pods: ['api-5f6b7-klmno', 'api-5f6b7-pqrst'] },
    { service: 'shop/db', pods: ['db-0'] },
    { service: 'shop/inventory', pods: [] },
    { service: 'payments/payments-api', pods: ['payments-api-6c5d4-uvwxy'] },
    { service: 'kube-system/kube-dns', pods: ['coredns-76f75-2xk4p', 'coredns-76f75-9dq8z'] },
  ])('service $service selects pods $pods', async ({ service, pods }) => {
    const [namespace, name] = service.split('/');
    const r = await t.gql<{ service: { pods: Named[] } }>(
      `query($ns: String!, $n: String!) { service(namespace: $ns, name: $n) { pods { metadata { name } } } }`,
      {
        ns: namespace,
        n: name,
      },
    );
    expect(r.errors).toBeUndefined();
    expect(names(r.data.service.pods)).toEqual(pods);
  });

  it.each([
    { service: 'api', addresses: ['10.244.1.11', '10.244.2.11'] },
    { service: 'frontend', addresses: ['10.244.1.10', '10.244.2.10'] },
    { service: 'db', addresses: ['10.244.1.12'] },
  ])(
    "service shop/$service has the controller's EndpointSlice with $addresses",
    async ({ service, addresses }) => {
      const r = await t.gql<{
        service: {
          endpointSlices: {
            metadata: { name: string; labels: Record<string, string> };
            endpoints: { addresses: string[] }[];
          }[];
        };
      }>(
        `query($n: String!) { service(namespace: "shop", name: $n) { endpointSlices { metadata { name labels } endpoints { addresses } } } }`,
        { n: service },
      );
      expect(r.errors).toBeUndefined();
      const slices = r.data.service.endpointSlices;
      expect(slices).toHaveLength(1);
      expect(slices[0]!.metadata.name).toMatch(new RegExp(`^${service}-[a-z0-9]{5}$`));
      expect(slices[0]!.metadata.labels).toMatchObject({
        'kubernetes.io/service-name': service,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      });
      expect(slices[0]!.endpoints.flatMap((e) => e.addresses).sort()).toEqual(addresses);
    },
  );

  it('an ExternalName service (shop/inventory) gets no EndpointSlice', async () => {
    const r = await t.gql<{ service: { endpointSlices: unknown[] } }>(
      `{ service(namespace: "shop", name: "inventory") { endpointSlices { metadata { name } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.service.endpointSlices).toEqual([]);
  });

  it.each([
    { pod: 'shop/frontend-7d9c8-abcde', services: ['frontend'], policies: [], node: 'netmodel-worker' },
    { pod: 'shop/api-5f6b7-pqrst', services: ['api'], policies: ['api-ingress'], node: 'netmodel-worker2' },
    { pod: 'shop/db-0', services: ['db'], policies: ['db-from-api'], node: 'netmodel-worker' },
    {
      pod: 'payments/payments-api-6c5d4-uvwxy',
      services: ['payments-api'],
      policies: ['allow-dns-egress', 'allow-from-shop-api', 'default-deny'],
      node: 'netmodel-worker2',
    },
    {
      pod: 'payments/ledger-0',
      services: ['ledger'],
      policies: ['allow-dns-egress', 'default-deny'],
      node: 'netmodel-worker',
    },
    { pod: 'monitoring/prometheus-0', services: ['prometheus'], policies: [], node: 'netmodel-worker2' },
  ])(
    'pod $pod: services $services, policies $policies, node $node',
    async ({ pod, services, policies, node }) => {
      const [namespace, name] = pod.split('/');
      const r = await t.gql<{ pod: { services: Named[]; networkPolicies: Named[]; node: Named | null } }>(
        `query($ns: String!, $n: String!) { pod(namespace: $ns, name: $n) { services { metadata { name } } networkPolicies { metadata { name } } node { metadata { name } } } }`,
        { ns: namespace, n: name },
      );
      expect(r.errors).toBeUndefined();
      expect(names(r.data.pod.services)).toEqual(services);
      expect(names(r.data.pod.networkPolicies).sort()).toEqual(policies);
      expect(r.data.pod.node?.metadata.name).toBe(node);
    },
  );

  it('pod.node is null for a pod no node can take (it stays Pending)', async () => {
    const body = manifestOf('Pod', 'pending', 'shop');
    body.spec = { ...(body.spec as object), nodeSelector: { disk: 'none-has-this' } };
    await t.http().post('/api/v1/namespaces/shop/pods').send(body).expect(201);
    const r = await t.gql<{ pod: { node: unknown } }>(
      `{ pod(namespace: "shop", name: "pending") { node { metadata { name } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.pod.node).toBeNull();
    await t.http().delete('/api/v1/namespaces/shop/pods/pending').expect(200);
  });

  it.each([
    {
      namespace: 'shop',
      pods: ['api-5f6b7-klmno', 'api-5f6b7-pqrst', 'db-0', 'frontend-7d9c8-abcde', 'frontend-7d9c8-fghij'],
    },
    { namespace: 'payments', pods: ['ledger-0', 'payments-api-6c5d4-uvwxy'] },
    { namespace: 'default', pods: [] },
  ])('namespace $namespace holds pods $pods', async ({ namespace, pods }) => {
    const r = await t.gql<{ namespace: { pods: GqlList } }>(
      `query($n: String!) { namespace(name: $n) { pods { totalCount items { metadata { name } } } } }`,
      { n: namespace },
    );
    expect(r.errors).toBeUndefined();
    expect(names(r.data.namespace.pods.items)).toEqual(pods);
    expect(r.data.namespace.pods.totalCount).toBe(pods.length);
  });

  it('namespace.pods takes a labelSelector and pages', async () => {
    const r = await t.gql<{ namespace: { pods: GqlList } }>(
      `{ namespace(name: "shop") { pods(labelSelector: "tier in (web,backend)", first: 3) { totalCount pageInfo { hasNextPage } items { metadata { name } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(names(r.data.namespace.pods.items)).toEqual([
      'api-5f6b7-klmno',
      'api-5f6b7-pqrst',
      'frontend-7d9c8-abcde',
    ]);
    expect(r.data.namespace.pods.totalCount).toBe(4);
    expect(r.data.namespace.pods.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    {
      node: 'netmodel-control-plane',
      pods: ['kube-system/coredns-76f75-2xk4p', 'kube-system/coredns-76f75-9dq8z'],
    },
    {
      node: 'netmodel-worker',
      pods: ['payments/ledger-0', 'shop/api-5f6b7-klmno', 'shop/db-0', 'shop/frontend-7d9c8-abcde'],
    },
    {
      node: 'netmodel-worker2',
      pods: [
        'monitoring/prometheus-0',
        'payments/payments-api-6c5d4-uvwxy',
        'shop/api-5f6b7-pqrst',
        'shop/frontend-7d9c8-fghij',
      ],
    },
  ])('node $node runs pods $pods', async ({ node, pods }) => {
    const r = await t.gql<{ node: { pods: Named[] } }>(
      `query($n: String!) { node(name: $n) { pods { metadata { name namespace } } } }`,
      { n: node },
    );
    expect(r.errors).toBeUndefined();
    expect(ns(r.data.node.pods).sort()).toEqual(pods);
  });

  it.each([
    { policy: 'payments/default-deny', pods: ['ledger-0', 'payments-api-6c5d4-uvwxy'] },
    { policy: 'payments/allow-from-shop-api', pods: ['payments-api-6c5d4-uvwxy'] },
    { policy: 'shop/api-ingress', pods: ['api-5f6b7-klmno', 'api-5f6b7-pqrst'] },
    { policy: 'shop/db-from-api', pods: ['db-0'] },
  ])('network policy $policy selects pods $pods', async ({ policy, pods }) => {
    const [namespace, name] = policy.split('/');
    const r = await t.gql<{ networkPolicy: { selectedPods: Named[] } }>(
      `query($ns: String!, $n: String!) { networkPolicy(namespace: $ns, name: $n) { selectedPods { metadata { name } } } }`,
      { ns: namespace, n: name },
    );
    expect(r.errors).toBeUndefined();
    expect(names(r.data.networkPolicy.selectedPods)).toEqual(pods);
  });

  it('relations follow writes: relabelling a pod moves it out of its service', async () => {
    await t
      .http()
      .patch('/api/v1/namespaces/shop/pods/frontend-7d9c8-fghij')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ metadata: { labels: { app: 'canary' } } }))
      .expect(200);
    const r = await t.gql<{ service: { pods: Named[] } }>(
      `{ service(namespace: "shop", name: "frontend") { pods { metadata { name } } } }`,
    );
    expect(names(r.data.service.pods)).toEqual(['frontend-7d9c8-abcde']);
  });
});
