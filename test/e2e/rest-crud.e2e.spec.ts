import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';
import {
  collectionPath,
  clusterResourceVersion,
  itemPath,
  KIND_NAMES,
  manifestOf,
  MERGE_PATCH,
  names,
  qualifiedNames,
  RFC3339,
  type KindName,
  type KubeList,
  type Obj,
} from './e2e-helpers.js';
import { KINDS } from '../../src/domain/model/kinds.js';

const NS = 'crud';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface KindRow {
  readonly kind: KindName;
  /** A merge patch that changes the spec (so bumps metadata.generation). */
  readonly specPatch: Record<string, unknown>;
  /** Reads the field the spec patch changes, and what it must read after the patch. */
  readonly read: (o: Obj) => unknown;
  readonly patched: unknown;
  /** The spec patch is accepted but the API server keeps the stored spec (no write). */
  readonly specKept?: boolean;
}

const spec = (o: Obj) => o.spec as Record<string, unknown>;

const ROWS: KindRow[] = [
  {
    kind: 'Namespace',
    // A Namespace's only spec field, finalizers, changes only through /finalize: the API server keeps
    // the stored ones on update, so this patch is accepted and changes nothing.
    specPatch: { spec: { finalizers: [] } },
    read: (o) => spec(o).finalizers,
    patched: ['kubernetes'],
    specKept: true,
  },
  {
    kind: 'Node',
    specPatch: { spec: { unschedulable: true } },
    read: (o) => spec(o).unschedulable,
    patched: true,
  },
  {
    kind: 'IngressClass',
    specPatch: {
      spec: { parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
    },
    read: (o) => (spec(o).parameters as Record<string, unknown> | undefined)?.name,
    patched: 'external-lb',
  },
  {
    kind: 'Service',
    specPatch: { spec: { ports: [{ name: 'http', port: 81, targetPort: 8080, protocol: 'TCP' }] } },
    read: (o) => (spec(o).ports as { port: number }[]).map((p) => p.port),
    patched: [81],
  },
  {
    kind: 'Pod',
    specPatch: {
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 8080 }] }],
      },
    },
    read: (o) => (spec(o).containers as { image: string }[])[0]!.image,
    patched: 'nginx:1.28',
  },
  {
    kind: 'EndpointSlice',
    specPatch: { ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
    read: (o) => (o.ports as { port: number }[]).map((p) => p.port),
    patched: [9090],
  },
  {
    kind: 'NetworkPolicy',
    specPatch: { spec: { policyTypes: ['Ingress', 'Egress'] } },
    read: (o) => spec(o).policyTypes,
    patched: ['Ingress', 'Egress'],
  },
  {
    kind: 'Ingress',
    specPatch: { spec: { ingressClassName: 'nginx' } },
    read: (o) => spec(o).ingressClassName,
    patched: 'nginx',
  },
];

describe('REST CRUD of every kind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await t
      .http()
      .post('/api/v1/namespaces')
      .send(manifestOf('Namespace', NS, undefined))
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('covers every modelled kind', () => {
    expect(ROWS.map((r) => r.kind).sort()).toEqual([...KIND_NAMES].sort());
  });

  describe.each(ROWS)('$kind', (row) => {
    const prefix = row.kind.toLowerCase();
    const ns = (k: KindName) => (manifestOf(k, 'x', NS).metadata.namespace ? NS : undefined);
    const namespace = ns(row.kind);
    const labels = {
      a: { suite: prefix, tier: 'front' },
      b: { suite: prefix, tier: 'back' },
      c: { suite: prefix, tier: 'front' },
    };
    const created: Record<string, Obj> = {};

    it('POST creates each object (201) with server-set uid, resourceVersion, generation and creationTimestamp', async () => {
      const before = await clusterResourceVersion(t);
      for (const suffix of ['a', 'b', 'c'] as const) {
        const body = manifestOf(row.kind, `${prefix}-${suffix}`, namespace, labels[suffix]);
        // Values a client may not set are replaced by the server's.
        body.metadata.uid = 'client-chosen-uid';
        body.metadata.creationTimestamp = '2001-01-01T00:00:00Z';
        // The namespace may come from the URL alone.
        if (suffix === 'b') delete body.metadata.namespace;
        const res = await t.http().post(collectionPath(row.kind, namespace)).send(body).expect(201);
        const o = res.body as Obj;
        expect(o.kind).toBe(row.kind);
        expect(o.metadata.name).toBe(`${prefix}-${suffix}`);
        expect(o.metadata.namespace).toBe(namespace);
        expect(o.metadata.uid).toMatch(UUID);
        expect(o.metadata.uid).not.toBe('client-chosen-uid');
        expect(o.metadata.creationTimestamp).toMatch(RFC3339);
        expect(o.metadata.creationTimestamp).not.toBe('2001-01-01T00:00:00Z');
        // Only kinds whose registry tracks generation have one (not Namespace, Node, Service).
        expect(o.metadata.generation).toBe(KINDS[row.kind].tracksGeneration ? 1 : undefined);
        expect(o.metadata.resourceVersion).toMatch(/^\d+$/);
        expect(o.metadata.labels).toMatchObject(labels[suffix]);
        created[suffix] = o;
      }
      const rvs = ['a', 'b', 'c'].map((s) => Number(created[s]!.metadata.resourceVersion));
      expect(rvs[0]).toBeGreaterThan(before);
      expect(rvs[1]).toBeGreaterThan(rvs[0]!);
      expect(rvs[2]).toBeGreaterThan(rvs[1]!);
      // A Service with a selector also gets its EndpointSlice in the same commit (one more version).
      const derived = row.kind === 'Service' ? 1 : 0;
      expect(await clusterResourceVersion(t)).toBe(rvs[2]! + derived);
    });

    it('GET returns the stored object, exactly as the create answered it', async () => {
      for (const suffix of ['a', 'b', 'c']) {
        const res = await t
          .http()
          .get(itemPath(row.kind, `${prefix}-${suffix}`, namespace))
          .expect(200);
        expect(res.body).toEqual(created[suffix]);
      }
    });

    it('lists with equality- and set-based labelSelectors, in the namespace and across namespaces', async () => {
      const list = async (path: string, selector: string) => {
        const res = await t.http().get(path).query({ labelSelector: selector }).expect(200);
        const body = res.body as KubeList;
        expect(body.kind).toBe(`${row.kind}List`);
        return body;
      };
      const front = await list(collectionPath(row.kind, namespace), `suite=${prefix},tier=front`);
      expect(names(front.items)).toEqual([`${prefix}-a`, `${prefix}-c`]);
      expect(Number(front.metadata.resourceVersion)).toBe(await clusterResourceVersion(t));
      const back = await list(collectionPath(row.kind, namespace), `suite in (${prefix}),tier!=front`);
      expect(names(back.items)).toEqual([`${prefix}-b`]);
      const none = await list(collectionPath(row.kind, namespace), `suite=${prefix},!tier`);
      expect(none.items).toEqual([]);
      // The cluster-wide path lists namespaced kinds across namespaces.
      const all = await list(collectionPath(row.kind), `suite=${prefix}`);
      expect(qualifiedNames(all.items)).toEqual(
        ['a', 'b', 'c'].map((s) => (namespace ? `${namespace}/${prefix}-${s}` : `${prefix}-${s}`)),
      );
    });

    it('pages with limit and continue', async () => {
      const path = collectionPath(row.kind, namespace);
      const first = (
        await t
          .http()
          .get(path)
          .query({ labelSelector: `suite=${prefix}`, limit: 2 })
          .expect(200)
      ).body as KubeList;
      expect(names(first.items)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(first.metadata.continue).toEqual(expect.any(String));
      expect(first.metadata.remainingItemCount).toBe(1);
      const second = (
        await t
          .http()
          .get(path)
          .query({ labelSelector: `suite=${prefix}`, limit: 2, continue: first.metadata.continue })
          .expect(200)
      ).body as KubeList;
      expect(names(second.items)).toEqual([`${prefix}-c`]);
      expect(second.metadata.continue).toBeUndefined();
      expect(second.metadata.remainingItemCount).toBeUndefined();
    });

    it('PUT replaces the object: a label-only change advances resourceVersion but not generation', async () => {
      const path = itemPath(row.kind, `${prefix}-a`, namespace);
      const current = (await t.http().get(path).expect(200)).body as Obj;
      const replacement: Obj = {
        ...current,
        metadata: { ...current.metadata, labels: { ...current.metadata.labels, replaced: 'yes' } },
      };
      delete replacement.metadata.labels!.tier;
      const res = await t.http().put(path).send(replacement).expect(200);
      const o = res.body as Obj;
      // Replace, not merge: the label left out is gone.
      expect(o.metadata.labels).toEqual(expect.objectContaining({ suite: prefix, replaced: 'yes' }));
      expect(o.metadata.labels!.tier).toBeUndefined();
      expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
      expect(o.metadata.generation).toBe(current.metadata.generation);
      expect(o.metadata.uid).toBe(current.metadata.uid);
      expect(o.metadata.creationTimestamp).toBe(current.metadata.creationTimestamp);
      expect((await t.http().get(path).expect(200)).body).toEqual(o);
    });

    it('PUT of an unchanged object writes nothing (same resourceVersion)', async () => {
      const path = itemPath(row.kind, `${prefix}-a`, namespace);
      const before = await clusterResourceVersion(t);
      const current = (await t.http().get(path).expect(200)).body as Obj;
      const res = await t.http().put(path).send(current).expect(200);
      expect((res.body as Obj).metadata.resourceVersion).toBe(current.metadata.resourceVersion);
      expect(await clusterResourceVersion(t)).toBe(before);
    });

    it('PATCH (application/merge-patch+json) of the spec bumps generation; of labels only, it does not', async () => {
      const path = itemPath(row.kind, `${prefix}-b`, namespace);
      const before = (await t.http().get(path).expect(200)).body as Obj;
      const specRes = await t
        .http()
        .patch(path)
        .set('content-type', MERGE_PATCH)
        .send(JSON.stringify(row.specPatch))
        .expect(200);
      const afterSpec = specRes.body as Obj;
      expect(row.read(afterSpec)).toEqual(row.patched);
      if (row.specKept) {
        expect(row.read(before)).toEqual(row.patched);
        expect(afterSpec.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      } else {
        expect(row.read(before)).not.toEqual(row.patched);
        expect(afterSpec.metadata.generation).toBe(
          KINDS[row.kind].tracksGeneration ? before.metadata.generation! + 1 : undefined,
        );
        expect(Number(afterSpec.metadata.resourceVersion)).toBeGreaterThan(
          Number(before.metadata.resourceVersion),
        );
      }
      // A merge patch keeps what it does not mention.
      expect(afterSpec.metadata.labels).toEqual(before.metadata.labels);

      const labelRes = await t
        .http()
        .patch(path)
        .set('content-type', MERGE_PATCH)
        .send(JSON.stringify({ metadata: { labels: { tier: null, patched: 'yes' } } }))
        .expect(200);
      const afterLabels = labelRes.body as Obj;
      expect(afterLabels.metadata.labels).toEqual(expect.objectContaining({ suite: prefix, patched: 'yes' }));
      expect(afterLabels.metadata.labels!.tier).toBeUndefined();
      expect(afterLabels.metadata.generation).toBe(afterSpec.metadata.generation);
      expect(Number(afterLabels.metadata.resourceVersion)).toBeGreaterThan(
        Number(afterSpec.metadata.resourceVersion),
      );
      expect(row.read(afterLabels)).toEqual(row.patched);
      expect((await t.http().get(path).expect(200)).body).toEqual(afterLabels);
    });

    it('DELETE removes the object and answers it; GET is then 404 and lists leave it out', async () => {
      const path = itemPath(row.kind, `${prefix}-c`, namespace);
      const before = await clusterResourceVersion(t);
      const res = await t.http().delete(path).expect(200);
      expect((res.body as Obj).metadata.name).toBe(`${prefix}-c`);
      expect((res.body as Obj).metadata.uid).toBe(created.c!.metadata.uid);
      const gone = await t.http().get(path).expect(404);
      expect(gone.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
      const list = (
        await t
          .http()
          .get(collectionPath(row.kind, namespace))
          .query({ labelSelector: `suite=${prefix}` })
          .expect(200)
      ).body as KubeList;
      expect(names(list.items)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(await clusterResourceVersion(t)).toBeGreaterThan(before);
    });
  });

  it('uses one increasing resourceVersion sequence across kinds', async () => {
    const rvs: number[] = [];
    for (const kind of KIND_NAMES) {
      const namespace = manifestOf(kind, 'x', NS).metadata.namespace ? NS : undefined;
      const res = await t
        .http()
        .post(collectionPath(kind, namespace))
        .send(manifestOf(kind, `seq-${kind.toLowerCase()}`, namespace))
        .expect(201);
      rvs.push(Number((res.body as Obj).metadata.resourceVersion));
    }
    for (let i = 1; i < rvs.length; i++) expect(rvs[i]).toBeGreaterThan(rvs[i - 1]!);
    // No two kinds share a value: one counter, not one per kind.
    expect(new Set(rvs).size).toBe(rvs.length);
    expect(await clusterResourceVersion(t)).toBe(rvs[rvs.length - 1]);
  });

  it('deleting a namespace deletes what is in it', async () => {
    await t
      .http()
      .post('/api/v1/namespaces')
      .send(manifestOf('Namespace', 'doomed', undefined))
      .expect(201);
    await t
      .http()
      .post(collectionPath('Pod', 'doomed'))
      .send(manifestOf('Pod', 'p', 'doomed'))
      .expect(201);
    await t
      .http()
      .post(collectionPath('Service', 'doomed'))
      .send(manifestOf('Service', 's', 'doomed'))
      .expect(201);
    await t.http().delete('/api/v1/namespaces/doomed').expect(200);
    await t.http().get('/api/v1/namespaces/doomed/pods/p').expect(404);
    expect(
      ((await t.http().get('/api/v1/pods').expect(200)).body as KubeList).items.filter(
        (p) => p.metadata.namespace === 'doomed',
      ),
    ).toEqual([]);
    expect(
      ((await t.http().get('/api/v1/services').expect(200)).body as KubeList).items.filter(
        (p) => p.metadata.namespace === 'doomed',
      ),
    ).toEqual([]);
  });
});

describe('legacy v1 Endpoints derived from EndpointSlices', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await t
      .http()
      .post('/api/v1/namespaces')
      .send(manifestOf('Namespace', 'legacy', undefined))
      .expect(201);
    await t
      .http()
      .post(collectionPath('Service', 'legacy'))
      .send(manifestOf('Service', 'web', 'legacy'))
      .expect(201);
    await t
      .http()
      .post(collectionPath('EndpointSlice', 'legacy'))
      .send({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-abc12', namespace: 'legacy', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['10.244.1.7'], conditions: { ready: true }, nodeName: 'node-1' },
          { addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-1' },
          { addresses: ['10.244.2.9'], conditions: { ready: false }, nodeName: 'node-2' },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      })
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('GET /api/v1/namespaces/{ns}/endpoints/{name} lines the slice up as subsets', async () => {
    const res = await t.http().get('/api/v1/namespaces/legacy/endpoints/web').expect(200);
    expect(res.body).toMatchObject({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'legacy' },
    });
    expect(res.body.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.1.5', nodeName: 'node-1' },
          { ip: '10.244.1.7', nodeName: 'node-1' },
        ],
        notReadyAddresses: [{ ip: '10.244.2.9', nodeName: 'node-2' }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('follows a change of the slice', async () => {
    await t
      .http()
      .patch('/apis/discovery.k8s.io/v1/namespaces/legacy/endpointslices/web-abc12')
      .set('content-type', MERGE_PATCH)
      .send(JSON.stringify({ endpoints: [{ addresses: ['10.244.3.3'], conditions: { ready: true } }] }))
      .expect(200);
    const res = await t.http().get('/api/v1/namespaces/legacy/endpoints/web').expect(200);
    expect(res.body.subsets).toEqual([
      { addresses: [{ ip: '10.244.3.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it('lists Endpoints per namespace and is 404 for a name with neither service nor slice', async () => {
    const list = await t.http().get('/api/v1/namespaces/legacy/endpoints').expect(200);
    expect(list.body.kind).toBe('EndpointsList');
    expect(names(list.body.items)).toEqual(['web']);
    const missing = await t.http().get('/api/v1/namespaces/legacy/endpoints/nothing').expect(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'endpoints "nothing" not found',
    });
  });
});
