import { describe, expect, it } from '@jest/globals';
import { aNode, aPod, aService } from '../../../test/factories/objects.js';
import { isTerminal, podIPs, type KubeObject, type Node, type Pod, type Service } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import { Ipam, objectKey, PoolFullError, podPoolName, type Holding, type IpamSettings } from './ipam.js';

const SETTINGS: IpamSettings = {
  serviceCidrs: ['10.96.0.0/12'],
  clusterCidrs: ['10.244.0.0/16'],
  nodeCidrMasks: [24],
  nodePortRange: { min: 30000, max: 32767 },
  nodeNetwork: '172.18.0.0/16',
  lbCidr: '172.18.255.0/24',
};

const DUAL: IpamSettings = {
  ...SETTINGS,
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  clusterCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  nodeCidrMasks: [24, 64],
};

function ipamWith(settings: IpamSettings, ...objects: KubeObject[]): Ipam {
  const ipam = new Ipam(settings);
  ipam.load(objects);
  return ipam;
}

const node = (name: string, cidrs: string[], internalIP = '172.18.0.2'): Node =>
  aNode({
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { podCIDR: cidrs[0], podCIDRs: cidrs },
    status: {
      addresses: [
        { type: 'InternalIP', address: internalIP },
        { type: 'Hostname', address: name },
      ],
    },
  });

const pod = (
  name: string,
  nodeName: string | undefined,
  ips: string[],
  more: Partial<Pod['spec']> = {},
): Pod =>
  aPod({
    metadata: { name },
    spec: { nodeName, ...more },
    status: { phase: 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
  });

const svc = (name: string, spec: Partial<Service['spec']>, status?: Service['status']): Service =>
  aService({ metadata: { name }, spec, ...(status ? { status } : {}) });

/** Is `value` taken in `pool` of this book? */
function taken(ipam: { pool: Ipam['pool'] }, poolName: string, value: string | number): boolean {
  const pool = ipam.pool(poolName);
  if (!pool) return false;
  const v = typeof value === 'number' ? BigInt(value) : parseIP(value)?.value;
  const offset = v === undefined ? undefined : pool.offsetOf(v);
  return offset !== undefined && pool.taken.has(offset);
}

describe('Ipam pools', () => {
  it.each([
    {
      name: 'single stack with an LB range',
      settings: SETTINGS,
      pools: ['service-ipv4', 'node-port', 'node-cidr-ipv4', 'node-address', 'load-balancer'],
    },
    {
      name: 'dual stack without an LB range',
      settings: { ...DUAL, lbCidr: undefined },
      pools: [
        'service-ipv4',
        'service-ipv6',
        'node-port',
        'node-cidr-ipv4',
        'node-cidr-ipv6',
        'node-address',
      ],
    },
  ])('fixed pools: $name', ({ settings, pools }) => {
    const ipam = new Ipam(settings);
    expect([...ipam.poolNames()].sort()).toEqual([...pools].sort());
  });

  it('service pools follow the configured order (primary family first)', () => {
    const ipam = new Ipam({ ...DUAL, serviceCidrs: ['fd00:10:96::/112', '10.96.0.0/12'] });
    expect(ipam.servicePools().map((p) => p.def.name)).toEqual(['service-ipv6', 'service-ipv4']);
    expect(ipam.servicePool(4)?.def.range).toBe('10.96.0.0/12');
    expect(ipam.nodeCidrPools().map((p) => p.def.name)).toEqual(['node-cidr-ipv4', 'node-cidr-ipv6']);
  });
});

describe('Ipam.holdingsOf', () => {
  const ipam = ipamWith(SETTINGS, node('node-1', ['10.244.1.0/24']));

  it.each<{ name: string; object: KubeObject; want: Holding[] }>([
    {
      name: 'ClusterIP service',
      object: svc('a', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }),
      want: [{ pool: 'service-ipv4', offset: 10, field: 'spec.clusterIPs[0]' }],
    },
    {
      name: 'clusterIP without clusterIPs',
      object: svc('a', { clusterIP: '10.96.0.10' }),
      want: [{ pool: 'service-ipv4', offset: 10, field: 'spec.clusterIPs[0]' }],
    },
    { name: 'headless service', object: svc('a', { clusterIP: 'None', clusterIPs: ['None'] }), want: [] },
    {
      name: 'clusterIP outside the service range',
      object: svc('a', { clusterIP: '192.168.0.1', clusterIPs: ['192.168.0.1'] }),
      want: [],
    },
    {
      name: 'IPv6 clusterIP on a single-stack book',
      object: svc('a', { clusterIP: 'fd00::1', clusterIPs: ['fd00::1'] }),
      want: [],
    },
    {
      name: 'LoadBalancer: clusterIP, nodePorts, health check and ingress',
      object: svc(
        'a',
        {
          type: 'LoadBalancer',
          clusterIP: '10.96.1.1',
          clusterIPs: ['10.96.1.1'],
          ports: [
            { name: 'http', port: 80, nodePort: 30080 },
            { name: 'https', port: 443, nodePort: 30443 },
          ],
          healthCheckNodePort: 32000,
        },
        { loadBalancer: { ingress: [{ ip: '172.18.255.1' }, { hostname: 'lb.example.com' }] } },
      ),
      want: [
        { pool: 'service-ipv4', offset: 257, field: 'spec.clusterIPs[0]' },
        { pool: 'node-port', offset: 80, field: 'spec.ports[0].nodePort' },
        { pool: 'node-port', offset: 443, field: 'spec.ports[1].nodePort' },
        { pool: 'node-port', offset: 2000, field: 'spec.healthCheckNodePort' },
        { pool: 'load-balancer', offset: 1, field: 'status.loadBalancer.ingress[0].ip' },
      ],
    },
    {
      name: 'node: podCIDR and InternalIP (not ExternalIP or Hostname)',
      object: aNode({
        metadata: { name: 'node-9' },
        spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'] },
        status: {
          addresses: [
            { type: 'ExternalIP', address: '172.18.0.50' },
            { type: 'InternalIP', address: '172.18.0.9' },
            { type: 'Hostname', address: 'node-9' },
          ],
        },
      }),
      want: [
        { pool: 'node-cidr-ipv4', offset: 9, field: 'spec.podCIDRs[0]' },
        { pool: 'node-address', offset: 9, field: 'status.addresses[1].address' },
      ],
    },
    {
      name: 'node with a legacy podCIDR only',
      object: aNode({
        metadata: { name: 'node-9' },
        spec: { podCIDR: '10.244.3.0/24', podCIDRs: undefined },
        status: { addresses: [] },
      }),
      want: [{ pool: 'node-cidr-ipv4', offset: 3, field: 'spec.podCIDRs[0]' }],
    },
    {
      name: 'node with a pinned range wider than one subnet',
      object: aNode({
        metadata: { name: 'node-9' },
        spec: { podCIDR: '10.244.4.0/23', podCIDRs: ['10.244.4.0/23'] },
        status: { addresses: [] },
      }),
      want: [
        { pool: 'node-cidr-ipv4', offset: 4, field: 'spec.podCIDRs[0]' },
        { pool: 'node-cidr-ipv4', offset: 5, field: 'spec.podCIDRs[0]' },
      ],
    },
    {
      name: 'running pod',
      object: pod('p', 'node-1', ['10.244.1.7']),
      want: [{ pool: 'pods/node-1/ipv4', offset: 7, field: 'status.podIPs[0].ip' }],
    },
    { name: 'hostNetwork pod', object: pod('p', 'node-1', ['172.18.0.2'], { hostNetwork: true }), want: [] },
    {
      name: 'Succeeded pod',
      object: { ...pod('p', 'node-1', ['10.244.1.7']), status: { phase: 'Succeeded', podIP: '10.244.1.7' } },
      want: [],
    },
    {
      name: 'Failed pod',
      object: { ...pod('p', 'node-1', ['10.244.1.7']), status: { phase: 'Failed', podIP: '10.244.1.7' } },
      want: [],
    },
    { name: 'unbound pod', object: pod('p', undefined, ['10.244.1.7']), want: [] },
    { name: 'pod on a node without a pod pool', object: pod('p', 'node-2', ['10.244.2.7']), want: [] },
    { name: 'pod address outside its node range', object: pod('p', 'node-1', ['10.244.2.7']), want: [] },
    {
      name: 'a kind without addresses',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } as KubeObject,
      want: [],
    },
  ])('$name', ({ object, want }) => {
    expect(ipam.holdingsOf(object)).toEqual(want);
  });
});

describe('Ipam helpers', () => {
  it.each([
    { phase: 'Succeeded', terminal: true },
    { phase: 'Failed', terminal: true },
    { phase: 'Running', terminal: false },
    { phase: 'Pending', terminal: false },
    { phase: undefined, terminal: false },
  ])('isTerminal($phase) -> $terminal', ({ phase, terminal }) => {
    expect(isTerminal(aPod({ status: { phase } }))).toBe(terminal);
  });

  it.each([
    { name: 'podIPs wins', status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.2' }] }, want: ['10.0.0.2'] },
    { name: 'podIP alone', status: { podIP: '10.0.0.1' }, want: ['10.0.0.1'] },
    { name: 'none', status: {}, want: [] },
  ])('podIPs: $name', ({ status, want }) => {
    expect(podIPs(aPod({ status }))).toEqual(want);
  });

  it('objectKey names kind, namespace and name ("" for cluster-scoped)', () => {
    expect(objectKey(aPod())).toBe('Pod/default/web-0');
    expect(objectKey(aNode())).toBe('Node//node-1');
    expect(podPoolName('node-1', 6)).toBe('pods/node-1/ipv6');
  });
});

describe('Ipam.change', () => {
  it('a service holds its values and gives them back on delete', () => {
    const ipam = new Ipam(SETTINGS);
    const s = svc('a', {
      type: 'NodePort',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ port: 80, nodePort: 30080 }],
    });
    ipam.change(undefined, s);
    expect(taken(ipam, 'service-ipv4', '10.96.0.10')).toBe(true);
    expect(taken(ipam, 'node-port', 30080)).toBe(true);
    ipam.change(s, undefined);
    expect(taken(ipam, 'service-ipv4', '10.96.0.10')).toBe(false);
    expect(taken(ipam, 'node-port', 30080)).toBe(false);
  });

  it('an update moves the holdings from the old values to the new ones', () => {
    const ipam = new Ipam(SETTINGS);
    const before = svc('a', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
    const after = svc('a', { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
    ipam.change(undefined, before);
    ipam.change(before, after);
    expect(taken(ipam, 'service-ipv4', '10.96.0.10')).toBe(false);
    expect(taken(ipam, 'service-ipv4', '10.96.0.11')).toBe(true);
  });

  it('a shared address stays taken until its last holder goes', () => {
    const ipam = new Ipam(SETTINGS);
    const lb = { loadBalancer: { ingress: [{ ip: '172.18.255.10' }] } };
    const a = svc('a', { type: 'LoadBalancer' }, lb);
    const b = svc('b', { type: 'LoadBalancer' }, lb);
    ipam.change(undefined, a);
    ipam.change(undefined, b);
    ipam.change(a, undefined);
    expect(taken(ipam, 'load-balancer', '172.18.255.10')).toBe(true);
    ipam.change(b, undefined);
    expect(taken(ipam, 'load-balancer', '172.18.255.10')).toBe(false);
  });

  it('a node creates a pod pool per podCIDR family', () => {
    const ipam = ipamWith(DUAL, node('node-1', ['10.244.1.0/24', 'fd00:10:244:1::/64']));
    expect(ipam.pool('pods/node-1/ipv4')?.def.range).toBe('10.244.1.0/24');
    expect(ipam.pool('pods/node-1/ipv6')?.def.range).toBe('fd00:10:244:1::/64');
    expect(taken(ipam, 'node-cidr-ipv4', '10.244.1.0')).toBe(true);
    expect(taken(ipam, 'node-address', '172.18.0.2')).toBe(true);
  });

  it('a node without podCIDRs has no pod pool', () => {
    const ipam = ipamWith(SETTINGS, aNode({ spec: { podCIDR: undefined, podCIDRs: undefined } }));
    expect(ipam.pool('pods/node-1/ipv4')).toBeUndefined();
  });

  it('a new pod pool is seeded with the pods already bound to the node', () => {
    const ipam = new Ipam(SETTINGS);
    const p = pod('p', 'node-1', ['10.244.1.9']);
    ipam.change(undefined, p); // the node is not there yet: nothing to hold
    expect(ipam.pool('pods/node-1/ipv4')).toBeUndefined();
    ipam.change(undefined, node('node-1', ['10.244.1.0/24']));
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.9')).toBe(true);
    // ... and the pod holds it: deleting the pod frees it.
    ipam.change(p, undefined);
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.9')).toBe(false);
  });

  it('load() indexes nodes before the rest, whatever the order given', () => {
    const ipam = ipamWith(SETTINGS, pod('p', 'node-1', ['10.244.1.9']), node('node-1', ['10.244.1.0/24']));
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.9')).toBe(true);
    expect(ipam.pool('pods/node-1/ipv4')!.allocated).toBe(1);
  });

  it('a podCIDR change replaces the pool and re-holds the pods that fit it', () => {
    const n1 = node('node-1', ['10.244.1.0/24']);
    const ipam = ipamWith(
      SETTINGS,
      n1,
      pod('p', 'node-1', ['10.244.1.9']),
      pod('q', 'node-1', ['10.244.2.9']),
    );
    expect(ipam.pool('pods/node-1/ipv4')!.allocated).toBe(1);
    ipam.change(n1, node('node-1', ['10.244.2.0/24']));
    const pool = ipam.pool('pods/node-1/ipv4')!;
    expect(pool.def.range).toBe('10.244.2.0/24');
    expect(pool.allocated).toBe(1);
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.2.9')).toBe(true);
    expect(taken(ipam, 'node-cidr-ipv4', '10.244.1.0')).toBe(false);
    expect(taken(ipam, 'node-cidr-ipv4', '10.244.2.0')).toBe(true);
  });

  it('deleting a node removes its pod pools', () => {
    const n1 = node('node-1', ['10.244.1.0/24']);
    const ipam = ipamWith(SETTINGS, n1, pod('p', 'node-1', ['10.244.1.9']));
    ipam.change(n1, undefined);
    expect(ipam.pool('pods/node-1/ipv4')).toBeUndefined();
    expect(taken(ipam, 'node-address', '172.18.0.2')).toBe(false);
  });

  it.each<{ name: string; next: (p: Pod) => Pod; count: number; held: boolean }>([
    { name: 'running', next: (p) => p, count: 1, held: true },
    {
      name: 'Succeeded',
      next: (p) => ({ ...p, status: { ...p.status, phase: 'Succeeded' } }),
      count: 0,
      held: false,
    },
    {
      name: 'Failed',
      next: (p) => ({ ...p, status: { ...p.status, phase: 'Failed' } }),
      count: 0,
      held: false,
    },
    {
      name: 'hostNetwork',
      next: (p) => ({ ...p, spec: { ...p.spec, hostNetwork: true } }),
      count: 1,
      held: false,
    },
  ])('pod count and address of a $name pod', ({ next, count, held }) => {
    const p = pod('p', 'node-1', ['10.244.1.9']);
    const ipam = ipamWith(SETTINGS, node('node-1', ['10.244.1.0/24']), p);
    ipam.change(p, next(p));
    expect(ipam.podCount('node-1')).toBe(count);
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.9')).toBe(held);
  });

  it('a pod moved to another node counts there only', () => {
    const p = pod('p', 'node-1', ['10.244.1.9']);
    const ipam = ipamWith(SETTINGS, node('node-1', ['10.244.1.0/24']), node('node-2', ['10.244.2.0/24']), p);
    const moved = pod('p', 'node-2', ['10.244.2.9']);
    ipam.change(p, moved);
    expect([ipam.podCount('node-1'), ipam.podCount('node-2')]).toEqual([0, 1]);
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.9')).toBe(false);
    expect(taken(ipam, 'pods/node-2/ipv4', '10.244.2.9')).toBe(true);
  });
});

describe('IpamTxn (a write batch fork)', () => {
  const base = () =>
    ipamWith(
      SETTINGS,
      node('node-1', ['10.244.1.0/24']),
      pod('p', 'node-1', ['10.244.1.2']),
      svc('a', { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'] }),
    );

  it('sees the committed values', () => {
    const txn = base().fork();
    expect(txn.isFree('service-ipv4', 257)).toBe(false);
    expect(txn.isFree('service-ipv4', 258)).toBe(true);
    expect(txn.podCount('node-1')).toBe(1);
    expect(txn.heldBy(svc('a', {}))).toEqual([
      { pool: 'service-ipv4', offset: 257, field: 'spec.clusterIPs[0]' },
    ]);
  });

  it('isFree is false for a pool that does not exist', () => {
    expect(base().fork().isFree('pods/node-9/ipv4', 2)).toBe(false);
  });

  it('an allocation in the txn is invisible to the base, and the base is unchanged after dropping it', () => {
    const ipam = base();
    const before = ipam.usage();
    const txn = ipam.fork();
    txn.change(undefined, svc('b', { clusterIP: '10.96.1.2', clusterIPs: ['10.96.1.2'] }));
    txn.change(undefined, pod('q', 'node-1', ['10.244.1.3']));
    expect(txn.isFree('service-ipv4', 258)).toBe(false);
    expect(txn.isFree('pods/node-1/ipv4', 3)).toBe(false);
    expect(txn.podCount('node-1')).toBe(2);
    expect(taken(ipam, 'service-ipv4', '10.96.1.2')).toBe(false);
    expect(taken(ipam, 'pods/node-1/ipv4', '10.244.1.3')).toBe(false);
    expect(ipam.podCount('node-1')).toBe(1);
    expect(ipam.usage()).toEqual(before);
  });

  it('a release in the txn is invisible to the base', () => {
    const ipam = base();
    const txn = ipam.fork();
    txn.change(svc('a', { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'] }), undefined);
    txn.change(pod('p', 'node-1', ['10.244.1.2']), undefined);
    expect(txn.isFree('service-ipv4', 257)).toBe(true);
    expect(txn.podCount('node-1')).toBe(0);
    expect(taken(ipam, 'service-ipv4', '10.96.1.1')).toBe(true);
    expect(ipam.podCount('node-1')).toBe(1);
  });

  it('a node created in the txn has its pod pool in the txn only', () => {
    const ipam = base();
    const txn = ipam.fork();
    txn.change(undefined, node('node-2', ['10.244.2.0/24'], '172.18.0.3'));
    expect(txn.pool('pods/node-2/ipv4')?.def.range).toBe('10.244.2.0/24');
    expect([...txn.poolNames()]).toContain('pods/node-2/ipv4');
    expect(ipam.pool('pods/node-2/ipv4')).toBeUndefined();
    expect([...ipam.poolNames()]).not.toContain('pods/node-2/ipv4');
  });

  it('a node deleted in the txn loses its pool in the txn only', () => {
    const ipam = base();
    const txn = ipam.fork();
    txn.change(node('node-1', ['10.244.1.0/24']), undefined);
    expect([...txn.poolNames()]).not.toContain('pods/node-1/ipv4');
    expect(txn.pool('pods/node-1/ipv4')).toBeUndefined();
    expect(ipam.pool('pods/node-1/ipv4')).toBeDefined();
  });

  it('next() gives the next value without holding it; reserve() and unreserve() hold and release it', () => {
    const ipam = base();
    const txn = ipam.fork();
    const { pool, offset } = txn.next('service-ipv4');
    expect(pool.format(pool.valueAt(offset))).toBe('10.96.1.2');
    expect(txn.next('service-ipv4').offset).toBe(offset);
    txn.reserve('service-ipv4', offset);
    expect(txn.next('service-ipv4').offset).toBe(offset + 1);
    expect(ipam.pool('service-ipv4')!.taken.has(offset)).toBe(false);
    txn.unreserve('service-ipv4', offset);
    expect(txn.next('service-ipv4').offset).toBe(offset);
  });

  it('next() of a full pool throws PoolFullError; of a missing pool, an Error', () => {
    const ipam = new Ipam({ ...SETTINGS, lbCidr: '172.18.255.200/30' });
    const txn = ipam.fork();
    txn.reserve('load-balancer', txn.next('load-balancer').offset);
    txn.reserve('load-balancer', txn.next('load-balancer').offset);
    expect(() => txn.next('load-balancer')).toThrow(PoolFullError);
    expect(() => txn.next('load-balancer')).toThrow('range is full');
    expect(() => txn.next('pods/nowhere/ipv4')).toThrow('no pool pods/nowhere/ipv4');
  });

  it('two forks of one base do not see each other', () => {
    const ipam = base();
    const t1 = ipam.fork();
    const t2 = ipam.fork();
    t1.reserve('node-port', 100);
    expect(t1.isFree('node-port', 100)).toBe(false);
    expect(t2.isFree('node-port', 100)).toBe(true);
  });

  it('the base keeps moving with committed changes after a fork', () => {
    const ipam = base();
    const txn = ipam.fork();
    ipam.change(undefined, svc('c', { clusterIP: '10.96.1.3', clusterIPs: ['10.96.1.3'] }));
    expect(taken(ipam, 'service-ipv4', '10.96.1.3')).toBe(true);
    txn.reserve('service-ipv4', 300);
    expect(ipam.pool('service-ipv4')!.taken.has(300)).toBe(false);
  });
});

describe("Ipam.adopt (a batch fork taken as the book's next state)", () => {
  const n1 = node('node-1', ['10.244.1.0/24']);
  const p1 = pod('p', 'node-1', ['10.244.1.2']);
  const a1 = svc('a', { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'] });
  const base = () => ipamWith(SETTINGS, n1, p1, a1);

  type Change = readonly [KubeObject | undefined, KubeObject | undefined];
  const writesOf = (changes: readonly Change[]) =>
    changes.map(([prev, next]) =>
      next ? { type: prev ? 'MODIFIED' : 'ADDED', object: next } : { type: 'DELETED', object: prev! },
    );

  /** Everything the book answers about these objects and nodes. */
  function fingerprint(ipam: Ipam, objects: readonly KubeObject[], nodes: readonly string[]) {
    const view = ipam.fork();
    return {
      usage: ipam.usage(),
      held: objects.map((o) => [objectKey(o), view.heldBy(o)]),
      pods: nodes.map((n) => [n, ipam.podCount(n)]),
    };
  }

  it("gives the same book as moving it write by write: creates, updates, deletes, a node's pool replaced", () => {
    const n2 = node('node-2', ['10.244.2.0/24'], '172.18.0.3');
    const q = pod('q', 'node-2', ['10.244.2.5']);
    const p2 = pod('p', 'node-1', ['10.244.3.9']);
    const n1b = node('node-1', ['10.244.3.0/24']);
    const b = svc('b', {
      type: 'NodePort',
      clusterIP: '10.96.1.2',
      clusterIPs: ['10.96.1.2'],
      ports: [{ port: 80, nodePort: 30080 }],
    });
    const changes: Change[] = [
      [undefined, n2],
      [undefined, q],
      [a1, undefined],
      [undefined, b],
      [n1, n1b],
      [p1, p2],
    ];
    const adopted = base();
    const txn = adopted.fork();
    for (const [prev, next] of changes) txn.change(prev, next);
    expect(adopted.adopt(txn, writesOf(changes))).toBe(true);
    const replayed = base();
    for (const [prev, next] of changes) replayed.change(prev, next);
    const objects = [n1b, n2, q, p2, a1, b];
    const nodes = ['node-1', 'node-2'];
    expect(fingerprint(adopted, objects, nodes)).toEqual(fingerprint(replayed, objects, nodes));
    expect(taken(adopted, 'pods/node-1/ipv4', '10.244.3.9')).toBe(true);
    expect(taken(adopted, 'service-ipv4', '10.96.1.1')).toBe(false);
    expect(taken(adopted, 'node-port', 30080)).toBe(true);
    // And the book goes on from there like any other.
    const next = adopted.fork();
    expect(next.isFree('service-ipv4', 258)).toBe(false);
  });

  it('ignores writes of kinds that hold nothing (EndpointSlices the controller derived)', () => {
    const ipam = base();
    const txn = ipam.fork();
    const b = svc('b', { clusterIP: '10.96.1.2', clusterIPs: ['10.96.1.2'] });
    txn.change(undefined, b);
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'b-x', namespace: 'default' },
    } as unknown as KubeObject;
    expect(
      ipam.adopt(txn, [
        { type: 'ADDED', object: b },
        { type: 'ADDED', object: slice },
      ]),
    ).toBe(true);
    expect(taken(ipam, 'service-ipv4', '10.96.1.2')).toBe(true);
  });

  describe('refuses, leaving the book as it was, when the fork may differ from the writes', () => {
    const b = svc('b', { clusterIP: '10.96.1.2', clusterIPs: ['10.96.1.2'] });
    it.each([
      {
        name: 'the book moved after the fork',
        run: (ipam: Ipam) => {
          const txn = ipam.fork();
          txn.change(undefined, b);
          ipam.change(undefined, svc('c', { clusterIP: '10.96.1.3', clusterIPs: ['10.96.1.3'] }));
          return ipam.adopt(txn, [{ type: 'ADDED', object: b }]);
        },
      },
      {
        name: 'a reservation is still open',
        run: (ipam: Ipam) => {
          const txn = ipam.fork();
          txn.reserve('service-ipv4', 300);
          txn.change(undefined, b);
          return ipam.adopt(txn, [{ type: 'ADDED', object: b }]);
        },
      },
      {
        name: 'a write did not go through the fork',
        run: (ipam: Ipam) => ipam.adopt(ipam.fork(), [{ type: 'ADDED', object: b }]),
      },
      {
        name: 'the fork saw an object the batch does not write (an update found unchanged)',
        run: (ipam: Ipam) => {
          const txn = ipam.fork();
          txn.change(a1, svc('a', { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'] }));
          txn.change(undefined, b);
          return ipam.adopt(txn, [{ type: 'ADDED', object: b }]);
        },
      },
      {
        name: 'the batch writes another object than the fork saw (a copy made after admission)',
        run: (ipam: Ipam) => {
          const txn = ipam.fork();
          txn.change(undefined, b);
          return ipam.adopt(txn, [{ type: 'ADDED', object: { ...b } }]);
        },
      },
      {
        name: 'the fork saw a delete the batch does not make',
        run: (ipam: Ipam) => {
          const txn = ipam.fork();
          txn.change(p1, undefined);
          return ipam.adopt(txn, []);
        },
      },
    ])('$name', ({ run }) => {
      const ipam = base();
      const objects = [n1, p1, a1, b];
      const before = fingerprint(ipam, objects, ['node-1']);
      expect(run(ipam)).toBe(false);
      const after = fingerprint(ipam, objects, ['node-1']);
      // The stale case moved the book itself (service c); everything else is untouched.
      expect(after.held).toEqual(before.held);
      expect(after.pods).toEqual(before.pods);
      expect(taken(ipam, 'service-ipv4', '10.96.1.2')).toBe(false);
    });
  });
});

describe('Ipam.usage', () => {
  it('reports size, allocated and free per pool, in kind order then name', () => {
    const ipam = ipamWith(
      SETTINGS,
      node('node-b', ['10.244.2.0/24'], '172.18.0.3'),
      node('node-a', ['10.244.1.0/24'], '172.18.0.2'),
      pod('p1', 'node-a', ['10.244.1.2']),
      pod('p2', 'node-a', ['10.244.1.3']),
      svc(
        'lb',
        {
          type: 'LoadBalancer',
          clusterIP: '10.96.1.1',
          clusterIPs: ['10.96.1.1'],
          ports: [{ port: 80, nodePort: 30086 }],
        },
        { loadBalancer: { ingress: [{ ip: '172.18.255.1' }] } },
      ),
    );
    const rows = ipam.usage().map((u) => [u.name, u.size, u.allocated, u.free]);
    expect(rows).toEqual([
      ['service-ipv4', 1_048_574, 1, 1_048_573],
      ['node-port', 2768, 1, 2767],
      ['node-cidr-ipv4', 256, 2, 254],
      ['node-address', 65_533, 2, 65_531],
      ['load-balancer', 254, 1, 253],
      ['pods/node-a/ipv4', 253, 2, 251],
      ['pods/node-b/ipv4', 253, 0, 253],
    ]);
    const podRow = ipam.usage().find((u) => u.name === 'pods/node-a/ipv4')!;
    expect(podRow).toMatchObject({ kind: 'pod', node: 'node-a', range: '10.244.1.0/24', family: 4 });
  });

  it('a txn reports its own view', () => {
    const ipam = ipamWith(SETTINGS, node('node-a', ['10.244.1.0/24']));
    const txn = ipam.fork();
    txn.change(undefined, pod('p1', 'node-a', ['10.244.1.2']));
    const row = (u: ReturnType<Ipam['usage']>) => u.find((r) => r.name === 'pods/node-a/ipv4')!.allocated;
    expect(row(txn.usage())).toBe(1);
    expect(row(ipam.usage())).toBe(0);
  });
});
