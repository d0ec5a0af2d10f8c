/**
 * The store's all-or-nothing promise: a write that fails (the plan throws, or the database refuses a row
 * half-way through the transaction) leaves no row, no change-log entry, no new resourceVersion, no
 * in-memory change and no commit event. Runs on the backend under test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { DomainError } from '../../src/domain/errors.js';
import type { KubeObject } from '../../src/domain/model/types.js';
import { ResourceStore } from '../../src/modules/persistence/resource-store.js';
import { aPod } from '../factories/objects.js';
import { startApp, type TestApp } from '../support/app.js';

interface Footprint {
  resources: string[];
  changeLog: number;
  counter: number;
  stateVersion: number;
  pods: number;
}

describe('a failed write leaves nothing behind', () => {
  let t: TestApp;
  let store: ResourceStore;
  let ds: DataSource;
  const events: number[] = [];

  beforeAll(async () => {
    t = await startApp();
    store = t.app.get(ResourceStore);
    ds = t.app.get(DataSource);
    store.onCommit((_changes, rv) => events.push(rv));
    // One committed pod, so a failed update has something to (not) change.
    const ctx = store.writeContext();
    await store.write(() => ({
      writes: [{ type: 'ADDED', object: withUid(aPod({ metadata: { name: 'kept' } }), ctx.newUid()) }],
      result: undefined,
    }));
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  function withUid(o: KubeObject, uid: string): KubeObject {
    return {
      ...o,
      metadata: { ...o.metadata, uid, creationTimestamp: '2026-01-01T00:00:00Z' },
    } as KubeObject;
  }

  async function footprint(): Promise<Footprint> {
    const rows: {
      kind: string;
      namespace: string;
      name: string;
      resource_version: string | number;
      body: string;
    }[] = await ds.query(
      'SELECT kind, namespace, name, resource_version, body FROM resources ORDER BY kind, namespace, name',
    );
    const log: { n: string | number }[] = await ds.query('SELECT COUNT(*) AS n FROM change_log');
    const meta: { value: string | number }[] = await ds.query(
      `SELECT value FROM cluster_meta WHERE key = 'resourceVersion'`,
    );
    return {
      resources: rows.map((r) => `${r.kind}/${r.namespace}/${r.name}@${r.resource_version}:${r.body.length}`),
      changeLog: Number(log[0]!.n),
      counter: Number(meta[0]!.value),
      stateVersion: store.snapshot().resourceVersion,
      pods: store.snapshot().count('Pod'),
    };
  }

  it('when the plan throws a DomainError', async () => {
    const before = await footprint();
    const seen = events.length;
    await expect(
      store.write(() => {
        throw new DomainError('Invalid', 'Pod "x" is invalid');
      }),
    ).rejects.toMatchObject({ code: 'Invalid' });
    expect(await footprint()).toEqual(before);
    expect(events).toHaveLength(seen);
  });

  it('when the database refuses a row after other rows of the same write went in', async () => {
    const before = await footprint();
    const seen = events.length;
    const kept = store.snapshot().get('Pod', 'default', 'kept')!;
    const ctx = store.writeContext();
    const changedKept = {
      ...kept,
      metadata: { ...kept.metadata, labels: { app: 'web', changed: 'yes' } },
    } as KubeObject;
    // The update of `kept` runs first; the second new pod reuses kept's uid, which the unique index refuses.
    const write = store.write(() => ({
      writes: [
        { type: 'MODIFIED', object: changedKept, previous: kept },
        { type: 'ADDED', object: withUid(aPod({ metadata: { name: 'new-1' } }), ctx.newUid()) },
        { type: 'ADDED', object: withUid(aPod({ metadata: { name: 'new-2' } }), kept.metadata.uid!) },
      ],
      result: undefined,
    }));
    await expect(write).rejects.toMatchObject({ code: 'Conflict' });
    expect(await footprint()).toEqual(before);
    expect(store.snapshot().get('Pod', 'default', 'kept')).toBe(kept);
    expect(store.snapshot().get('Pod', 'default', 'new-1')).toBeUndefined();
    expect(events).toHaveLength(seen);
  });

  it('when an all-or-nothing apply has one invalid document', async () => {
    const before = await footprint();
    const seen = events.length;
    const res = await t
      .http()
      .post('/netmodel/v1/apply')
      .set('content-type', 'application/json')
      .send([aPod({ metadata: { name: 'ok-1' } }), aPod({ metadata: { name: 'Not_A_Valid_Name' } })]);
    expect(res.status).toBe(422);
    expect(await footprint()).toEqual(before);
    expect(events).toHaveLength(seen);
  });

  it('and the next write still commits, at the next resourceVersion', async () => {
    const before = await footprint();
    const res = await t
      .http()
      .post('/api/v1/namespaces/default/pods')
      .send(aPod({ metadata: { name: 'after' } }))
      .expect(201);
    expect(Number(res.body.metadata.resourceVersion)).toBe(before.counter + 1);
    const after = await footprint();
    expect(after.counter).toBe(before.counter + 1);
    expect(after.changeLog).toBe(before.changeLog + 1);
    expect(after.stateVersion).toBe(before.counter + 1);
  });
});
