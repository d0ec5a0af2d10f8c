import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';

const MERGE = 'application/merge-patch+json';
const path = (name: string) => `/api/v1/namespaces/default/services/${name}`;

describe('Service updates as the API server prepares them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await t
      .http()
      .post('/api/v1/namespaces/default/services')
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'np' },
        spec: {
          type: 'NodePort',
          clusterIP: '10.96.5.5',
          selector: { app: 'np' },
          ports: [{ name: 'http', port: 80, nodePort: 30123 }],
        },
      })
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('a merge patch of the type alone (NodePort -> ClusterIP) drops the nodePorts and externalTrafficPolicy', async () => {
    const res = await t
      .http()
      .patch(path('np'))
      .set('content-type', MERGE)
      .send(JSON.stringify({ spec: { type: 'ClusterIP' } }))
      .expect(200);
    expect(res.body.spec.type).toBe('ClusterIP');
    expect(res.body.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(res.body.spec.externalTrafficPolicy).toBeUndefined();
    expect(res.body.spec.clusterIP).toBe('10.96.5.5');
  });

  it.each([
    {
      name: 'a PUT without spec',
      send: (http: TestApp['http']) =>
        http()
          .put(path('np'))
          .send({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' } }),
    },
    {
      name: 'a merge patch that removes spec',
      send: (http: TestApp['http']) =>
        http()
          .patch(path('np'))
          .set('content-type', MERGE)
          .send(JSON.stringify({ spec: null })),
    },
  ])('$name is a 422 naming the missing ports, never a 500', async ({ send }) => {
    const res = await send(t.http.bind(t));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes.map((c: { field: string }) => c.field)).toContain('spec.ports');
  });
});

describe('metadata the API server rewrites or refuses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('clears a namespace sent with a cluster-scoped object instead of refusing it', async () => {
    const res = await t
      .http()
      .post('/api/v1/namespaces')
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', namespace: 'default' } })
      .expect(201);
    expect(res.body.metadata.namespace).toBeUndefined();
  });

  it('refuses a PUT whose uid names another object (422, field is immutable)', async () => {
    const current = (await t.http().get('/api/v1/namespaces/team-x').expect(200)).body;
    const res = await t
      .http()
      .put('/api/v1/namespaces/team-x')
      .send({ ...current, metadata: { ...current.metadata, uid: '00000000-0000-0000-0000-000000000000' } })
      .expect(422);
    expect(res.body.details.causes).toEqual([
      expect.objectContaining({
        field: 'metadata.uid',
        message: expect.stringContaining('field is immutable'),
      }),
    ]);
  });

  it('drops a sessionAffinityConfig given with sessionAffinity None, as the defaults do', async () => {
    const res = await t
      .http()
      .post('/api/v1/namespaces/default/services')
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'aff' },
        spec: {
          ports: [{ port: 80 }],
          sessionAffinity: 'None',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        },
      })
      .expect(201);
    expect(res.body.spec.sessionAffinityConfig).toBeUndefined();
  });

  it('cuts a long generateName to 58 characters before the random suffix', async () => {
    const res = await t
      .http()
      .post('/api/v1/namespaces/default/pods')
      .send({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { generateName: `${'w'.repeat(70)}-` },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      })
      .expect(201);
    expect(res.body.metadata.name).toMatch(new RegExp(`^${'w'.repeat(58)}[a-z0-9]{5}$`));
  });
});
