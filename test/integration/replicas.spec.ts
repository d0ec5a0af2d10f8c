/**
 * Two replicas on one PostgreSQL database, as a scaled-out deployment runs them: writes serialize on the
 * global resourceVersion row, and each replica follows the change log (LISTEN/NOTIFY, 1 s poll), so a
 * write through one is read back through the other within a second. Only PostgreSQL can be shared.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aPod } from '../factories/objects.js';
import { startApp, type TestApp } from '../support/app.js';
import { testBackend } from '../support/database.js';

interface ObjectBody {
  metadata: { name: string; namespace?: string; resourceVersion: string; uid: string };
  spec?: Record<string, unknown>;
}
interface ListBody {
  metadata: { resourceVersion: string };
  items: ObjectBody[];
}

const onPostgres = testBackend() === 'postgres';
if (!onPostgres) {
  console.warn(
    'replicas.spec: skipped, two replicas need a shared PostgreSQL (set DATABASE_URL=postgres://...)',
  );
}
const describePg = onPostgres ? describe : describe.skip;

/** Polls `read` until `ok` holds or `ms` pass; returns the last value read. */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 2000,
): Promise<{ value: T; elapsed: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    const elapsed = Date.now() - started;
    if (ok(value) || elapsed >= ms) return { value, elapsed };
    await new Promise((r) => setTimeout(r, 50));
  }
}

const podsPath = '/api/v1/namespaces/default/pods';
const names = (l: ListBody) => l.items.map((o) => o.metadata.name);

describePg('two replicas on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startApp();
    b = await startApp({ db: a.db });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close({ drop: true });
  });

  const list = async (t: TestApp, path = podsPath): Promise<ListBody> =>
    (await t.http().get(path).expect(200)).body as ListBody;

  it('starts both replicas from the same state', async () => {
    const [la, lb] = await Promise.all([list(a, '/api/v1/namespaces'), list(b, '/api/v1/namespaces')]);
    expect(names(lb)).toEqual(names(la));
    expect(lb.metadata.resourceVersion).toBe(la.metadata.resourceVersion);
  });

  it('shows a write through A on B within a second', async () => {
    const created = await a
      .http()
      .post(podsPath)
      .send(aPod({ metadata: { name: 'seen-on-b' } }))
      .expect(201);
    const { value, elapsed } = await eventually(
      () => b.http().get(`${podsPath}/seen-on-b`),
      (r) => r.status === 200,
    );
    expect(value.status).toBe(200);
    expect(value.body.metadata.uid).toBe(created.body.metadata.uid);
    expect(value.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
    expect(elapsed).toBeLessThanOrEqual(1500);
  });

  it('serializes concurrent creates through both: unique resourceVersions, one winner per name, same final state', async () => {
    const post = (t: TestApp, name: string) =>
      t
        .http()
        .post(podsPath)
        .send(aPod({ metadata: { name } }));
    const through = (t: TestApp, prefix: string) =>
      Array.from({ length: 50 }, (_, i) => post(t, `${prefix}-${i}`));
    const [fromA, fromB, sameA, sameB] = await Promise.all([
      Promise.all(through(a, 'from-a')),
      Promise.all(through(b, 'from-b')),
      post(a, 'contested'),
      post(b, 'contested'),
    ]);

    for (const r of [...fromA, ...fromB]) expect(r.status).toBe(201);
    // Both asked for the same name: exactly one got it, the other was told it exists.
    expect([sameA.status, sameB.status].sort()).toEqual([201, 409]);
    const loser = sameA.status === 409 ? sameA : sameB;
    expect(loser.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });

    const winner = sameA.status === 201 ? sameA : sameB;
    const versions = [...fromA, ...fromB, winner].map((r) => (r.body as ObjectBody).metadata.resourceVersion);
    expect(new Set(versions).size).toBe(versions.length);

    const expected = [...fromA, ...fromB, winner].map((r) => (r.body as ObjectBody).metadata.name);
    const settled = await eventually(
      () => Promise.all([list(a), list(b)]),
      ([la, lb]) =>
        la.metadata.resourceVersion === lb.metadata.resourceVersion &&
        expected.every((n) => names(la).includes(n) && names(lb).includes(n)),
    );
    const [la, lb] = settled.value;
    expect(lb.metadata.resourceVersion).toBe(la.metadata.resourceVersion);
    expect(lb.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)).toEqual(
      la.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`),
    );
    for (const n of expected) expect(names(la)).toContain(n);
    // The list's resourceVersion is the global counter: at least every version handed out.
    expect(Number(la.metadata.resourceVersion)).toBeGreaterThanOrEqual(Math.max(...versions.map(Number)));
  });

  it('refuses a stale update through B after an update through A with 409 Conflict', async () => {
    const created = (
      await a
        .http()
        .post(podsPath)
        .send(aPod({ metadata: { name: 'stale' } }))
        .expect(201)
    ).body as ObjectBody;
    await eventually(
      () => b.http().get(`${podsPath}/stale`),
      (r) => r.status === 200,
    );
    const stale = (await b.http().get(`${podsPath}/stale`).expect(200)).body as ObjectBody & {
      metadata: { labels?: Record<string, string> };
    };
    expect(stale.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const updated = await a
      .http()
      .put(`${podsPath}/stale`)
      .send({ ...created, metadata: { ...created.metadata, labels: { app: 'web', rev: 'a' } } })
      .expect(200);
    expect(updated.body.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

    // B sends the version it read before A's update: whether or not B has caught up yet, the write
    // takes the row lock and re-reads the log first, so it is judged against the latest version.
    const conflict = await b
      .http()
      .put(`${podsPath}/stale`)
      .send({ ...stale, metadata: { ...stale.metadata, labels: { app: 'web', rev: 'b' } } });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });

    const { value } = await eventually(
      () => b.http().get(`${podsPath}/stale`),
      (r) => r.body.metadata?.resourceVersion === updated.body.metadata.resourceVersion,
    );
    expect(value.body.metadata.labels).toEqual({ app: 'web', rev: 'a' });
  });

  it('deletes through B are gone on A within a second', async () => {
    await b.http().delete(`${podsPath}/seen-on-b`).expect(200);
    const { value } = await eventually(
      () => a.http().get(`${podsPath}/seen-on-b`),
      (r) => r.status === 404,
    );
    expect(value.status).toBe(404);
  });
});
