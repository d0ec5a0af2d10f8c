import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';
import { collectionPath, manifestOf } from './e2e-helpers.js';

/** The value of one sample in Prometheus text format, e.g. `netmodel_objects{kind="Pod"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ seed: 'demo' });
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it.each([
    { path: '/healthz', body: 'ok' },
    { path: '/readyz', body: 'ok' },
  ])('GET $path answers 200 $body in text/plain', async ({ path, body }) => {
    const res = await t.http().get(path).expect(200);
    expect(res.text).toBe(body);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('GET /metrics counts objects by kind, follows writes, and counts HTTP requests', async () => {
    const pods = (await t.http().get('/api/v1/pods').expect(200)).body.items.length as number;
    expect(pods).toBe(10);
    const m1 = await t.http().get('/metrics').expect(200);
    expect(m1.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(m1.text, 'netmodel_objects{kind="Pod"}')).toBe(pods);
    expect(sample(m1.text, 'netmodel_objects{kind="NetworkPolicy"}')).toBe(5);
    expect(m1.text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(m1.text).toContain('# TYPE netmodel_http_requests_total counter');
    const listRoute = 'netmodel_http_requests_total{method="GET",route="/api/v1/:resource",status="200"}';
    const listed = sample(m1.text, listRoute);
    expect(listed).toBeGreaterThanOrEqual(1);

    await t
      .http()
      .post(collectionPath('Pod', 'default'))
      .send(manifestOf('Pod', 'counted', 'default'))
      .expect(201);
    await t.http().get('/api/v1/pods').expect(200);
    await t.http().get('/api/v1/namespaces/default/pods/missing').expect(404);
    const m2 = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(m2, 'netmodel_objects{kind="Pod"}')).toBe(pods + 1);
    expect(sample(m2, listRoute)).toBe(listed! + 1);
    expect(
      sample(
        m2,
        'netmodel_http_requests_total{method="GET",route="/api/v1/namespaces/:namespace/:resource/:name",status="404"}',
      ),
    ).toBe(1);
  });

  it('counts GraphQL operations by name', async () => {
    await t.gql('query CountMe { namespaces { totalCount } }');
    const m = (await t.http().get('/metrics').expect(200)).text;
    expect(sample(m, 'netmodel_graphql_operations_total{operation="CountMe",type="query"}')).toBe(1);
  });

  it('echoes x-request-id, and generates one when the request has none', async () => {
    const echoed = await t.http().get('/healthz').set('x-request-id', 'req-abc.123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('req-abc.123');
    const a = await t.http().get('/healthz').expect(200);
    const b = await t.http().get('/healthz').expect(200);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    // Errors carry it too.
    const err = await t
      .http()
      .get('/api/v1/namespaces/default/pods/nope')
      .set('x-request-id', 'trace-404')
      .expect(404);
    expect(err.headers['x-request-id']).toBe('trace-404');
  });

  it('serves the GraphQL IDE at GET /graphql for browsers, with nothing loaded from a CDN', async () => {
    const res = await t.http().get('/graphql').set('accept', 'text/html,application/xhtml+xml').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<html/i);
    expect(res.text).toMatch(/graphiql/i);
    const external = [
      ...res.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']?(https?:\/\/[^"'\s>]+)/gi),
    ].map((m) => m[1]);
    expect(external).toEqual([]);
    expect(res.text).not.toMatch(/\bimport\s*\(?\s*["']https?:\/\//);
    expect(res.text).not.toMatch(/@import\s+(url\()?["']?https?:\/\//);
  });

  it('answers GraphQL over GET /graphql?query= for API clients', async () => {
    const res = await t
      .http()
      .get('/graphql')
      .query({ query: '{ namespace(name: "shop") { metadata { name } } }' })
      .set('accept', 'application/json')
      .expect(200);
    expect(res.body.data.namespace.metadata.name).toBe('shop');
  });

  it('refuses a mutation over GET', async () => {
    const res = await t
      .http()
      .get('/graphql')
      .query({ query: 'mutation { deleteObject(kind: Namespace, name: "shop") { metadata { name } } }' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await t.http().get('/api/v1/namespaces/shop').expect(200);
  });

  it("answers the IDE's introspection query even though it is deeper than the depth limit", async () => {
    const res = await t.http().post('/graphql').send({ query: getIntrospectionQuery() }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const types = (res.body.data.__schema.types as { name: string }[]).map((x) => x.name);
    expect(types).toEqual(expect.arrayContaining(['Pod', 'Service', 'KubernetesObject', 'ApplyResult']));
  });

  it.each([
    { name: 'spaces', id: 'bad id with spaces' },
    { name: 'too long', id: 'x'.repeat(200) },
  ])('replaces a malformed x-request-id ($name) with a generated one', async ({ id }) => {
    const res = await t.http().get('/healthz').set('x-request-id', id).expect(200);
    expect(res.headers['x-request-id']).not.toBe(id);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
