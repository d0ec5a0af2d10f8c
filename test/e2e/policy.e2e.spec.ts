/**
 * NetworkPolicy questions through HTTP: a verdict that names what decided, the reachability matrix (JSON,
 * CSV, DOT), NetworkPolicy.selectedPods, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../support/app.js';

let t: TestApp;

const pod = (ns: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { pod: name } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'serve-80-tcp', containerPort: 80 }] }] },
});

beforeAll(async () => {
  t = await startApp({ env: { NETMODEL_SEED: 'none' } });
  const docs = [
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
    ...['x', 'y'].map((ns) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { ns } },
    })),
    pod('x', 'a'),
    pod('x', 'b'),
    pod('y', 'a'),
    pod('y', 'b'),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all', namespace: 'y' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-x-to-a', namespace: 'y' },
      spec: {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { ns: 'x' } } }],
            ports: [{ port: 'serve-80-tcp' }],
          },
        ],
      },
    },
  ];
  await t.http().post('/netmodel/v1/apply').send({ apiVersion: 'v1', kind: 'List', items: docs }).expect(200);
});
afterAll(async () => {
  await t.close({ drop: true });
});

const VERDICT = `query($f: String!, $t: String!, $p: Int!, $pr: Protocol) {
  policyVerdict(from: $f, to: $t, port: $p, protocol: $pr) {
    allowed egress { allowed isolated policies decidedBy } ingress { allowed isolated policies decidedBy } } }`;

describe('policyVerdict (GraphQL) and GET /netmodel/v1/policy/verdict', () => {
  it.each([
    {
      from: 'x/a',
      to: 'y/a',
      port: 80,
      allowed: true,
      ingress: {
        isolated: true,
        policies: ['y/allow-x-to-a', 'y/deny-all'],
        decidedBy: 'y/allow-x-to-a ingress[0] from[0]',
      },
    },
    {
      from: 'x/a',
      to: 'y/b',
      port: 80,
      allowed: false,
      ingress: { isolated: true, policies: ['y/deny-all'], decidedBy: 'no rule matched' },
    },
    {
      from: 'x/a',
      to: 'y/a',
      port: 81,
      allowed: false,
      ingress: { isolated: true, policies: ['y/allow-x-to-a', 'y/deny-all'], decidedBy: 'no rule matched' },
    },
    {
      from: 'y/b',
      to: 'x/a',
      port: 80,
      allowed: true,
      ingress: { isolated: false, policies: [], decidedBy: 'not isolated' },
    },
  ])(
    '$from -> $to :$port is allowed=$allowed, decided by "$ingress.decidedBy"',
    async ({ from, to, port, allowed, ingress }) => {
      const g = await t.gql<{
        policyVerdict: { allowed: boolean; ingress: object; egress: { decidedBy: string } };
      }>(VERDICT, {
        f: from,
        t: to,
        p: port,
        pr: 'TCP',
      });
      expect(g.errors).toBeUndefined();
      expect(g.data.policyVerdict.allowed).toBe(allowed);
      expect(g.data.policyVerdict.ingress).toMatchObject({
        allowed: ingress.decidedBy !== 'no rule matched',
        ...ingress,
      });
      expect(g.data.policyVerdict.egress.decidedBy).toBe('not isolated');
      const r = await t
        .http()
        .get(`/netmodel/v1/policy/verdict?from=${from}&to=${to}&port=${port}&protocol=TCP`)
        .expect(200);
      expect(r.body).toEqual(g.data.policyVerdict);
    },
  );

  it('an IP outside the cluster as the source', async () => {
    const r = await t.http().get('/netmodel/v1/policy/verdict?from=203.0.113.7&to=y/a&port=80').expect(200);
    expect(r.body.allowed).toBe(false);
    expect(r.body.egress.decidedBy).toBe('not a pod');
  });

  it.each([
    { q: 'from=x/ghost&to=y/a&port=80', status: 404, reason: 'NotFound' },
    { q: 'from=x/a&to=y/a&port=0', status: 400, reason: 'BadRequest' },
    { q: 'from=x/a&to=y/a&port=70000', status: 400, reason: 'BadRequest' },
    { q: 'from=x/a&to=y/a&port=80&protocol=ICMP', status: 400, reason: 'BadRequest' },
    { q: 'from=nonsense&to=y/a&port=80', status: 400, reason: 'BadRequest' },
    { q: 'from=x/a&to=y/a', status: 400, reason: 'BadRequest' },
  ])('bad input: $q -> $status', async ({ q, status, reason }) => {
    const r = await t.http().get(`/netmodel/v1/policy/verdict?${q}`).expect(status);
    expect(r.body).toMatchObject({ kind: 'Status', reason });
  });

  it('bad input over GraphQL is an error with a code', async () => {
    const g = await t.gql(VERDICT, { f: 'x/a', t: 'y/a', p: 70000, pr: 'TCP' });
    expect(g.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const h = await t.gql(VERDICT, { f: 'x/ghost', t: 'y/a', p: 80, pr: 'TCP' });
    expect(h.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('reachability', () => {
  const WANT = {
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    allowed: [
      [true, true, true, false],
      [true, true, true, false],
      [true, true, true, false],
      [true, true, false, true],
    ],
  };

  it('GraphQL: the matrix and the allowed pairs', async () => {
    const g = await t.gql<{ reachability: { pods: string[]; allowed: boolean[][]; allowedPairs: string[] } }>(
      '{ reachability(port: 80) { pods allowed allowedPairs } }',
    );
    expect(g.errors).toBeUndefined();
    expect(g.data.reachability.pods).toEqual(WANT.pods);
    expect(g.data.reachability.allowed).toEqual(WANT.allowed);
    expect(g.data.reachability.allowedPairs).toContain('x/a->y/a');
    expect(g.data.reachability.allowedPairs).not.toContain('x/a->y/b');
  });

  it('REST: JSON, CSV and DOT of the same matrix; a namespace filter', async () => {
    const json = await t.http().get('/netmodel/v1/policy/reachability?port=80').expect(200);
    expect(json.body.allowed).toEqual(WANT.allowed);
    const csv = await t.http().get('/netmodel/v1/policy/reachability?port=80&format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('from \\ to,x/a,x/b,y/a,y/b');
    expect(csv.text.split('\n')[1]).toBe('x/a,1,1,1,0');
    const dot = await t.http().get('/netmodel/v1/policy/reachability?port=80&format=dot').expect(200);
    expect(dot.text).toMatch(/^digraph reachability \{/);
    expect(dot.text).toContain('"x/a" -> "y/a";');
    expect(dot.text).not.toContain('"x/a" -> "y/b";');
    const onlyY = await t.http().get('/netmodel/v1/policy/reachability?port=80&namespaces=y').expect(200);
    expect(onlyY.body.pods).toEqual(['y/a', 'y/b']);
  });

  it('engine options: self traffic judged by policy when allowSelf is false (REST and GraphQL)', async () => {
    const dflt = await t.http().get('/netmodel/v1/policy/reachability?port=80&namespaces=y').expect(200);
    expect(dflt.body.allowed[1][1]).toBe(true); // y/b to itself: a pod cannot block itself
    const strict = await t
      .http()
      .get('/netmodel/v1/policy/reachability?port=80&namespaces=y&allowSelf=false')
      .expect(200);
    expect(strict.body.allowed[1][1]).toBe(false); // deny-all isolates y/b
    const g = await t.gql<{ policyVerdict: { allowed: boolean; ingress: { decidedBy: string } } }>(
      '{ policyVerdict(from: "y/b", to: "y/b", port: 80, options: { allowSelf: false }) { allowed ingress { decidedBy } } }',
    );
    expect(g.errors).toBeUndefined();
    expect(g.data.policyVerdict).toEqual({ allowed: false, ingress: { decidedBy: 'no rule matched' } });
    await t.http().get('/netmodel/v1/policy/reachability?port=80&allowSelf=maybe').expect(400);
    await t
      .http()
      .get('/netmodel/v1/policy/verdict?from=x/a&to=y/a&port=80&hostNetworkPods=as-cat')
      .expect(400);
  });

  it("engine options: egress to the pod's own node is allowed unless allowToLocalNode is false", async () => {
    const docs = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'z' } },
      pod('z', 'c'),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-egress', namespace: 'z' },
        spec: { podSelector: {}, policyTypes: ['Egress'] },
      },
    ];
    await t
      .http()
      .post('/netmodel/v1/apply')
      .send({ apiVersion: 'v1', kind: 'List', items: docs })
      .expect(200);
    const node = (await t.http().get('/api/v1/nodes/n1').expect(200)).body as {
      status: { addresses: { type: string; address: string }[] };
    };
    const ip = node.status.addresses.find((a) => a.type === 'InternalIP')!.address;
    const base = `/netmodel/v1/policy/verdict?from=z/c&to=${ip}&port=53&protocol=UDP`;
    const dflt = await t.http().get(base).expect(200);
    expect(dflt.body).toMatchObject({ allowed: true, egress: { decidedBy: 'local node' } });
    const strict = await t.http().get(`${base}&allowToLocalNode=false`).expect(200);
    expect(strict.body).toMatchObject({ allowed: false, egress: { decidedBy: 'no rule matched' } });
    await t.http().get(`${base}&allowToLocalNode=maybe`).expect(400);
  });

  it('bad input: an unknown namespace (404), a bad format and port (400)', async () => {
    await t.http().get('/netmodel/v1/policy/reachability?port=80&namespaces=nope').expect(404);
    await t.http().get('/netmodel/v1/policy/reachability?port=80&format=xml').expect(400);
    await t.http().get('/netmodel/v1/policy/reachability?port=abc').expect(400);
  });
});

describe('NetworkPolicy.selectedPods and bad policies', () => {
  it('lists the pods a policy selects', async () => {
    const g = await t.gql<{
      networkPolicies: {
        items: { metadata: { name: string }; selectedPods: { metadata: { name: string } }[] }[];
      };
    }>(
      '{ networkPolicies(namespace: "y") { items { metadata { name } selectedPods { metadata { name } } } } }',
    );
    expect(g.errors).toBeUndefined();
    const by = Object.fromEntries(
      g.data.networkPolicies.items.map((p) => [p.metadata.name, p.selectedPods.map((x) => x.metadata.name)]),
    );
    expect(by).toEqual({ 'allow-x-to-a': ['a'], 'deny-all': ['a', 'b'] });
  });

  it.each([
    {
      name: 'an invalid CIDR in ipBlock',
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      field: 'spec.ingress[0].from[0].ipBlock.cidr',
    },
    {
      name: 'a bad selector operator',
      spec: { podSelector: { matchExpressions: [{ key: 'pod', operator: 'Near', values: ['a'] }] } },
      field: 'spec.podSelector.matchExpressions[0].operator',
    },
    {
      name: 'port 0',
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] },
      field: 'spec.ingress[0].ports[0].port',
    },
  ])('a policy with $name is refused (422 on $field)', async ({ spec, field }) => {
    const r = await t
      .http()
      .post('/apis/networking.k8s.io/v1/namespaces/x/networkpolicies')
      .send({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad' }, spec })
      .expect(422);
    expect(r.body.details.causes.map((c: { field: string }) => c.field)).toContain(field);
  });
});

describe('policyDiff: draft policies against the cluster, unsaved', () => {
  const DIFF = 'query($m: String!) { policyDiff(manifests: $m) { newlyAllowed newlyDenied ports } }';

  it('a draft that opens y/b to x, and one that deletes allow-x-to-a', async () => {
    const open = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-x-to-b, namespace: y}
spec:
  podSelector: {matchLabels: {pod: b}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {ns: x}}}]
`;
    const g = await t.gql<{ policyDiff: { newlyAllowed: string[]; newlyDenied: string[]; ports: string[] } }>(
      DIFF,
      { m: open },
    );
    expect(g.errors).toBeUndefined();
    // 80/TCP is declared; * stands for every other port of each protocol (the draft names no ports).
    expect(g.data.policyDiff.ports).toEqual(['80/TCP', '*/SCTP', '*/TCP', '*/UDP']);
    expect(g.data.policyDiff.newlyAllowed).toEqual(
      ['x/a', 'x/b'].flatMap((from) =>
        ['*/SCTP', '*/TCP', '*/UDP', '80/TCP'].map((p) => `${from}->y/b:${p}`),
      ),
    );
    expect(g.data.policyDiff.newlyDenied).toEqual([]);
    const drop = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-x-to-a', namespace: 'y', annotations: { 'netmodel.io/what-if': 'delete' } },
      spec: { podSelector: {} },
    };
    const r = await t.http().post('/netmodel/v1/policy/diff').send(drop).expect(200);
    expect(r.body.newlyAllowed).toEqual([]);
    // allow-x-to-a named serve-80-tcp only: deleting it closes 80/TCP alone.
    expect(r.body.newlyDenied).toEqual(['x/a->y/a:80/TCP', 'x/b->y/a:80/TCP']);
    // Nothing was stored.
    await t.http().get('/apis/networking.k8s.io/v1/namespaces/y/networkpolicies/allow-x-to-b').expect(404);
    await t.http().get('/apis/networking.k8s.io/v1/namespaces/y/networkpolicies/allow-x-to-a').expect(200);
  });

  it.each([
    {
      name: 'an invalid CIDR',
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'y' },
        spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'nope' } }] }] },
      },
      status: 422,
    },
    { name: 'another kind', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, status: 400 },
    {
      name: 'a deletion of a policy that does not exist',
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'ghost', namespace: 'y', annotations: { 'netmodel.io/what-if': 'delete' } },
        spec: { podSelector: {} },
      },
      status: 404,
    },
  ])('$name is refused ($status)', async ({ body, status }) => {
    const r = await t.http().post('/netmodel/v1/policy/diff').send(body).expect(status);
    expect(r.body.kind).toBe('Status');
  });
});
