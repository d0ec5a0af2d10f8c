import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, YAML, type TestApp } from '../support/app.js';
import { allObjects, clusterResourceVersion, manifestOf, MERGE_PATCH, type Obj } from './e2e-helpers.js';

const NS = 'err';

interface RestRow {
  readonly name: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly contentType?: string;
  /** An object is sent as JSON; a string is sent as is; a function is called when the row runs. */
  readonly body?: unknown;
  readonly code: number;
  readonly reason: string;
  readonly message: string | RegExp;
  readonly causes?: readonly string[];
}

const servicePath = `/api/v1/namespaces/${NS}/services`;
const svc = (spec: Record<string, unknown>, name = 'bad') => ({
  ...manifestOf('Service', name, NS),
  spec: { selector: { app: name }, ...spec },
});

/** Filled in beforeAll: the stored Service `web` and its resourceVersion before it was last written. */
let staleRv = '';

function restRows(): RestRow[] {
  return [
    {
      name: 'a Service port 0 is Invalid (422) with the field of the port',
      method: 'post',
      path: servicePath,
      body: svc({ ports: [{ port: 0 }] }),
      code: 422,
      reason: 'Invalid',
      message: /^Service "bad" is invalid: spec\.ports\[0\]\.port: Invalid value: 0/,
      causes: ['spec.ports[0].port'],
    },
    {
      name: 'several invalid fields are all reported',
      method: 'post',
      path: servicePath,
      body: svc({
        type: 'Bogus',
        ports: [
          { name: 'a', port: 80, protocol: 'ICMP' },
          { name: 'b', port: 70000, targetPort: 8080 },
        ],
      }),
      code: 422,
      reason: 'Invalid',
      message: /^Service "bad" is invalid: /,
      causes: ['spec.ports[0].protocol', 'spec.ports[1].port', 'spec.type'],
    },
    {
      name: 'an invalid object name is Invalid (422) on metadata.name',
      method: 'post',
      path: `/api/v1/namespaces/${NS}/pods`,
      body: manifestOf('Pod', 'Bad_Name', NS),
      code: 422,
      reason: 'Invalid',
      message: /^Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/,
      causes: ['metadata.name'],
    },
    {
      name: 'a pod without containers is Invalid (422) on spec.containers',
      method: 'post',
      path: `/api/v1/namespaces/${NS}/pods`,
      body: { ...manifestOf('Pod', 'empty', NS), spec: { containers: [] } },
      code: 422,
      reason: 'Invalid',
      message: /spec\.containers: Required value/,
      causes: ['spec.containers'],
    },
    {
      name: 'creating a name that exists is AlreadyExists (409)',
      method: 'post',
      path: servicePath,
      body: manifestOf('Service', 'web', NS),
      code: 409,
      reason: 'AlreadyExists',
      message: 'services "web" already exists',
    },
    {
      name: 'a PUT with a stale metadata.resourceVersion is a Conflict (409)',
      method: 'put',
      path: `${servicePath}/web`,
      body: () => ({
        ...manifestOf('Service', 'web', NS),
        metadata: { name: 'web', namespace: NS, labels: { stale: 'yes' }, resourceVersion: staleRv },
      }),
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on services "web": the object has been modified; please apply your changes to the latest version and try again',
    },
    {
      name: 'a merge patch with a stale metadata.resourceVersion is a Conflict (409)',
      method: 'patch',
      path: `${servicePath}/web`,
      contentType: MERGE_PATCH,
      body: () => ({ metadata: { resourceVersion: staleRv, labels: { stale: 'yes' } } }),
      code: 409,
      reason: 'Conflict',
      message: /^Operation cannot be fulfilled on services "web"/,
    },
    {
      name: 'a DELETE with a stale precondition is a Conflict (409)',
      method: 'delete',
      path: `${servicePath}/web`,
      body: () => ({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: staleRv } }),
      code: 409,
      reason: 'Conflict',
      message: /^Operation cannot be fulfilled on services "web"/,
    },
    {
      name: 'GET of a missing object is NotFound (404)',
      method: 'get',
      path: `/api/v1/namespaces/${NS}/pods/nope`,
      code: 404,
      reason: 'NotFound',
      message: 'pods "nope" not found',
    },
    {
      name: 'GET of a missing object in a named group says the group',
      method: 'get',
      path: `/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies/nope`,
      code: 404,
      reason: 'NotFound',
      message: 'networkpolicies.networking.k8s.io "nope" not found',
    },
    {
      name: 'PATCH of a missing object is NotFound (404)',
      method: 'patch',
      path: `${servicePath}/nope`,
      contentType: MERGE_PATCH,
      body: { metadata: { labels: { a: 'b' } } },
      code: 404,
      reason: 'NotFound',
      message: 'services "nope" not found',
    },
    {
      name: 'DELETE of a missing object is NotFound (404)',
      method: 'delete',
      path: '/api/v1/nodes/nope',
      code: 404,
      reason: 'NotFound',
      message: 'nodes "nope" not found',
    },
    {
      name: 'creating in a namespace that does not exist is NotFound (404) for the namespace',
      method: 'post',
      path: '/api/v1/namespaces/x/pods',
      body: manifestOf('Pod', 'p', 'x'),
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "x" not found',
    },
    {
      name: 'an unknown core resource is NotFound (404)',
      method: 'get',
      path: '/api/v1/widgets',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'an unknown group is NotFound (404)',
      method: 'post',
      path: '/apis/example.com/v1/namespaces/err/things',
      body: { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'a' } },
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'a cluster-scoped kind under a namespace is NotFound (404)',
      method: 'get',
      path: '/api/v1/namespaces/err/nodes',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'a path outside every API is NotFound (404)',
      method: 'get',
      path: '/no/such/path',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      name: 'a string where an integer goes is BadRequest (400) naming the field',
      method: 'post',
      path: servicePath,
      body: svc({ ports: [{ port: 'abc' }] }),
      code: 400,
      reason: 'BadRequest',
      message: /^Service in version "v1" cannot be handled as a Service: spec\.ports\[0\]\.port/,
      causes: ['spec.ports[0].port'],
    },
    {
      name: 'labels that are not a map of strings are BadRequest (400)',
      method: 'post',
      path: `/api/v1/namespaces/${NS}/pods`,
      body: { ...manifestOf('Pod', 'p', NS), metadata: { name: 'p', labels: { app: 5 } } },
      code: 400,
      reason: 'BadRequest',
      message: /cannot be handled as a Pod/,
      causes: ['metadata.labels'],
    },
    {
      name: 'malformed JSON is BadRequest (400)',
      method: 'post',
      path: servicePath,
      contentType: 'application/json',
      body: '{"apiVersion": "v1", "kind": ',
      code: 400,
      reason: 'BadRequest',
      message: /not valid JSON/,
    },
    {
      name: 'a malformed merge patch is BadRequest (400)',
      method: 'patch',
      path: `${servicePath}/web`,
      contentType: MERGE_PATCH,
      body: '{"metadata": ',
      code: 400,
      reason: 'BadRequest',
      message: /JSON/,
    },
    {
      name: 'a body that is not an object is BadRequest (400)',
      method: 'post',
      path: servicePath,
      body: [1, 2, 3],
      code: 400,
      reason: 'BadRequest',
      message: /Service/,
    },
    {
      name: 'a malformed labelSelector is BadRequest (400)',
      method: 'get',
      path: `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('app in (web')}`,
      code: 400,
      reason: 'BadRequest',
      message: /./,
    },
    {
      name: 'a continue token that was never issued is BadRequest (400)',
      method: 'get',
      path: `/api/v1/namespaces/${NS}/pods?limit=1&continue=not-a-token`,
      code: 400,
      reason: 'BadRequest',
      message: 'invalid continue token "not-a-token"',
    },
    {
      name: 'a limit that is not a number is BadRequest (400)',
      method: 'get',
      path: `/api/v1/namespaces/${NS}/pods?limit=ten`,
      code: 400,
      reason: 'BadRequest',
      message: 'limit must be a non-negative integer, got "ten"',
    },
    {
      name: 'a body namespace other than the URL namespace is BadRequest (400)',
      method: 'post',
      path: servicePath,
      body: manifestOf('Service', 'elsewhere', 'default'),
      code: 400,
      reason: 'BadRequest',
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      name: 'a body of another kind than the URL is BadRequest (400)',
      method: 'post',
      path: `/api/v1/namespaces/${NS}/pods`,
      body: manifestOf('Service', 'svc-as-pod', NS),
      code: 400,
      reason: 'BadRequest',
      message: 'the kind in the data (Service) does not match the expected kind (Pod)',
    },
    {
      name: 'a PUT whose body names another object is BadRequest (400)',
      method: 'put',
      path: `${servicePath}/web`,
      body: manifestOf('Service', 'other', NS),
      code: 400,
      reason: 'BadRequest',
      message: 'the name of the object (other) does not match the name on the URL (web)',
    },
    {
      name: 'a patch that renames the object is BadRequest (400)',
      method: 'patch',
      path: `${servicePath}/web`,
      contentType: MERGE_PATCH,
      body: { metadata: { name: 'renamed' } },
      code: 400,
      reason: 'BadRequest',
      message: 'the patch may not change metadata.name or metadata.namespace',
    },
    {
      name: 'an unsupported dryRun value is BadRequest (400)',
      method: 'post',
      path: `${servicePath}?dryRun=Everything`,
      body: manifestOf('Service', 'dry', NS),
      code: 400,
      reason: 'BadRequest',
      message: 'Unsupported value: "Everything": supported values: "All"',
    },
    {
      name: 'deleting namespace default is Forbidden (403)',
      method: 'delete',
      path: '/api/v1/namespaces/default',
      code: 403,
      reason: 'Forbidden',
      message: 'namespaces "default" is forbidden: this namespace may not be deleted',
    },
    {
      name: 'deleting namespace kube-system is Forbidden (403)',
      method: 'delete',
      path: '/api/v1/namespaces/kube-system',
      code: 403,
      reason: 'Forbidden',
      message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    },
    {
      name: 'a strategic merge patch is UnsupportedMediaType (415)',
      method: 'patch',
      path: `${servicePath}/web`,
      contentType: 'application/strategic-merge-patch+json',
      body: { metadata: { labels: { a: 'b' } } },
      code: 415,
      reason: 'UnsupportedMediaType',
      message: /application\/merge-patch\+json/,
    },
    {
      name: 'a JSON patch is UnsupportedMediaType (415)',
      method: 'patch',
      path: `${servicePath}/web`,
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: '/metadata/labels/a', value: 'b' }],
      code: 415,
      reason: 'UnsupportedMediaType',
      message: /application\/merge-patch\+json/,
    },
    {
      name: 'a body in a media type no parser knows is UnsupportedMediaType (415)',
      method: 'post',
      path: servicePath,
      contentType: 'application/x-protobuf',
      body: 'k8s\u0000',
      code: 415,
      reason: 'UnsupportedMediaType',
      message: /./,
    },
  ];
}

async function send(t: TestApp, row: Pick<RestRow, 'method' | 'path' | 'contentType' | 'body'>) {
  let req = t.http()[row.method](row.path);
  if (row.contentType) req = req.set('content-type', row.contentType);
  const body: unknown = typeof row.body === 'function' ? (row.body as () => unknown)() : row.body;
  if (body === undefined) return req;
  return req.send(
    typeof body === 'string' ? body : row.contentType ? JSON.stringify(body) : (body as object),
  );
}

/**
 * An app with namespace NS holding Service "web" updated once, so `staleRv` (its first version) is stale;
 * `before` is every object at that point, to show a refused request changed nothing.
 */
async function startWithStaleService(): Promise<{
  t: TestApp;
  before: Awaited<ReturnType<typeof allObjects>>;
}> {
  const t = await startApp();
  await t
    .http()
    .post('/api/v1/namespaces')
    .send(manifestOf('Namespace', NS, undefined))
    .expect(201);
  const created = await t
    .http()
    .post(servicePath)
    .send(manifestOf('Service', 'web', NS))
    .expect(201);
  staleRv = (created.body as Obj).metadata.resourceVersion!;
  await t
    .http()
    .patch(`${servicePath}/web`)
    .set('content-type', MERGE_PATCH)
    .send(JSON.stringify({ metadata: { labels: { v: '2' } } }))
    .expect(200);
  return { t, before: await allObjects(t) };
}

describe('REST errors are Kubernetes Status objects', () => {
  let t: TestApp;
  let before: Awaited<ReturnType<typeof allObjects>>;
  beforeAll(async () => {
    ({ t, before } = await startWithStaleService());
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it.each(restRows())('$name', async (row) => {
    const rv = await clusterResourceVersion(t);
    const res = await send(t, row);
    expect(res.status).toBe(row.code);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: row.reason,
      code: row.code,
    });
    if (typeof row.message === 'string') expect(res.body.message).toBe(row.message);
    else expect(res.body.message).toMatch(row.message);
    if (row.causes) {
      const fields = (res.body.details.causes as { field: string }[]).map((c) => c.field).sort();
      expect(fields).toEqual([...row.causes].sort());
    }
    // A failed request writes nothing.
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('left every object as it was', async () => {
    expect(await allObjects(t)).toEqual(before);
  });

  const podPath = `/api/v1/namespaces/${NS}/pods`;
  it.each([
    { name: 'a pod body that is null', path: podPath, body: 'null' },
    { name: 'a pod body that is a number', path: podPath, body: '42' },
    { name: 'a pod body that is a string', path: podPath, body: '"pod"' },
    {
      name: 'a pod whose metadata is a string',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":"p"}',
    },
    {
      name: 'a pod with a numeric name',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":5},"spec":{"containers":[]}}',
    },
    {
      name: 'a pod whose spec is a list',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":[]}',
    },
    {
      name: 'a pod whose containers are an object',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":{"name":"a"}}}',
    },
    {
      name: 'a pod with a null container',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[null]}}',
    },
    {
      name: 'a pod with numeric podIPs',
      path: podPath,
      body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}]},"status":{"podIPs":[1,2]}}',
    },
    { name: 'a pod with no kind, apiVersion or spec', path: podPath, body: '{"metadata":{"name":"p"}}' },
    {
      name: 'a pod with deeply nested annotations',
      path: podPath,
      body: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}}`,
    },
    {
      name: 'a service without spec',
      path: servicePath,
      body: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"nospec"}}',
    },
    {
      name: 'a service whose ports are null',
      path: servicePath,
      body: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[null]}}',
    },
    {
      name: 'a node whose podCIDR is not a CIDR',
      path: '/api/v1/nodes',
      body: '{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"},"spec":{"podCIDR":"banana"}}',
    },
    {
      name: 'an ingress with an empty path',
      path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
      body: '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i"},"spec":{"rules":[{"http":{"paths":[{}]}}]}}',
    },
    {
      name: 'an ingress class without spec',
      path: '/apis/networking.k8s.io/v1/ingressclasses',
      body: '{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"c"}}',
    },
    {
      name: 'a network policy with a null peer',
      path: `/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies`,
      body: '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np"},"spec":{"ingress":[{"from":[null]}]}}',
    },
    {
      name: 'an endpoint slice without endpoints or addressType',
      path: `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
      body: '{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"es"},"endpoints":[{}]}',
    },
  ])('never answers 500 for bad input: $name', async ({ path, body }) => {
    const rv = await clusterResourceVersion(t);
    const res = await t.http().post(path).set('content-type', 'application/json').send(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.kind).toBe('Status');
    expect(await clusterResourceVersion(t)).toBe(rv);
  });
});

interface GqlRow {
  readonly name: string;
  readonly query: string;
  /** Called when the row runs, so it can use values set up in beforeAll. */
  readonly variables?: () => Record<string, unknown>;
  readonly code: string;
  readonly path?: string;
  readonly message?: string | RegExp;
  readonly causes?: readonly string[];
}

function gqlRows(): GqlRow[] {
  const create = 'mutation($m: JSONObject!) { createObject(manifest: $m) { metadata { name } } }';
  return [
    {
      name: 'createObject of an invalid Service is INVALID with the field of the port',
      query: create,
      variables: () => ({ m: svc({ ports: [{ port: 0 }] }) }),
      code: 'INVALID',
      path: 'createObject',
      message: /^Service "bad" is invalid: spec\.ports\[0\]\.port/,
      causes: ['spec.ports[0].port'],
    },
    {
      name: 'createObject of a name that exists is ALREADY_EXISTS',
      query: create,
      variables: () => ({ m: manifestOf('Service', 'web', NS) }),
      code: 'ALREADY_EXISTS',
      path: 'createObject',
      message: 'services "web" already exists',
    },
    {
      name: 'createObject in a missing namespace is NOT_FOUND',
      query: create,
      variables: () => ({ m: manifestOf('Pod', 'p', 'x') }),
      code: 'NOT_FOUND',
      path: 'createObject',
      message: 'namespaces "x" not found',
    },
    {
      name: 'createObject with a string port is BAD_REQUEST naming the field',
      query: create,
      variables: () => ({ m: svc({ ports: [{ port: 'abc' }] }) }),
      code: 'BAD_REQUEST',
      path: 'createObject',
      causes: ['spec.ports[0].port'],
    },
    {
      name: 'createObject of an unmodelled kind is BAD_REQUEST',
      query: create,
      variables: () => ({
        m: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: NS } },
      }),
      code: 'BAD_REQUEST',
      path: 'createObject',
      message: 'no kind "ConfigMap" is registered for version "v1"',
    },
    {
      name: 'replaceObject with a stale resourceVersion is CONFLICT',
      query: 'mutation($m: JSONObject!) { replaceObject(manifest: $m) { metadata { name } } }',
      variables: () => ({
        m: {
          ...manifestOf('Service', 'web', NS),
          metadata: { name: 'web', namespace: NS, resourceVersion: staleRv, labels: { x: 'y' } },
        },
      }),
      code: 'CONFLICT',
      path: 'replaceObject',
      message: /^Operation cannot be fulfilled on services "web"/,
    },
    {
      name: 'replaceObject of a missing object is NOT_FOUND',
      query: 'mutation($m: JSONObject!) { replaceObject(manifest: $m) { metadata { name } } }',
      variables: () => ({ m: manifestOf('Service', 'ghost', NS) }),
      code: 'NOT_FOUND',
      path: 'replaceObject',
      message: 'services "ghost" not found',
    },
    {
      name: 'patchObject with a stale resourceVersion in the patch is CONFLICT',
      query: `mutation($p: JSONObject!) { patchObject(kind: Service, namespace: "${NS}", name: "web", patch: $p) { metadata { name } } }`,
      variables: () => ({ p: { metadata: { resourceVersion: staleRv, labels: { x: 'y' } } } }),
      code: 'CONFLICT',
      path: 'patchObject',
    },
    {
      name: 'patchObject that makes the object invalid is INVALID',
      query: `mutation($p: JSONObject!) { patchObject(kind: Service, namespace: "${NS}", name: "web", patch: $p) { metadata { name } } }`,
      variables: () => ({ p: { spec: { ports: [{ name: 'http', port: 99999, targetPort: 8080 }] } } }),
      code: 'INVALID',
      path: 'patchObject',
      causes: ['spec.ports[0].port'],
    },
    {
      name: 'patchObject of a missing object is NOT_FOUND',
      query: `mutation { patchObject(kind: Pod, namespace: "${NS}", name: "ghost", patch: { metadata: { labels: { a: "b" } } }) { metadata { name } } }`,
      code: 'NOT_FOUND',
      path: 'patchObject',
      message: 'pods "ghost" not found',
    },
    {
      name: 'deleteObject of a missing object is NOT_FOUND',
      query: `mutation { deleteObject(kind: Ingress, namespace: "${NS}", name: "ghost") { metadata { name } } }`,
      code: 'NOT_FOUND',
      path: 'deleteObject',
      message: 'ingresses.networking.k8s.io "ghost" not found',
    },
    {
      name: 'deleteObject with a stale resourceVersion is CONFLICT',
      query: `mutation($rv: String) { deleteObject(kind: Service, namespace: "${NS}", name: "web", resourceVersion: $rv) { metadata { name } } }`,
      variables: () => ({ rv: staleRv }),
      code: 'CONFLICT',
      path: 'deleteObject',
    },
    {
      name: 'deleteObject of namespace default is FORBIDDEN',
      query: 'mutation { deleteObject(kind: Namespace, name: "default") { metadata { name } } }',
      code: 'FORBIDDEN',
      path: 'deleteObject',
      message: 'namespaces "default" is forbidden: this namespace may not be deleted',
    },
    {
      name: 'a negative first is BAD_REQUEST',
      query: '{ pods(first: -1) { totalCount } }',
      code: 'BAD_REQUEST',
      path: 'pods',
      causes: ['first'],
    },
    {
      name: 'a first above the page limit is BAD_REQUEST',
      query: '{ services(first: 10001) { totalCount } }',
      code: 'BAD_REQUEST',
      path: 'services',
      causes: ['first'],
    },
    {
      name: 'a malformed labelSelector is BAD_REQUEST',
      query: '{ pods(labelSelector: "app in (web") { totalCount } }',
      code: 'BAD_REQUEST',
      path: 'pods',
    },
    {
      name: 'an unknown cursor is BAD_REQUEST',
      query: '{ networkPolicies(first: 1, after: "bogus") { totalCount } }',
      code: 'BAD_REQUEST',
      path: 'networkPolicies',
      message: 'invalid continue token "bogus"',
    },
  ];
}

describe('GraphQL errors carry extensions.code', () => {
  let t: TestApp;
  let before: Awaited<ReturnType<typeof allObjects>>;
  beforeAll(async () => {
    ({ t, before } = await startWithStaleService());
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it.each(gqlRows())('$name', async (row) => {
    const rv = await clusterResourceVersion(t);
    const r = await t.gql(row.query, row.variables?.());
    expect(r.status).toBeLessThan(500);
    expect(r.errors).toHaveLength(1);
    const e = r.errors![0]!;
    expect(e.extensions?.code).toBe(row.code);
    if (row.path) expect(e.path).toEqual([row.path]);
    if (typeof row.message === 'string') expect(e.message).toBe(row.message);
    else if (row.message) expect(e.message).toMatch(row.message);
    if (row.causes)
      expect((e.extensions?.causes ?? []).map((c) => c.field).sort()).toEqual([...row.causes].sort());
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('left every object as it was', async () => {
    expect(await allObjects(t)).toEqual(before);
  });

  it('rejects a query for a field that does not exist as a validation failure (400)', async () => {
    const r = await t.gql('{ pods { items { metadata { nickname } } } }');
    expect(r.status).toBe(400);
    expect(r.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0]!.message).toMatch(/nickname/);
  });

  it('rejects deeply nested relations by their estimated cost, before running them', async () => {
    const r = await t.gql(
      '{ pods { items { services { pods { services { pods { services { metadata { name } } } } } } } } }',
    );
    expect(r.status).toBe(400);
    expect(r.data).toBeNull();
    expect(r.errors![0]!.extensions?.code).toBe('BAD_REQUEST');
    expect(r.errors![0]!.message).toMatch(
      /^query is too complex: estimated cost \d+ exceeds the limit of 200000/,
    );
  });

  it('rejects a huge first on nested lists, and accepts the same query with a small one', async () => {
    const query = (first: number) =>
      `{ pods(first: ${first}) { items { services { pods { metadata { name } } } } } }`;
    const huge = await t.gql(query(10000));
    expect(huge.status).toBe(400);
    expect(huge.errors![0]!.message).toMatch(/^query is too complex/);
    const small = await t.gql<{ pods: { items: unknown[] } }>(query(5));
    expect(small.errors).toBeUndefined();
    expect(small.data.pods.items).toEqual(expect.any(Array));
  });

  it('rejects a query nested deeper than the depth limit (12), but not introspection', async () => {
    // pods > items > (node > pods) x 4 > node > metadata > name: depth 13.
    let sel = 'metadata { name }';
    for (let i = 0; i < 5; i++) sel = i === 0 ? `node { ${sel} }` : `node { pods { ${sel} } }`;
    const r = await t.gql(`{ pods { items { ${sel} } } }`);
    expect(r.status).toBe(400);
    expect(r.errors![0]!.extensions?.code).toBe('BAD_REQUEST');
    expect(r.errors![0]!.message).toBe('query is too deep: depth 13 exceeds the limit of 12');
    let deepType = 'name';
    for (let i = 0; i < 11; i++) deepType = `ofType { ${deepType} }`;
    const introspection = await t.gql(`{ __schema { types { fields { type { ${deepType} } } } } }`);
    expect(introspection.errors).toBeUndefined();
  });
});

describe('an app with tight limits (NETMODEL_BODY_LIMIT=2048, NETMODEL_GRAPHQL_MAX_DEPTH=6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { NETMODEL_BODY_LIMIT: '2048', NETMODEL_GRAPHQL_MAX_DEPTH: '6' } });
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  const bigPod = () => ({
    ...manifestOf('Pod', 'big', 'default'),
    metadata: { name: 'big', namespace: 'default', annotations: { note: 'x'.repeat(4096) } },
  });

  it('answers a JSON body over the limit with 413 RequestEntityTooLarge, and saves nothing', async () => {
    const rv = await clusterResourceVersion(t);
    const res = await t.http().post('/api/v1/namespaces/default/pods').send(bigPod());
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
    await t.http().get('/api/v1/namespaces/default/pods/big').expect(404);
    expect(await clusterResourceVersion(t)).toBe(rv);
  });

  it('answers a YAML apply over the limit with 413', async () => {
    const res = await t
      .http()
      .post('/netmodel/v1/apply')
      .set('content-type', YAML)
      .send(`# ${'y'.repeat(3000)}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n`);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
    await t.http().get('/api/v1/namespaces/big').expect(404);
  });

  it('answers a merge patch over the limit with 413', async () => {
    const res = await t
      .http()
      .patch('/api/v1/namespaces/default')
      .set('content-type', MERGE_PATCH)
      .send(JSON.stringify({ metadata: { annotations: { note: 'x'.repeat(4096) } } }));
    expect(res.status).toBe(413);
    expect(res.body.reason).toBe('RequestEntityTooLarge');
  });

  it('still takes a body under the limit', async () => {
    await t
      .http()
      .post('/api/v1/namespaces/default/pods')
      .send(manifestOf('Pod', 'small', 'default'))
      .expect(201);
  });

  it('rejects nested relations deeper than the configured depth, and takes them at the limit', async () => {
    const atLimit = await t.gql(
      '{ pod(namespace: "default", name: "small") { node { pods { node { metadata { name } } } } } }',
    );
    expect(atLimit.errors).toBeUndefined();
    const deeper = await t.gql(
      '{ pod(namespace: "default", name: "small") { node { pods { node { pods { metadata { name } } } } } } }',
    );
    expect(deeper.status).toBe(400);
    expect(deeper.errors![0]!.extensions?.code).toBe('BAD_REQUEST');
    expect(deeper.errors![0]!.message).toBe('query is too deep: depth 7 exceeds the limit of 6');
  });
});
