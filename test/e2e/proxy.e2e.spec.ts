/**
 * kube-proxy's rules through HTTP: proxyRules and proxyRulesDiff over GraphQL, the REST routes (text
 * and JSON), each mode, and bad input. The cluster is applied through the app, so the rules are read
 * from EndpointSlices the app derived and addresses it allocated.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { endpointChain, servicePortChains } from '../../src/domain/proxy/iptables.js';
import { startApp, type TestApp } from '../support/app.js';

let t: TestApp;
let podIP: string;

const pod = (name: string, node = 'n1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: 'web' } },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    clusterIP: '10.96.0.100',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
};

beforeAll(async () => {
  t = await startApp({ env: { NETMODEL_SEED: 'none' } });
  const docs = [
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    pod('web-0'),
    service,
  ];
  await t.http().post('/netmodel/v1/apply').send({ apiVersion: 'v1', kind: 'List', items: docs }).expect(200);
  const p = await t.http().get('/api/v1/namespaces/shop/pods/web-0').expect(200);
  podIP = p.body.status.podIP;
  expect(podIP).toMatch(/^10\.244\./);
});
afterAll(async () => {
  await t.close({ drop: true });
});

const RULES = `query($node: String!, $mode: ProxyMode!, $family: IPFamily, $scheduler: String) {
  proxyRules(node: $node, mode: $mode, family: $family, scheduler: $scheduler) {
    node mode family text ruleCount bytes servicePorts sections { tool text ruleCount } } }`;

interface Rules {
  node: string;
  mode: string;
  family: string;
  text: string;
  ruleCount: number;
  bytes: number;
  servicePorts: number;
  sections: { tool: string; text: string; ruleCount: number }[];
}

const chains = servicePortChains('shop/web:http', 'TCP');

describe('proxyRules (GraphQL) and GET /netmodel/v1/nodes/{node}/proxy-rules', () => {
  it('iptables: the ClusterIP jump, the masquerade rule and the DNAT to the derived endpoint', async () => {
    const g = await t.gql<{ proxyRules: Rules }>(RULES, { node: 'n1', mode: 'IPTABLES' });
    expect(g.errors).toBeUndefined();
    const r = g.data.proxyRules;
    // default/kubernetes:https, kube-system/kube-dns:dns, :dns-tcp and :metrics, shop/web:http.
    expect(r).toMatchObject({ node: 'n1', mode: 'IPTABLES', family: 'IPv4', servicePorts: 5 });
    const sep = endpointChain('shop/web:http', 'TCP', `${podIP}:8080`);
    expect(r.text).toContain(
      `-A KUBE-SERVICES -m comment --comment "shop/web:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j ${chains.svc}`,
    );
    expect(r.text).toContain(
      `-A ${chains.svc} -m comment --comment "shop/web:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`,
    );
    expect(r.text).toContain(
      `-A ${sep} -m comment --comment shop/web:http -m tcp -p tcp -j DNAT --to-destination ${podIP}:8080`,
    );
    expect(r.ruleCount).toBe(r.text.split('\n').filter((l) => l.startsWith('-A ')).length);
    expect(r.bytes).toBe(Buffer.byteLength(r.text));
    expect(r.sections).toEqual([{ tool: 'iptables-restore', text: r.text, ruleCount: r.ruleCount }]);
  });

  it('REST text/plain is the same text, with the rule count in a header; format=json the same object', async () => {
    const g = await t.gql<{ proxyRules: Rules }>(RULES, { node: 'n1', mode: 'IPTABLES' });
    const r = await t.http().get('/netmodel/v1/nodes/n1/proxy-rules?mode=iptables').expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toBe(g.data.proxyRules.text);
    expect(r.headers['x-netmodel-rule-count']).toBe(String(g.data.proxyRules.ruleCount));
    const j = await t.http().get('/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&format=json').expect(200);
    expect(j.body).toMatchObject({
      node: 'n1',
      mode: 'iptables',
      family: 'IPv4',
      ruleCount: g.data.proxyRules.ruleCount,
    });
  });

  it('iptables jumps=true adds the built-in chains jumps', async () => {
    const r = await t.http().get('/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&jumps=true').expect(200);
    expect(r.text).toContain(
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    );
  });

  it('the endpoint is local on its own node only: n2 still reaches it through KUBE-SVC', async () => {
    const g = await t.gql<{ proxyRules: Rules }>(RULES, { node: 'n2', mode: 'IPTABLES' });
    expect(g.data.proxyRules.text).toContain(`--to-destination ${podIP}:8080`);
  });

  it('nftables: the service-ips element and the endpoint chain', async () => {
    const g = await t.gql<{ proxyRules: Rules }>(RULES, { node: 'n1', mode: 'NFTABLES' });
    const text = g.data.proxyRules.text;
    expect(text).toMatch(/^add table ip kube-proxy \{ comment "rules for kube-proxy" ; \}/);
    expect(text).toMatch(
      /add element ip kube-proxy service-ips \{ 10\.96\.0\.100 \. tcp \. 80 : goto service-[A-Z2-7]{8}-shop\/web\/tcp\/http \}/,
    );
    expect(text).toContain(`meta l4proto tcp dnat to ${podIP}:8080`);
    expect(g.data.proxyRules.sections.map((s) => s.tool)).toEqual(['nft -f']);
  });

  it('ipvs: the virtual server with its real server, the ipsets, and the scheduler asked for', async () => {
    const g = await t.gql<{ proxyRules: Rules }>(RULES, { node: 'n1', mode: 'IPVS', scheduler: 'lc' });
    const r = g.data.proxyRules;
    expect(r.sections.map((s) => s.tool)).toEqual([
      'ipvsadm -R',
      'ipset restore',
      'iptables-restore',
      'ip -batch',
    ]);
    const ipvsadm = r.sections[0]!.text;
    expect(ipvsadm).toContain('-A -t 10.96.0.100:80 -s lc');
    expect(ipvsadm).toContain(`-a -t 10.96.0.100:80 -r ${podIP}:8080 -m -w 1`);
    expect(r.sections[1]!.text).toContain('add KUBE-CLUSTER-IP 10.96.0.100,tcp:80');
    expect(r.sections[3]!.text).toContain('10.96.0.100/32 dev kube-ipvs0');
    expect(r.ruleCount).toBe(r.sections.reduce((n, s) => n + s.ruleCount, 0));
  });

  it.each([
    ['/netmodel/v1/nodes/ghost/proxy-rules?mode=iptables', 404, 'NotFound'],
    ['/netmodel/v1/nodes/n1/proxy-rules', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=userspace', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=ipvs&scheduler=fastest', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&family=IPv6', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&family=ipv5', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&format=xml', 400, 'BadRequest'],
    ['/netmodel/v1/nodes/n1/proxy-rules?mode=iptables&jumps=yes', 400, 'BadRequest'],
  ])('GET %s is %i %s', async (path, status, reason) => {
    const r = await t.http().get(path).expect(status);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason, code: status });
  });

  it('a bad scheduler names the supported values in a cause', async () => {
    const r = await t.http().get('/netmodel/v1/nodes/n1/proxy-rules?mode=ipvs&scheduler=fastest').expect(400);
    expect(r.body.message).toContain('supported values: "rr"');
    expect(r.body.details.causes).toEqual([
      { reason: 'FieldValueNotSupported', field: 'scheduler', message: 'Unsupported value: "fastest"' },
    ]);
  });

  it('bad input over GraphQL is an error with a code', async () => {
    const ghost = await t.gql(RULES, { node: 'ghost', mode: 'IPTABLES' });
    expect(ghost.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const sched = await t.gql(RULES, { node: 'n1', mode: 'IPVS', scheduler: 'fastest' });
    expect(sched.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const family = await t.gql(RULES, { node: 'n1', mode: 'IPTABLES', family: 'IPv6' });
    expect(family.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const mode = await t.gql(RULES, { node: 'n1', mode: 'USERSPACE' });
    expect(mode.errors?.length).toBeGreaterThan(0);
    expect(mode.data ?? null).toBeNull();
  });
});

const DIFF = `query($node: String!, $mode: ProxyMode!, $manifests: String!) {
  proxyRulesDiff(node: $node, mode: $mode, manifests: $manifests) {
    node mode family added removed before { ruleCount bytes servicePorts } after { ruleCount bytes servicePorts } } }`;

interface Diff {
  added: string[];
  removed: string[];
  before: { ruleCount: number; servicePorts: number };
  after: { ruleCount: number; servicePorts: number };
}

describe('proxyRulesDiff (GraphQL) and POST /netmodel/v1/nodes/{node}/proxy-rules/diff', () => {
  it('a second backend: its SEP chain and DNAT are added, the lone SVC->SEP rule becomes a 1/2 split; nothing is stored', async () => {
    const g = await t.gql<{ proxyRulesDiff: Diff }>(DIFF, {
      node: 'n1',
      mode: 'IPTABLES',
      manifests: JSON.stringify(pod('web-1', 'n2')),
    });
    expect(g.errors).toBeUndefined();
    const d = g.data.proxyRulesDiff;
    const dnat = d.added.filter((l) => l.includes('-j DNAT --to-destination'));
    expect(dnat).toHaveLength(1);
    expect(dnat[0]).toMatch(/^iptables-restore nat: -A KUBE-SEP-[A-Z2-7]{16} .*:8080$/);
    expect(
      d.added.some((l) => l.includes(`-A ${chains.svc} `) && l.includes('--probability 0.5000000000')),
    ).toBe(true);
    expect(d.removed).toEqual([
      `iptables-restore nat: -A ${chains.svc} -m comment --comment "shop/web:http -> ${podIP}:8080" -j ${endpointChain('shop/web:http', 'TCP', `${podIP}:8080`)}`,
    ]);
    // Rule counts move by the -A lines; the diff also lists the new chain's declaration.
    const rules = (lines: string[]) => lines.filter((l) => l.includes(': -A ')).length;
    expect(d.after.ruleCount - d.before.ruleCount).toBe(rules(d.added) - rules(d.removed));
    expect(d.added).toContain(
      `iptables-restore nat: :${/-A (KUBE-SEP-[A-Z2-7]{16})/.exec(dnat[0]!)![1]} - [0:0]`,
    );
    await t.http().get('/api/v1/namespaces/shop/pods/web-1').expect(404);
  });

  it('a what-if delete of the Service takes its rules away (REST, YAML body)', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      '  annotations:',
      '    netmodel.io/what-if: delete',
    ].join('\n');
    const r = await t
      .http()
      .post('/netmodel/v1/nodes/n1/proxy-rules/diff?mode=nftables')
      .set('content-type', 'application/yaml')
      .send(yaml)
      .expect(200);
    expect(r.body.added).toEqual([]);
    expect(
      r.body.removed.some((l: string) =>
        l.startsWith('nft -f: add element ip kube-proxy service-ips { 10.96.0.100'),
      ),
    ).toBe(true);
    expect(r.body).toMatchObject({ node: 'n1', mode: 'nftables', family: 'IPv4' });
    expect(r.body.after.servicePorts).toBe(r.body.before.servicePorts - 1);
    await t.http().get('/api/v1/namespaces/shop/services/web').expect(200);
  });

  it('invalid manifests are refused as an apply refuses them, 422 naming the document and field', async () => {
    const bad = {
      ...service,
      metadata: { name: 'bad', namespace: 'shop' },
      spec: { ports: [{ port: 70000 }] },
    };
    const r = await t
      .http()
      .post('/netmodel/v1/nodes/n1/proxy-rules/diff?mode=iptables')
      .send(bad)
      .expect(422);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    expect(r.body.details.causes[0].field).toBe('items[0].spec.ports[0].port');
    const g = await t.gql(DIFF, { node: 'n1', mode: 'IPTABLES', manifests: JSON.stringify(bad) });
    expect(g.errors?.[0]?.extensions?.code).toBe('INVALID');
  });

  it('an empty body, or a delete of what does not exist, is refused', async () => {
    await t.http().post('/netmodel/v1/nodes/n1/proxy-rules/diff?mode=iptables').expect(400);
    const ghost = {
      ...service,
      metadata: { name: 'ghost', namespace: 'shop', annotations: { 'netmodel.io/what-if': 'delete' } },
    };
    const r = await t
      .http()
      .post('/netmodel/v1/nodes/n1/proxy-rules/diff?mode=iptables')
      .send(ghost)
      .expect(404);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});
