/**
 * Addressing through HTTP: ClusterIPs, NodePorts, podCIDRs, pod IPs and EndpointSlices as the API
 * answers them, under concurrency and at exhaustion, with the pools' figures (ipPools) agreeing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';
import { collectionPath, itemPath, manifestOf, MERGE_PATCH, type Obj } from './e2e-helpers.js';

interface Pool {
  name: string;
  kind: string;
  cidr: string;
  size: number;
  allocated: number;
  free: number;
  node?: string | null;
}
type Status = {
  kind: string;
  reason: string;
  message: string;
  details?: { causes?: { field: string; message: string }[] };
};

async function pools(t: TestApp): Promise<Pool[]> {
  const r = await t.gql<{ ipPools: Pool[] }>('{ ipPools { name kind cidr size allocated free node } }');
  expect(r.errors).toBeUndefined();
  return r.data.ipPools;
}
const pool = (ps: Pool[], name: string) => ps.find((p) => p.name === name)!;

function nodePortService(name: string, ns: string): Obj {
  const s = manifestOf('Service', name, ns);
  return { ...s, spec: { ...(s.spec as object), type: 'NodePort' } };
}

async function mkNamespace(t: TestApp, name: string): Promise<void> {
  await t
    .http()
    .post('/api/v1/namespaces')
    .send(manifestOf('Namespace', name, undefined))
    .expect(201);
}

describe('concurrent creates through the API', () => {
  let t: TestApp;
  const NODES = 5;
  const SERVICES = 200;
  const PODS = 500;
  let services: Obj[] = [];
  let pods: Obj[] = [];

  beforeAll(async () => {
    t = await startApp();
    await mkNamespace(t, 'load');
    for (let i = 0; i < NODES; i++) {
      await t
        .http()
        .post('/api/v1/nodes')
        .send(manifestOf('Node', `node-${i}`, undefined))
        .expect(201);
    }
    // Services over REST and GraphQL, pods over REST, all in flight at once.
    const svcReqs = Array.from({ length: SERVICES }, (_, i) => {
      const name = `svc-${i}`;
      const body = i % 2 === 0 ? nodePortService(name, 'load') : manifestOf('Service', name, 'load');
      if (i % 4 === 1) {
        return t
          .gql<{ createObject: Obj }>(
            'mutation($m: JSONObject!) { createObject(manifest: $m) { metadata { name } } }',
            {
              m: body,
            },
          )
          .then((r) => {
            expect(r.errors).toBeUndefined();
            return name;
          });
      }
      return t
        .http()
        .post(collectionPath('Service', 'load'))
        .send(body)
        .expect(201)
        .then(() => name);
    });
    const podReqs = Array.from({ length: PODS }, (_, i) =>
      t
        .http()
        .post(collectionPath('Pod', 'load'))
        .send(manifestOf('Pod', `pod-${i}`, 'load', { app: `svc-${i % SERVICES}` }))
        .expect(201),
    );
    await Promise.all([...svcReqs, ...podReqs]);
    services = ((await t.http().get(collectionPath('Service', 'load')).expect(200)).body as { items: Obj[] })
      .items;
    pods = ((await t.http().get(collectionPath('Pod', 'load')).expect(200)).body as { items: Obj[] }).items;
  }, 120_000);
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('stores every object', () => {
    expect(services).toHaveLength(SERVICES);
    expect(pods).toHaveLength(PODS);
  });

  it('hands out no ClusterIP twice, each from the service range', () => {
    const ips = services.map((s) => (s.spec as { clusterIP: string }).clusterIP);
    expect(new Set(ips).size).toBe(SERVICES);
    for (const ip of ips) expect(ip).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
  });

  it('hands out no NodePort twice', () => {
    const ports = services.flatMap((s) =>
      ((s.spec as { ports: { nodePort?: number }[] }).ports ?? []).map((p) => p.nodePort).filter(Boolean),
    );
    expect(ports).toHaveLength(SERVICES / 2);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('hands out no pod IP twice, each inside its node podCIDR', async () => {
    const nodes = ((await t.http().get('/api/v1/nodes').expect(200)).body as { items: Obj[] }).items;
    const cidrOf = new Map(nodes.map((n) => [n.metadata.name, (n.spec as { podCIDR: string }).podCIDR]));
    expect(new Set(cidrOf.values()).size).toBe(NODES);
    const ips = pods.map((p) => (p.status as { podIP: string }).podIP);
    expect(new Set(ips).size).toBe(PODS);
    for (const p of pods) {
      const node = (p.spec as { nodeName: string }).nodeName;
      const prefix = cidrOf.get(node)!.replace(/0\/24$/, '');
      expect((p.status as { podIP: string }).podIP.startsWith(prefix)).toBe(true);
      expect((p.status as { phase: string }).phase).toBe('Running');
    }
  });

  it('spreads the pods evenly over the nodes', () => {
    const perNode = new Map<string, number>();
    for (const p of pods) {
      const n = (p.spec as { nodeName: string }).nodeName;
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    expect([...perNode.values()]).toEqual(Array(NODES).fill(PODS / NODES));
  });

  it('ipPools counts exactly what the objects hold', async () => {
    const ps = await pools(t);
    // The bootstrap kubernetes and kube-dns Services hold two more addresses.
    expect(pool(ps, 'service-ipv4').allocated).toBe(SERVICES + 2);
    expect(pool(ps, 'node-port').allocated).toBe(SERVICES / 2);
    expect(pool(ps, 'node-cidr-ipv4').allocated).toBe(NODES);
    expect(pool(ps, 'node-address').allocated).toBe(NODES);
    const podPools = ps.filter((p) => p.kind === 'pod');
    expect(podPools).toHaveLength(NODES);
    expect(podPools.reduce((a, p) => a + p.allocated, 0)).toBe(PODS);
    for (const p of ps) expect(p.free).toBe(p.size - p.allocated);
  });

  it('every service got its EndpointSlice with the pods it selects', async () => {
    const slices = (
      (await t.http().get(collectionPath('EndpointSlice', 'load')).expect(200)).body as { items: Obj[] }
    ).items;
    const bySvc = new Map<string, string[]>();
    for (const s of slices) {
      const svc = s.metadata.labels!['kubernetes.io/service-name']!;
      const addrs = ((s as { endpoints?: { addresses: string[] }[] }).endpoints ?? []).flatMap(
        (e) => e.addresses,
      );
      bySvc.set(svc, [...(bySvc.get(svc) ?? []), ...addrs]);
    }
    expect(bySvc.size).toBe(SERVICES);
    const want = new Map<string, string[]>();
    for (const p of pods) {
      const svc = p.metadata.labels!.app!;
      want.set(svc, [...(want.get(svc) ?? []), (p.status as { podIP: string }).podIP]);
    }
    for (const [svc, addrs] of want) expect(bySvc.get(svc)!.sort()).toEqual(addrs.sort());
  });
});

describe('a /28 service range fills up and frees again', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { NETMODEL_SERVICE_CIDR: '10.200.0.0/28' } });
    await mkNamespace(t, 'full');
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('has 14 addresses, two of them held by kubernetes (.1) and kube-dns (.10)', async () => {
    const p = pool(await pools(t), 'service-ipv4');
    expect(p).toMatchObject({ cidr: '10.200.0.0/28', size: 14, allocated: 2, free: 12 });
  });

  it('takes 12 services, refuses the 13th cleanly, and takes it again after a delete', async () => {
    const ips: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await t
        .http()
        .post(collectionPath('Service', 'full'))
        .send(manifestOf('Service', `s${i}`, 'full'))
        .expect(201);
      ips.push((r.body as { spec: { clusterIP: string } }).spec.clusterIP);
    }
    expect(new Set(ips).size).toBe(12);
    expect(ips).not.toContain('10.200.0.0');
    expect(ips).not.toContain('10.200.0.15');
    const before = (await pools(t)).find((p) => p.name === 'service-ipv4')!;
    expect(before.free).toBe(0);

    const refused = await t
      .http()
      .post(collectionPath('Service', 'full'))
      .send(manifestOf('Service', 'extra', 'full'))
      .expect(409);
    expect(refused.body as Status).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message: 'failed to allocate a serviceIP: range is full',
      details: { causes: [{ field: 'spec.clusterIPs', message: 'range is full' }] },
    });
    await t
      .http()
      .get(itemPath('Service', 'extra', 'full'))
      .expect(404);
    // Nothing half-written: no slice for the refused service either.
    const slices = (
      await t
        .http()
        .get(`${collectionPath('EndpointSlice', 'full')}?labelSelector=kubernetes.io/service-name=extra`)
        .expect(200)
    ).body as { items: Obj[] };
    expect(slices.items).toEqual([]);

    await t
      .http()
      .delete(itemPath('Service', 's3', 'full'))
      .expect(200);
    const again = await t
      .http()
      .post(collectionPath('Service', 'full'))
      .send(manifestOf('Service', 'extra', 'full'))
      .expect(201);
    expect((again.body as { spec: { clusterIP: string } }).spec.clusterIP).toBe(ips[3]);
  });

  it('the GraphQL error carries the code and the field', async () => {
    const r = await t.gql('mutation($m: JSONObject!) { createObject(manifest: $m) { metadata { name } } }', {
      m: manifestOf('Service', 'one-more', 'full'),
    });
    expect(r.errors?.[0]?.message).toBe('failed to allocate a serviceIP: range is full');
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      causes: [{ field: 'spec.clusterIPs' }],
    });
  });
});

describe('allocation errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      env: {
        NETMODEL_NODEPORT_RANGE: '30000-30002',
        NETMODEL_CLUSTER_CIDR: '10.250.0.0/23',
        NETMODEL_NODE_CIDR_MASK: '24',
      },
    });
    await mkNamespace(t, 'errs');
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  const svcWith = (name: string, spec: Record<string, unknown>) => {
    const s = manifestOf('Service', name, 'errs');
    return { ...s, spec: { ...(s.spec as object), ...spec } };
  };

  it.each([
    {
      name: 'a pinned ClusterIP outside the range',
      spec: { clusterIP: '10.0.0.1' },
      field: 'spec.clusterIPs',
      message:
        'failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    },
    {
      name: 'a pinned ClusterIP already held (kube-dns)',
      spec: { clusterIP: '10.96.0.10' },
      field: 'spec.clusterIPs',
      message: 'failed to allocate IP 10.96.0.10: provided IP is already allocated',
    },
    {
      name: 'an IP family the cluster lacks',
      spec: { ipFamilies: ['IPv6'] },
      field: 'spec.ipFamilies[0]',
      message: 'not configured on this cluster',
    },
    {
      name: 'RequireDualStack on a single-stack cluster',
      spec: { ipFamilyPolicy: 'RequireDualStack' },
      field: 'spec.ipFamilyPolicy',
      message: 'this cluster is not configured for dual-stack services',
    },
    {
      name: 'a pinned ClusterIP of the wrong family',
      spec: { clusterIP: 'fd00::10', ipFamilyPolicy: 'SingleStack' },
      field: 'spec.clusterIPs[0]',
      message: 'IPv6 is not configured on this cluster',
    },
    {
      name: 'a NodePort outside the range',
      spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 31000 }] },
      field: 'spec.ports[0].nodePort',
      message: 'provided port is not in the valid range. The range of valid ports is 30000-30002',
    },
  ])('$name: 422 on $field', async ({ name, spec, field, message }) => {
    const metaName = name
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
      .replace(/^-|-$/g, '')
      .slice(0, 40);
    const r = await t
      .http()
      .post(collectionPath('Service', 'errs'))
      .send(svcWith(metaName, spec))
      .expect(422);
    const body = r.body as Status;
    expect(body.reason).toBe('Invalid');
    expect(body.details?.causes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]),
    );
    await t
      .http()
      .get(itemPath('Service', metaName, 'errs'))
      .expect(404);
  });

  it('a failed create leaves no allocation behind: its pinned ClusterIP is free for the next', async () => {
    // The ClusterIP is fine, the NodePort is not: the whole create fails.
    await t
      .http()
      .post(collectionPath('Service', 'errs'))
      .send(
        svcWith('half', {
          type: 'NodePort',
          clusterIP: '10.96.5.5',
          ports: [{ name: 'http', port: 80, nodePort: 40000 }],
        }),
      )
      .expect(422);
    const ok = await t
      .http()
      .post(collectionPath('Service', 'errs'))
      .send(svcWith('whole', { clusterIP: '10.96.5.5' }))
      .expect(201);
    expect((ok.body as { spec: { clusterIP: string } }).spec.clusterIP).toBe('10.96.5.5');
  });

  it('a pinned NodePort already held: 422 provided port is already allocated', async () => {
    await t
      .http()
      .post(collectionPath('Service', 'errs'))
      .send(svcWith('np-a', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30001 }] }))
      .expect(201);
    const r = await t
      .http()
      .post(collectionPath('Service', 'errs'))
      .send(svcWith('np-b', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30001 }] }))
      .expect(422);
    expect((r.body as Status).details?.causes).toEqual([
      expect.objectContaining({
        field: 'spec.ports[0].nodePort',
        message: 'Invalid value: 30001: provided port is already allocated',
      }),
    ]);
  });

  it('the NodePort range runs out: 409 range is full', async () => {
    const statuses: number[] = [];
    for (const n of ['np-c', 'np-d', 'np-e']) {
      const r = await t
        .http()
        .post(collectionPath('Service', 'errs'))
        .send(svcWith(n, { type: 'NodePort' }));
      statuses.push(r.status);
      if (r.status === 409)
        expect((r.body as Status).message).toBe('failed to allocate a nodePort: range is full');
    }
    // 30001 is held by np-a: two more fit (30000, 30002), the third does not.
    expect(statuses).toEqual([201, 201, 409]);
    expect(pool(await pools(t), 'node-port')).toMatchObject({ size: 3, allocated: 3, free: 0 });
  });

  it('node podCIDRs: two fit in the /23, a pinned overlap is refused, the third node gets none and says why', async () => {
    const a = await t
      .http()
      .post('/api/v1/nodes')
      .send(manifestOf('Node', 'n-a', undefined))
      .expect(201);
    expect((a.body as { spec: { podCIDR: string } }).spec.podCIDR).toBe('10.250.0.0/24');
    const overlap = await t
      .http()
      .post('/api/v1/nodes')
      .send({ ...manifestOf('Node', 'n-x', undefined), spec: { podCIDR: '10.250.0.128/25' } })
      .expect(422);
    expect((overlap.body as Status).details?.causes?.[0]).toMatchObject({
      field: 'spec.podCIDRs[0]',
      message: 'Invalid value: "10.250.0.128/25": overlaps with the podCIDR 10.250.0.0/24 of node "n-a"',
    });
    const b = await t
      .http()
      .post('/api/v1/nodes')
      .send(manifestOf('Node', 'n-b', undefined))
      .expect(201);
    expect((b.body as { spec: { podCIDR: string } }).spec.podCIDR).toBe('10.250.1.0/24');
    const c = await t
      .http()
      .post('/api/v1/nodes')
      .send(manifestOf('Node', 'n-c', undefined))
      .expect(201);
    const cn = c.body as {
      spec: { podCIDR?: string };
      status: { conditions: { type: string; status: string; reason: string; message: string }[] };
    };
    expect(cn.spec.podCIDR).toBeUndefined();
    expect(cn.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'NetworkUnavailable',
        status: 'True',
        reason: 'CIDRNotAvailable',
        message: expect.stringContaining(
          'CIDR allocation failed; there are no remaining CIDRs left to allocate',
        ),
      }),
    );
    expect(pool(await pools(t), 'node-cidr-ipv4')).toMatchObject({ size: 2, allocated: 2, free: 0 });
  });

  it("a node's pod range runs out: the next pod stays Pending with host-local's message", async () => {
    await t
      .http()
      .post('/api/v1/nodes')
      .send({ ...manifestOf('Node', 'tiny', undefined), spec: { podCIDR: '192.168.77.0/29' } })
      .expect(201);
    const ips: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = manifestOf('Pod', `t${i}`, 'errs');
      const r = await t
        .http()
        .post(collectionPath('Pod', 'errs'))
        .send({ ...p, spec: { ...(p.spec as object), nodeName: 'tiny' } })
        .expect(201);
      ips.push((r.body as { status: { podIP: string } }).status.podIP);
    }
    expect(ips).toEqual(['192.168.77.2', '192.168.77.3', '192.168.77.4', '192.168.77.5', '192.168.77.6']);
    const p = manifestOf('Pod', 't5', 'errs');
    const r = await t
      .http()
      .post(collectionPath('Pod', 'errs'))
      .send({ ...p, spec: { ...(p.spec as object), nodeName: 'tiny' } })
      .expect(201);
    const st = (
      r.body as {
        status: { phase: string; podIP?: string; conditions: { type: string; message?: string }[] };
      }
    ).status;
    expect(st.phase).toBe('Pending');
    expect(st.podIP).toBeUndefined();
    expect(st.conditions.find((c) => c.type === 'PodReadyToStartContainers')?.message).toBe(
      'failed to allocate for range 0: no IP addresses available in range set: 192.168.77.1-192.168.77.6',
    );
    // Deleting one frees its address, and the pod waiting for one takes it in the same commit (kubelet
    // retrying the sandbox); a pod created after that finds the range full again.
    await t
      .http()
      .delete(itemPath('Pod', 't2', 'errs'))
      .expect(200);
    const woken = await t
      .http()
      .get(itemPath('Pod', 't5', 'errs'))
      .expect(200);
    expect((woken.body as { status: { podIP: string; phase: string } }).status).toMatchObject({
      podIP: '192.168.77.4',
      phase: 'Running',
    });
    const q = manifestOf('Pod', 't6', 'errs');
    const again = await t
      .http()
      .post(collectionPath('Pod', 'errs'))
      .send({ ...q, spec: { ...(q.spec as object), nodeName: 'tiny' } })
      .expect(201);
    expect((again.body as { status: { podIP?: string; phase: string } }).status).toMatchObject({
      phase: 'Pending',
    });
    expect((again.body as { status: { podIP?: string } }).status.podIP).toBeUndefined();
  });

  it('a pinned pod IP another running pod holds is refused', async () => {
    const p = manifestOf('Pod', 'dup', 'errs');
    const r = await t
      .http()
      .post(collectionPath('Pod', 'errs'))
      .send({
        ...p,
        spec: { ...(p.spec as object), nodeName: 'tiny' },
        status: { podIP: '192.168.77.3', podIPs: [{ ip: '192.168.77.3' }] },
      })
      .expect(422);
    expect((r.body as Status).details?.causes?.[0]).toMatchObject({
      field: 'status.podIPs[0].ip',
      message: 'Invalid value: "192.168.77.3": provided IP is already allocated',
    });
  });
});

describe('whoHas, ipPools over REST, and slices read right after the write', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ seed: 'demo', env: { NETMODEL_LB_CIDR: '172.18.255.0/28' } });
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it.each([
    {
      ip: '10.96.0.10',
      holders: [{ kind: 'Service', namespace: 'kube-system', name: 'kube-dns', role: 'clusterIP' }],
      pool: 'service-ipv4',
    },
    {
      ip: '10.244.1.12',
      holders: [{ kind: 'Pod', namespace: 'shop', name: 'db-0', role: 'podIP' }],
      pool: 'pods/netmodel-worker/ipv4',
    },
    {
      ip: '172.18.0.3',
      holders: [{ kind: 'Node', namespace: '', name: 'netmodel-worker', role: 'InternalIP' }],
      pool: 'node-address',
    },
    { ip: '10.96.200.200', holders: [], pool: 'service-ipv4' },
  ])('whoHas($ip)', async ({ ip, holders, pool: poolName }) => {
    const r = await t.gql<{ whoHas: { ip: string; holders: unknown[]; pools: { name: string }[] } }>(
      'query($ip: String!) { whoHas(ip: $ip) { ip holders { kind namespace name role } pools { name } } }',
      { ip },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.whoHas.holders).toEqual(holders);
    expect(r.data.whoHas.pools.map((p) => p.name)).toContain(poolName);
  });

  it('whoHas of something that is not an IP is a 400 / BAD_REQUEST', async () => {
    const r = await t.http().get('/netmodel/v1/ipam/who-has?ip=10.0.0.300').expect(400);
    expect((r.body as Status).reason).toBe('BadRequest');
    const g = await t.gql('{ whoHas(ip: "nope") { ip } }');
    expect(g.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('GET /netmodel/v1/ipam/pools lists the same pools as the GraphQL query', async () => {
    const r = await t.http().get('/netmodel/v1/ipam/pools').expect(200);
    const rest = (r.body as { items: Pool[] }).items.map((p) => p.name);
    expect(rest).toEqual((await pools(t)).map((p) => p.name));
    expect(rest).toEqual(
      expect.arrayContaining([
        'service-ipv4',
        'node-port',
        'node-cidr-ipv4',
        'node-address',
        'load-balancer',
      ]),
    );
  });

  it('/metrics has a size, allocated and free gauge per pool', async () => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/netmodel_ip_pool_size\{pool="service-ipv4",kind="service"\} 1048574/);
    expect(text).toMatch(/netmodel_ip_pool_allocated\{pool="pods\/netmodel-worker\/ipv4",kind="pod"\} \d+/);
    expect(text).toMatch(/netmodel_ip_pool_free\{pool="node-port",kind="node-port"\} \d+/);
  });

  it('a LoadBalancer gets the lowest free pool address, with ipMode VIP', async () => {
    const s = manifestOf('Service', 'edge', 'shop');
    const r = await t
      .http()
      .post(collectionPath('Service', 'shop'))
      .send({ ...s, spec: { ...(s.spec as object), type: 'LoadBalancer' } })
      .expect(201);
    const body = r.body as {
      spec: { ports: { nodePort: number }[] };
      status: { loadBalancer: { ingress: { ip: string; ipMode: string }[] } };
    };
    // The demo's LoadBalancer (shop/frontend) was given .1 when the demo was applied.
    const fe = (
      await t
        .http()
        .get(itemPath('Service', 'frontend', 'shop'))
        .expect(200)
    ).body as typeof body;
    expect(fe.status.loadBalancer.ingress).toEqual([{ ip: '172.18.255.1', ipMode: 'VIP' }]);
    expect(body.status.loadBalancer.ingress).toEqual([{ ip: '172.18.255.2', ipMode: 'VIP' }]);
    expect(body.spec.ports[0]!.nodePort).toBeGreaterThanOrEqual(30086);
  });

  it('a new pod shows up in its service slice and the legacy Endpoints in the same response cycle', async () => {
    const p = manifestOf('Pod', 'api-extra', 'shop', { app: 'api', tier: 'backend' });
    const created = await t.http().post(collectionPath('Pod', 'shop')).send(p).expect(201);
    const ip = (created.body as { status: { podIP: string } }).status.podIP;
    const slices = (
      await t
        .http()
        .get(`${collectionPath('EndpointSlice', 'shop')}?labelSelector=kubernetes.io/service-name=api`)
        .expect(200)
    ).body as { items: { endpoints: { addresses: string[]; targetRef: { name: string } }[] }[] };
    const eps = slices.items.flatMap((s) => s.endpoints);
    expect(eps).toContainEqual(
      expect.objectContaining({ addresses: [ip], targetRef: expect.objectContaining({ name: 'api-extra' }) }),
    );
    const legacy = (await t.http().get('/api/v1/namespaces/shop/endpoints/api').expect(200)).body as {
      subsets: { addresses?: { ip: string }[] }[];
    };
    expect(legacy.subsets.flatMap((s) => s.addresses ?? []).map((a) => a.ip)).toContain(ip);

    await t
      .http()
      .delete(itemPath('Pod', 'api-extra', 'shop'))
      .expect(200);
    const after = (
      await t
        .http()
        .get(`${collectionPath('EndpointSlice', 'shop')}?labelSelector=kubernetes.io/service-name=api`)
        .expect(200)
    ).body as { items: { endpoints: { addresses: string[] }[] }[] };
    expect(after.items.flatMap((s) => s.endpoints).flatMap((e) => e.addresses)).not.toContain(ip);
  });
});

describe('dual-stack', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      env: {
        NETMODEL_SERVICE_CIDR: '10.96.0.0/16,fd00:10:96::/112',
        NETMODEL_CLUSTER_CIDR: '10.244.0.0/16,fd00:10:244::/56',
      },
    });
    await mkNamespace(t, 'ds');
    await t
      .http()
      .post('/api/v1/nodes')
      .send(manifestOf('Node', 'ds-node', undefined))
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('a node gets a podCIDR per family; a pod an address per family', async () => {
    const n = (await t.http().get('/api/v1/nodes/ds-node').expect(200)).body as {
      spec: { podCIDRs: string[] };
    };
    expect(n.spec.podCIDRs).toEqual(['10.244.0.0/24', 'fd00:10:244::/64']);
    const r = await t
      .http()
      .post(collectionPath('Pod', 'ds'))
      .send(manifestOf('Pod', 'web-1', 'ds', { app: 'web' }))
      .expect(201);
    expect((r.body as { status: { podIPs: { ip: string }[] } }).status.podIPs).toEqual([
      { ip: '10.244.0.2' },
      { ip: 'fd00:10:244::2' },
    ]);
  });

  it('PreferDualStack gets two ClusterIPs and a slice per family; SingleStack one', async () => {
    const s = manifestOf('Service', 'web', 'ds');
    const r = await t
      .http()
      .post(collectionPath('Service', 'ds'))
      .send({ ...s, spec: { ...(s.spec as object), ipFamilyPolicy: 'PreferDualStack' } })
      .expect(201);
    const spec = (r.body as { spec: { clusterIPs: string[]; ipFamilies: string[] } }).spec;
    expect(spec.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(spec.clusterIPs).toHaveLength(2);
    expect(spec.clusterIPs[1]).toMatch(/^fd00:10:96::/);
    const slices = (
      await t
        .http()
        .get(`${collectionPath('EndpointSlice', 'ds')}?labelSelector=kubernetes.io/service-name=web`)
        .expect(200)
    ).body as { items: { addressType: string; endpoints: { addresses: string[] }[] }[] };
    expect(slices.items.map((x) => [x.addressType, x.endpoints.flatMap((e) => e.addresses)]).sort()).toEqual([
      ['IPv4', ['10.244.0.2']],
      ['IPv6', ['fd00:10:244::2']],
    ]);
    const single = await t
      .http()
      .post(collectionPath('Service', 'ds'))
      .send(manifestOf('Service', 'one', 'ds'))
      .expect(201);
    expect((single.body as { spec: { ipFamilyPolicy: string; clusterIPs: string[] } }).spec).toMatchObject({
      ipFamilyPolicy: 'SingleStack',
    });
    expect((single.body as { spec: { clusterIPs: string[] } }).spec.clusterIPs).toHaveLength(1);
  });
  it('a merge patch setting only ipFamilyPolicy: SingleStack turns a dual-stack Service single-stack', async () => {
    const s = manifestOf('Service', 'down', 'ds');
    await t
      .http()
      .post(collectionPath('Service', 'ds'))
      .send({ ...s, spec: { ...(s.spec as object), ipFamilyPolicy: 'RequireDualStack' } })
      .expect(201);
    const r = await t
      .http()
      .patch(itemPath('Service', 'down', 'ds'))
      .set('content-type', MERGE_PATCH)
      .send({ spec: { ipFamilyPolicy: 'SingleStack' } })
      .expect(200);
    const spec = (r.body as { spec: { clusterIPs: string[]; ipFamilies: string[] } }).spec;
    expect(spec.ipFamilies).toEqual(['IPv4']);
    expect(spec.clusterIPs).toHaveLength(1);
    const slices = (
      await t
        .http()
        .get(`${collectionPath('EndpointSlice', 'ds')}?labelSelector=kubernetes.io/service-name=down`)
        .expect(200)
    ).body as { items: { addressType: string }[] };
    expect(slices.items.map((x) => x.addressType)).toEqual(['IPv4']);
  });

  it("kube-dns is single-stack as kubeadm makes it, and a pod's resolv.conf names one cluster nameserver", async () => {
    const dns = (
      await t
        .http()
        .get(itemPath('Service', 'kube-dns', 'kube-system'))
        .expect(200)
    ).body as {
      spec: { clusterIPs: string[]; ipFamilyPolicy: string };
    };
    expect(dns.spec).toMatchObject({ clusterIPs: ['10.96.0.10'], ipFamilyPolicy: 'SingleStack' });
    await t
      .http()
      .post(collectionPath('Pod', 'ds'))
      .send(manifestOf('Pod', 'dns-client', 'ds'))
      .expect(201);
    const conf = (await t.http().get('/netmodel/v1/dns/resolv.conf?pod=ds/dns-client').expect(200)).text;
    expect(conf.split('\n').filter((l) => l.startsWith('nameserver'))).toEqual(['nameserver 10.96.0.10']);
    // kubelet's clusterDNS is its configuration: deleting the Service does not change the file.
    await t
      .http()
      .delete(itemPath('Service', 'kube-dns', 'kube-system'))
      .expect(200);
    const after = (await t.http().get('/netmodel/v1/dns/resolv.conf?pod=ds/dns-client').expect(200)).text;
    expect(after).toBe(conf);
  });
});

describe('pods waiting for a node', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({});
    await mkNamespace(t, 'late');
    await t
      .http()
      .post(collectionPath('Service', 'late'))
      .send(manifestOf('Service', 'web', 'late'))
      .expect(201);
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  const webSliceAddresses = async (): Promise<string[]> => {
    const r = await t
      .http()
      .get(`${collectionPath('EndpointSlice', 'late')}?labelSelector=kubernetes.io/service-name=web`)
      .expect(200);
    return (r.body as { items: { endpoints?: { addresses: string[] }[] }[] }).items
      .flatMap((s) => s.endpoints ?? [])
      .flatMap((e) => e.addresses);
  };

  it('a pod created before any node waits Pending, then runs when a node registers', async () => {
    const created = await t
      .http()
      .post(collectionPath('Pod', 'late'))
      .send(manifestOf('Pod', 'web-0', 'late', { app: 'web' }))
      .expect(201);
    const pending = (
      created.body as {
        status: { phase: string; conditions: { type: string; status: string; message?: string }[] };
      }
    ).status;
    expect(pending.phase).toBe('Pending');
    expect(pending.conditions.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      message: 'no nodes available to schedule pods',
    });
    expect(await webSliceAddresses()).toEqual([]);

    const lateNode = { ...manifestOf('Node', 'late-node', undefined), spec: { podCIDR: '10.244.40.0/24' } };
    // A dry run writes nothing: the pod still waits.
    await t.http().post('/api/v1/nodes?dryRun=All').send(lateNode).expect(201);
    const still = await t
      .http()
      .get(itemPath('Pod', 'web-0', 'late'))
      .expect(200);
    expect((still.body as { status: { phase: string } }).status.phase).toBe('Pending');

    await t.http().post('/api/v1/nodes').send(lateNode).expect(201);

    const r = await t.gql<{
      pod: {
        spec: { nodeName: string };
        status: { phase: string; podIP: string };
        node: { metadata: { name: string } };
      };
    }>(
      '{ pod(namespace: "late", name: "web-0") { spec { nodeName } status { phase podIP } node { metadata { name } } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.pod).toEqual({
      spec: { nodeName: 'late-node' },
      status: { phase: 'Running', podIP: '10.244.40.2' },
      node: { metadata: { name: 'late-node' } },
    });
    // The same commit put it into its Service's slice.
    expect(await webSliceAddresses()).toEqual(['10.244.40.2']);
  });
});
