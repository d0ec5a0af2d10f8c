/**
 * The store's address book after each commit, whether it adopted the batch's fork or moved write by
 * write, is the book rebuilt from the committed state: same pools and usage, same holdings per object,
 * same pod counts per node. Runs on the backend under test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateCluster } from '../../bench/import/cluster.js';
import { Ipam, objectKey } from '../../src/domain/ipam/ipam.js';
import { KIND_NAMES } from '../../src/domain/model/kinds.js';
import { ResourceStore } from '../../src/modules/persistence/resource-store.js';
import { startApp, type TestApp } from '../support/app.js';

describe('the address book after a commit', () => {
  let t: TestApp;
  let store: ResourceStore;
  const spy = jest.spyOn(Ipam.prototype, 'adopt');
  /** What each commit's Ipam.adopt answered since the last test. */
  const adopted = () => spy.mock.results.map((r) => r.value);

  beforeAll(async () => {
    t = await startApp();
    store = t.app.get(ResourceStore);
    spy.mockClear();
  });
  afterEach(() => {
    spy.mockClear();
  });
  afterAll(async () => {
    spy.mockRestore();
    await t.close({ drop: true });
  });

  /** What the store's book answers, next to what a book rebuilt from the state answers. */
  function books() {
    const book = (store as unknown as { ipam: Ipam }).ipam;
    const state = store.snapshot();
    const objects = KIND_NAMES.flatMap((k) => [...state.list(k)]);
    const rebuilt = new Ipam(t.config);
    rebuilt.load(objects);
    const nodes = state.list('Node').map((n) => n.metadata.name);
    const fingerprint = (ipam: Ipam) => {
      const view = ipam.fork();
      return {
        usage: ipam.usage(),
        held: objects.map((o) => [objectKey(o), view.heldBy(o)]),
        pods: nodes.map((n) => [n, ipam.podCount(n)]),
      };
    };
    return { store: fingerprint(book), rebuilt: fingerprint(rebuilt) };
  }

  const cluster = generateCluster({ pods: 120, services: 24, policies: 6, namespaces: 3, nodes: 4 });

  const apply = (body: string) =>
    t.http().post('/netmodel/v1/apply').set('content-type', 'application/yaml').send(body);

  it('an import adopts the fork', async () => {
    const res = await apply(cluster.yaml);
    expect(res.status).toBe(200);
    expect(adopted()).toEqual([true]);
    const { store: mine, rebuilt } = books();
    expect(mine).toEqual(rebuilt);
    expect(mine.usage.some((u) => u.kind === 'pod' && u.allocated > 0)).toBe(true);
  });

  it('updates: a Service made NodePort (a port allocated), pods relabelled, others unchanged', async () => {
    const edited = cluster.yaml
      .replace('  type: ClusterIP\n', '  type: NodePort\n')
      .replace(/ {4}version: v1\n/g, '    version: v9\n');
    const res = await apply(edited);
    expect(res.status).toBe(200);
    expect(res.body.updated).toBeGreaterThan(1);
    expect(res.body.unchanged).toBeGreaterThan(1);
    expect(adopted()).toHaveLength(1);
    const { store: mine, rebuilt } = books();
    expect(mine).toEqual(rebuilt);
    expect(mine.usage.find((u) => u.kind === 'node-port')!.allocated).toBe(1);
  });

  it('deletes: a pod, then a namespace with everything in it', async () => {
    const pod = store.snapshot().list('Pod', { namespace: 'team-01' })[0]!;
    await t.http().delete(`/api/v1/namespaces/team-01/pods/${pod.metadata.name}`).expect(200);
    expect(books().store).toEqual(books().rebuilt);
    await t.http().delete('/api/v1/namespaces/team-02').expect(200);
    expect(adopted()).toHaveLength(2);
    const { store: mine, rebuilt } = books();
    expect(mine).toEqual(rebuilt);
  });
});
