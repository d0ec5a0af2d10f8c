import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { startApp, YAML, type TestApp } from '../support/app.js';
import {
  allObjects,
  clusterResourceVersion,
  collectionPath,
  DEMO_YAML,
  KIND_NAMES,
  manifestOf,
  manyServicesYaml,
  names,
  type KubeList,
  type Obj,
} from './e2e-helpers.js';

interface ApplyItem {
  index: number;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  action: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  message?: string | null;
  causes?: { reason: string; field: string; message: string }[] | null;
}

interface ApplyResult {
  dryRun: boolean;
  resourceVersion: string;
  items: ApplyItem[];
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

const APPLY = `mutation($m: String!, $dryRun: Boolean, $atomic: Boolean) {
  applyManifests(manifests: $m, dryRun: $dryRun, atomic: $atomic) {
    dryRun resourceVersion created updated unchanged skipped failed
    items { index apiVersion kind namespace name action message causes { reason field message } }
  }
}`;

const DEMO_DOCS = parseAllDocuments(DEMO_YAML).map((d) => d.toJS() as Obj);

const actions = (r: ApplyResult) =>
  r.items.map((i) => `${i.kind} ${i.namespace ? `${i.namespace}/` : ''}${i.name}: ${i.action}`);

function applyYaml(t: TestApp, body: string, query = '') {
  return t.http().post(`/netmodel/v1/apply${query}`).set('content-type', YAML).send(body);
}

describe('POST /netmodel/v1/apply and applyManifests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('applies multi-document YAML, reporting created, and skipped for kinds it does not model', async () => {
    const yaml = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  a: b
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Endpoints
metadata:
  name: web
  namespace: shop
subsets: []
`;
    const res = await applyYaml(t, yaml).expect(200);
    const r = res.body as ApplyResult;
    expect(actions(r)).toEqual([
      'Namespace shop: created',
      'ConfigMap shop/settings: skipped',
      'Service shop/web: created',
      'Endpoints shop/web: skipped',
    ]);
    expect(r.items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(r).toMatchObject({ dryRun: false, created: 2, updated: 0, unchanged: 0, skipped: 2, failed: 0 });
    expect(r.items[1]!.message).toBe('v1 ConfigMap is not modelled by netmodel');
    expect(r.items[3]!.message).toMatch(/EndpointSlices/);
    expect(r.resourceVersion).toBe(String(await clusterResourceVersion(t)));
    await t.http().get('/api/v1/namespaces/shop/services/web').expect(200);
    await t.http().get('/api/v1/namespaces/shop/configmaps/settings').expect(404);
  });

  it('re-applying the same YAML reports unchanged and spends no resourceVersion; a changed document reports updated', async () => {
    const yaml = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;
    const rv = await clusterResourceVersion(t);
    const same = (await applyYaml(t, yaml).expect(200)).body as ApplyResult;
    expect(actions(same)).toEqual(['Service shop/web: unchanged']);
    expect(same.resourceVersion).toBe(String(rv));
    expect(await clusterResourceVersion(t)).toBe(rv);

    const changed = (await applyYaml(t, yaml.replace('targetPort: 8080', 'targetPort: 9090')).expect(200))
      .body as ApplyResult;
    expect(actions(changed)).toEqual(['Service shop/web: updated']);
    expect(Number(changed.resourceVersion)).toBeGreaterThan(rv);
    const svc = (await t.http().get('/api/v1/namespaces/shop/services/web').expect(200)).body as Obj;
    expect((svc.spec as { ports: { targetPort: number }[] }).ports[0]!.targetPort).toBe(9090);
    expect(svc.metadata.generation).toBeUndefined(); // Services carry no generation, as in Kubernetes
  });

  it('applies a JSON body: one object, or an array', async () => {
    const one = await t
      .http()
      .post('/netmodel/v1/apply')
      .send(manifestOf('Pod', 'json-one', 'shop'))
      .expect(200);
    expect(actions(one.body as ApplyResult)).toEqual(['Pod shop/json-one: created']);
    const many = await t
      .http()
      .post('/netmodel/v1/apply')
      .send([manifestOf('Pod', 'json-two', 'shop'), manifestOf('Pod', 'json-one', 'shop')])
      .expect(200);
    expect(actions(many.body as ApplyResult)).toEqual([
      'Pod shop/json-two: created',
      'Pod shop/json-one: unchanged',
    ]);
  });

  it('applies kind: List as kubectl get -o yaml prints it', async () => {
    const yaml = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: listed-a
    namespace: shop
    uid: 0d8e7a8e-0000-0000-0000-000000000000
    resourceVersion: "12345"
    creationTimestamp: "2024-01-01T00:00:00Z"
    labels:
      from: list
  spec:
    containers:
    - name: app
      image: nginx
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: listed-policy
    namespace: shop
  spec:
    podSelector:
      matchLabels:
        from: list
`;
    const r = (await applyYaml(t, yaml).expect(200)).body as ApplyResult;
    expect(actions(r)).toEqual(['Pod shop/listed-a: created', 'NetworkPolicy shop/listed-policy: created']);
    const pod = (await t.http().get('/api/v1/namespaces/shop/pods/listed-a').expect(200)).body as Obj;
    // What another cluster's server set is not carried over.
    expect(pod.metadata.uid).not.toBe('0d8e7a8e-0000-0000-0000-000000000000');
    expect(pod.metadata.creationTimestamp).not.toBe('2024-01-01T00:00:00Z');
    expect(Number(pod.metadata.resourceVersion)).toBeLessThan(12345);
  });

  it('applies a typed PodList whose items carry no kind of their own', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: { resourceVersion: '1' },
      items: [
        {
          metadata: { name: 'typed-a', namespace: 'shop' },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
        {
          metadata: { name: 'typed-b', namespace: 'shop' },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
      ],
    };
    const r = (await t.http().post('/netmodel/v1/apply').send(body).expect(200)).body as ApplyResult;
    expect(actions(r)).toEqual(['Pod shop/typed-a: created', 'Pod shop/typed-b: created']);
    expect(r.items.every((i) => i.apiVersion === 'v1')).toBe(true);
    await t.http().get('/api/v1/namespaces/shop/pods/typed-b').expect(200);
  });

  it('defaults the namespace of a namespaced object to default', async () => {
    const r = (
      await applyYaml(
        t,
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: nons\nspec:\n  containers:\n  - name: a\n    image: x\n',
      ).expect(200)
    ).body as ApplyResult;
    expect(actions(r)).toEqual(['Pod default/nons: created']);
    await t.http().get('/api/v1/namespaces/default/pods/nons').expect(200);
  });

  it('creates namespaces before what lives in them, whatever the document order', async () => {
    const yaml = [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: early\n  namespace: later\nspec:\n  containers:\n  - name: a\n    image: x\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: later\n',
    ].join('---\n');
    const r = (await applyYaml(t, yaml).expect(200)).body as ApplyResult;
    expect(actions(r)).toEqual(['Pod later/early: created', 'Namespace later: created']);
  });

  it('dryRun=true reports what would happen and saves nothing', async () => {
    const rv = await clusterResourceVersion(t);
    const before = await allObjects(t);
    const yaml = `${manyServicesYaml('shop', 3)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    changed: "yes"\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 9090\n`;
    const rest = (await applyYaml(t, yaml, '?dryRun=true').expect(200)).body as ApplyResult;
    expect(rest).toMatchObject({ dryRun: true, created: 3, updated: 1, failed: 0 });
    expect(rest.resourceVersion).toBe(String(rv));
    const gql = await t.gql<{ applyManifests: ApplyResult }>(APPLY, { m: yaml, dryRun: true });
    expect(gql.errors).toBeUndefined();
    expect(gql.data.applyManifests).toMatchObject({ dryRun: true, created: 3, updated: 1 });
    expect(await clusterResourceVersion(t)).toBe(rv);
    expect(await allObjects(t)).toEqual(before);
    await t.http().get('/api/v1/namespaces/shop/services/svc-000').expect(404);
  });

  it('applyManifests (GraphQL) creates, then reports unchanged', async () => {
    const m = manyServicesYaml('shop', 2).replace(/svc-/g, 'gql-');
    const first = await t.gql<{ applyManifests: ApplyResult }>(APPLY, { m });
    expect(first.errors).toBeUndefined();
    expect(actions(first.data.applyManifests)).toEqual([
      'Service shop/gql-000: created',
      'Service shop/gql-001: created',
    ]);
    expect(first.data.applyManifests.resourceVersion).toBe(String(await clusterResourceVersion(t)));
    const again = await t.gql<{ applyManifests: ApplyResult }>(APPLY, { m });
    expect(actions(again.data.applyManifests)).toEqual([
      'Service shop/gql-000: unchanged',
      'Service shop/gql-001: unchanged',
    ]);
    expect(again.data.applyManifests.resourceVersion).toBe(first.data.applyManifests.resourceVersion);
  });

  it.each([
    { name: 'an empty body', body: '', contentType: YAML, message: /empty|no objects/ },
    { name: 'only comments', body: '# nothing here\n', contentType: YAML, message: /no objects/ },
    {
      name: 'malformed YAML',
      body: 'apiVersion: v1\nkind: [Pod\n',
      contentType: YAML,
      message: /not valid YAML/,
    },
    {
      name: 'duplicate keys',
      body: 'apiVersion: v1\nkind: Pod\nkind: Service\n',
      contentType: YAML,
      message: /not valid YAML/,
    },
    {
      name: 'malformed JSON',
      body: '{"apiVersion": "v1",',
      contentType: 'application/json',
      message: /not valid JSON/,
    },
  ])('answers $name with 400 BadRequest', async ({ body, contentType, message }) => {
    const rv = await clusterResourceVersion(t);
    const res = await t.http().post('/netmodel/v1/apply').set('content-type', contentType).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect(res.body.message).toMatch(message);
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('reports a document without kind or apiVersion as failed', async () => {
    const res = await applyYaml(t, 'metadata:\n  name: anonymous\n', '?atomic=false').expect(200);
    const r = res.body as ApplyResult;
    expect(r.items).toEqual([
      expect.objectContaining({
        index: 0,
        action: 'failed',
        message: "Object 'Kind' and 'apiVersion' are required",
      }),
    ]);
  });
});

describe('all-or-nothing apply of 50 documents with one invalid', () => {
  let t: TestApp;
  const BAD = 37;
  // svc-037 gets port 0: spec.ports[0].port is invalid.
  const yaml = manyServicesYaml('bulk', 50, (i, doc) =>
    i === BAD
      ? { ...doc, spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 0, targetPort: 8080 }] } }
      : doc,
  );
  beforeAll(async () => {
    t = await startApp();
    await t
      .http()
      .post('/api/v1/namespaces')
      .send(manifestOf('Namespace', 'bulk', undefined))
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('answers 422 Invalid naming the failing document, and leaves the database unchanged', async () => {
    const exportBefore = (await t.http().get('/netmodel/v1/export').expect(200)).text;
    const rv = await clusterResourceVersion(t);
    const res = await applyYaml(t, yaml);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
    expect(res.body.message).toMatch(
      /^apply failed: 1 of 50 documents is invalid, nothing was applied: Service bulk\/svc-037: /,
    );
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: `items[${BAD}].spec.ports[0].port`,
        message: expect.stringMatching(/^Service bulk\/svc-037: Invalid value: 0: /),
      },
    ]);
    expect(await clusterResourceVersion(t)).toBe(rv);
    expect((await t.http().get('/netmodel/v1/export').expect(200)).text).toBe(exportBefore);
    const list = (await t.http().get(collectionPath('Service', 'bulk')).expect(200)).body as KubeList;
    expect(list.items).toEqual([]);
  });

  it('fails the same way through GraphQL (INVALID, causes naming the document)', async () => {
    const rv = await clusterResourceVersion(t);
    const r = await t.gql(APPLY, { m: yaml });
    expect(r.errors).toHaveLength(1);
    const e = r.errors![0]!;
    expect(e.path).toEqual(['applyManifests']);
    expect(e.extensions?.code).toBe('INVALID');
    expect(e.extensions?.causes?.map((c) => c.field)).toEqual([`items[${BAD}].spec.ports[0].port`]);
    expect(e.extensions?.causes?.[0]!.message).toMatch(/^Service bulk\/svc-037: /);
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('names every failing document when several fail, one cause each', async () => {
    const two = `${yaml}---\n${JSON.stringify(manifestOf('Pod', 'p', 'nowhere'))}\n`;
    const rv = await clusterResourceVersion(t);
    const res = await applyYaml(t, two);
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/^apply failed: 2 of 51 documents are invalid, nothing was applied: /);
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      `items[${BAD}].spec.ports[0].port`,
      'items[50]',
    ]);
    expect(res.body.details.causes[1].message).toBe('Pod nowhere/p: namespaces "nowhere" not found');
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('with atomic=false applies the 49 valid documents and reports the invalid one', async () => {
    const res = await applyYaml(t, yaml, '?atomic=false').expect(200);
    const r = res.body as ApplyResult;
    expect(r).toMatchObject({ created: 49, failed: 1, updated: 0, unchanged: 0, skipped: 0 });
    const failed = r.items.filter((i) => i.action === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        index: BAD,
        kind: 'Service',
        namespace: 'bulk',
        name: 'svc-037',
        causes: [expect.objectContaining({ field: 'spec.ports[0].port' })],
      }),
    ]);
    const list = (await t.http().get(collectionPath('Service', 'bulk')).expect(200)).body as KubeList;
    expect(list.items).toHaveLength(49);
    expect(names(list.items)).not.toContain('svc-037');
    expect(r.resourceVersion).toBe(String(await clusterResourceVersion(t)));
  });

  it('with atomic: false through GraphQL the same batch is now 49 unchanged and 1 failed', async () => {
    const r = await t.gql<{ applyManifests: ApplyResult }>(APPLY, { m: yaml, atomic: false });
    expect(r.errors).toBeUndefined();
    expect(r.data.applyManifests).toMatchObject({ created: 0, unchanged: 49, failed: 1 });
    expect(r.data.applyManifests.items[BAD]).toMatchObject({ action: 'failed', name: 'svc-037' });
  });
});

describe('the demo cluster', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('applies to an empty cluster creating every object', async () => {
    const res = await applyYaml(t, DEMO_YAML).expect(200);
    const r = res.body as ApplyResult;
    expect(r.items).toHaveLength(DEMO_DOCS.length);
    expect(r).toMatchObject({ created: DEMO_DOCS.length, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    for (const kind of KIND_NAMES) {
      const expected = DEMO_DOCS.filter((d) => d.kind === kind).map(
        (d) => `${d.metadata.namespace ?? ''}/${d.metadata.name}`,
      );
      const list = (await t.http().get(collectionPath(kind)).expect(200)).body as KubeList;
      const got = list.items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(got).toEqual(expect.arrayContaining(expected));
    }
    // Pinned addresses are kept as the snapshot has them.
    const fe = (await t.http().get('/api/v1/namespaces/shop/services/frontend').expect(200)).body as Obj;
    expect(fe.spec).toMatchObject({
      clusterIP: '10.96.100.10',
      type: 'LoadBalancer',
      ports: [expect.objectContaining({ nodePort: 30080 })],
    });
    const pod = (await t.http().get('/api/v1/namespaces/shop/pods/db-0').expect(200)).body as Obj;
    expect(pod.status).toMatchObject({ podIP: '10.244.1.12' });
  });

  it('re-applied, reports every object unchanged and does not advance resourceVersion', async () => {
    const rv = await clusterResourceVersion(t);
    const r = (await applyYaml(t, DEMO_YAML).expect(200)).body as ApplyResult;
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: DEMO_DOCS.length, failed: 0 });
    expect(r.resourceVersion).toBe(String(rv));
    expect(await clusterResourceVersion(t)).toBe(rv);
  });
});

describe('export and re-import', () => {
  let source: TestApp;
  let target: TestApp;
  beforeAll(async () => {
    source = await startApp({ seed: 'demo' });
    target = await startApp();
  });
  afterAll(async () => {
    await source.close({ drop: true });
    await target.close({ drop: true });
  });

  it('GET /netmodel/v1/export is YAML that applies to a fresh database as the same objects', async () => {
    await source
      .http()
      .post('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices')
      .send({ ...manifestOf('EndpointSlice', 'api-abcde', 'shop', { 'kubernetes.io/service-name': 'api' }) })
      .expect(201);
    const exported = await source.http().get('/netmodel/v1/export').expect(200);
    expect(exported.headers['content-type']).toMatch(/^application\/yaml/);
    const docs = parseAllDocuments(exported.text).map((d) => d.toJS() as Obj);
    expect(docs.length).toBeGreaterThan(DEMO_DOCS.length);

    const r = (await applyYaml(target, exported.text).expect(200)).body as ApplyResult;
    expect(r.failed).toBe(0);
    expect(r.skipped).toBe(0);
    // Controller-managed slices are derived again on import: same content, new names and uids.
    const derived = (items: Obj[]) =>
      items.map((o) => {
        const labels = o.metadata.labels ?? {};
        if (o.kind !== 'EndpointSlice' || labels['endpointslice.kubernetes.io/managed-by'] === undefined)
          return o;
        const text = JSON.stringify({
          ...o,
          metadata: { ...o.metadata, name: `${labels['kubernetes.io/service-name']}-*` },
        });
        return JSON.parse(text.replace(/"uid":"[^"]*"/g, '"uid":"*"')) as Obj;
      });
    const want = await allObjects(source);
    const got = await allObjects(target);
    const sorted = (items: Obj[]) =>
      derived(items).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    for (const kind of KIND_NAMES)
      expect({ kind, items: sorted(got[kind]!) }).toEqual({ kind, items: sorted(want[kind]!) });
    expect(docs.some((d) => d.kind === 'EndpointSlice' && d.metadata.name === 'api-abcde')).toBe(true);
    expect(
      docs.some(
        (d) =>
          d.kind === 'EndpointSlice' &&
          d.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] !== undefined,
      ),
    ).toBe(false);
  });

  it('exportManifests (GraphQL) is the same YAML as the REST export', async () => {
    const rest = (await source.http().get('/netmodel/v1/export').expect(200)).text;
    const r = await source.gql<{ exportManifests: string }>('{ exportManifests }');
    expect(r.errors).toBeUndefined();
    expect(r.data.exportManifests).toBe(rest);
  });
});
