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
