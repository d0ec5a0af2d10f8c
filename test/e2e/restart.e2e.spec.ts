import { afterAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';
import {
  allObjects,
  clusterResourceVersion,
  collectionPath,
  manifestOf,
  MERGE_PATCH,
  type Obj,
} from './e2e-helpers.js';

describe('restart on the same database', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    // The first app is closed by the test; the last one drops the database.
    const last = apps[apps.length - 1];
    await last?.close({ drop: true });
  });

  it('keeps every object, and the next write gets a higher resourceVersion than any before the restart', async () => {
    const first = await startApp({ seed: 'demo' });
    apps.push(first);
    await first
      .http()
      .post('/api/v1/namespaces')
      .send(manifestOf('Namespace', 'durable', undefined))
      .expect(201);
    const pod = (
      await first
        .http()
        .post(collectionPath('Pod', 'durable'))
        .send(manifestOf('Pod', 'keeper', 'durable', { app: 'keeper' }))
        .expect(201)
    ).body as Obj;
    await first
      .http()
      .patch('/api/v1/namespaces/shop/services/api')
      .set('content-type', MERGE_PATCH)
      .send(JSON.stringify({ metadata: { labels: { patched: 'before-restart' } } }))
      .expect(200);
    await first.http().delete('/api/v1/namespaces/shop/pods/db-0').expect(200);
    const before = await allObjects(first);
    const rvBefore = await clusterResourceVersion(first);
    const exportBefore = (await first.http().get('/netmodel/v1/export').expect(200)).text;
    await first.close();

    const second = await startApp({ db: first.db, seed: 'demo' });
    apps.push(second);
    // Same objects, same resourceVersion; the demo seed is not applied again to a database that holds data.
    expect(await allObjects(second)).toEqual(before);
    expect(await clusterResourceVersion(second)).toBe(rvBefore);
    expect((await second.http().get('/netmodel/v1/export').expect(200)).text).toBe(exportBefore);
    await second.http().get('/api/v1/namespaces/shop/pods/db-0').expect(404);
    const got = (await second.http().get('/api/v1/namespaces/durable/pods/keeper').expect(200)).body as Obj;
    expect(got).toEqual(pod);

    const next = (
      await second
        .http()
        .post(collectionPath('Pod', 'durable'))
        .send(manifestOf('Pod', 'after', 'durable'))
        .expect(201)
    ).body as Obj;
    expect(Number(next.metadata.resourceVersion)).toBe(rvBefore + 1);
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(pod.metadata.resourceVersion));
    const svc = (await second.http().get('/api/v1/namespaces/shop/services/api').expect(200)).body as Obj;
    expect(svc.metadata.labels).toMatchObject({ patched: 'before-restart' });
    // Reads after the restart are served the same through GraphQL.
    const r = await second.gql<{ pods: { totalCount: number } }>(
      '{ pods(namespace: "durable") { totalCount } }',
    );
    expect(r.data.pods.totalCount).toBe(2);
  });
});
