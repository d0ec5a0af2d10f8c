import { describe, expect, it } from '@jest/globals';
import { aNode, aPod, deepMerge, type DeepPartial } from '../../../test/factories/objects.js';
import { TEST_NOW, thrownDomainError } from '../../../test/support/domain.js';
import type { Node, Pod } from '../model/types.js';
import { Ipam, type IpamSettings, type IpamTxn } from './ipam.js';
import { admitPod, NodePicker, schedule, tolerates, unfitReason } from './pod-admission.js';

const SETTINGS: IpamSettings = {
  serviceCidrs: ['10.96.0.0/12'],
  clusterCidrs: ['10.244.0.0/16'],
  nodeCidrMasks: [24],
  nodePortRange: { min: 30000, max: 32767 },
  nodeNetwork: '172.18.0.0/16',
};

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** Node `name` with podCIDR 10.244.<i>.0/24 and InternalIP 172.18.0.<i+2>. */
function node(name: string, i: number, o: DeepPartial<Node> = {}): Node {
  const base = aNode({
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
    status: {
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${i + 2}` },
        { type: 'Hostname', address: name },
      ],
    },
  });
  return deepMerge<Node>(base, o);
}

const pod = (name: string, o: DeepPartial<Pod> = {}): Pod =>
  aPod({ ...o, metadata: { name, ...o.metadata } });

/** A write batch over committed nodes (and pods), admitting pods one after the other. */
class Batch {
  readonly txn: IpamTxn;
  readonly byName: Map<string, Node>;

  constructor(
    readonly nodes: Node[],
    committed: Pod[] = [],
    settings: IpamSettings = SETTINGS,
  ) {
    const ipam = new Ipam(settings);
    ipam.load([...nodes, ...committed]);
    this.txn = ipam.fork();
    this.byName = new Map(nodes.map((n) => [n.metadata.name, n]));
  }

  get env() {
    const sorted = [...this.nodes].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    return {
      ipam: this.txn,
      getNode: (n: string) => this.byName.get(n),
      nodes: () => sorted,
      now: TEST_NOW,
    };
  }

  admit(input: Pod, old?: Pod): Pod {
    const out = admitPod(input, old, this.env);
    this.txn.change(old, out);
    return out;
  }
}

const kind3 = () => [
  node('kind-control-plane', 0, {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { taints: [CP_TAINT] },
  }),
  node('kind-worker', 1),
  node('kind-worker2', 2),
];

describe('tolerates (v1 ToleratesTaint)', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each<{ name: string; toleration: Record<string, string>; want: boolean }>([
    {
      name: 'Equal, same key/value/effect',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      want: true,
    },
    { name: 'operator defaults to Equal', toleration: { key: 'dedicated', value: 'gpu' }, want: true },
    {
      name: 'Equal, other value',
      toleration: { key: 'dedicated', operator: 'Equal', value: 'cpu' },
      want: false,
    },
    {
      name: 'Equal, no value against a value',
      toleration: { key: 'dedicated', operator: 'Equal' },
      want: false,
    },
    { name: 'Exists, same key', toleration: { key: 'dedicated', operator: 'Exists' }, want: true },
    { name: 'Exists, other key', toleration: { key: 'other', operator: 'Exists' }, want: false },
    { name: 'Exists, empty key: everything', toleration: { operator: 'Exists' }, want: true },
    {
      name: 'Exists, empty key, matching effect',
      toleration: { operator: 'Exists', effect: 'NoSchedule' },
      want: true,
    },
    {
      name: 'Exists, empty key, other effect',
      toleration: { operator: 'Exists', effect: 'NoExecute' },
      want: false,
    },
    { name: 'empty key with Equal', toleration: { operator: 'Equal', value: 'gpu' }, want: false },
    {
      name: 'other effect',
      toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
      want: false,
    },
    {
      name: 'empty effect matches any',
      toleration: { key: 'dedicated', operator: 'Exists', effect: '' },
      want: true,
    },
    { name: 'unknown operator', toleration: { key: 'dedicated', operator: 'Lt', value: 'gpu' }, want: false },
  ])('$name -> $want', ({ toleration, want }) => {
    expect(tolerates(toleration, taint)).toBe(want);
  });

  it('Equal with no value matches a taint without a value', () => {
    expect(tolerates({ key: CP_TAINT.key, operator: 'Equal' }, CP_TAINT)).toBe(true);
  });
});

describe('unfitReason', () => {
  it.each<{ name: string; pod: DeepPartial<Pod>; node: DeepPartial<Node>; want: string | undefined }>([
    { name: 'a plain node fits', pod: {}, node: {}, want: undefined },
    {
      name: 'taints are checked before the nodeSelector (the first failing filter is the reason)',
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      node: { spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } },
      want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    },
    {
      name: 'cordoned, but the pod tolerates node.kubernetes.io/unschedulable',
      pod: { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }] } },
      node: { spec: { unschedulable: true } },
      want: undefined,
    },
    {
      name: 'cordoned',
      pod: {},
      node: { spec: { unschedulable: true } },
      want: 'node(s) were unschedulable',
    },
    {
      name: 'nodeSelector mismatch',
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      node: {},
      want: "node(s) didn't match Pod's node affinity/selector",
    },
    {
      name: 'nodeSelector match',
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      node: { metadata: { labels: { disk: 'ssd' } } },
      want: undefined,
    },
    {
      name: 'NoSchedule taint with a value',
      pod: {},
      node: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
      want: 'node(s) had untolerated taint {dedicated: gpu}',
    },
    {
      name: 'NoExecute taint',
      pod: {},
      node: { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] } },
      want: 'node(s) had untolerated taint {k: v}',
    },
    {
      name: 'PreferNoSchedule taint only scores',
      pod: {},
      node: { spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } },
      want: undefined,
    },
    {
      name: 'the first untolerated taint is named',
      pod: { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } },
      node: {
        spec: {
          taints: [
            { key: 'a', effect: 'NoSchedule' },
            { key: 'b', value: '1', effect: 'NoSchedule' },
            { key: 'c', value: '2', effect: 'NoSchedule' },
          ],
        },
      },
      want: 'node(s) had untolerated taint {b: 1}',
    },
    {
      name: 'tolerated control-plane taint',
      pod: { spec: { tolerations: [{ key: CP_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }] } },
      node: { spec: { taints: [CP_TAINT] } },
      want: undefined,
    },
    {
      name: 'not Ready: the not-ready taint',
      pod: {},
      node: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      want: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    },
    {
      name: 'Ready Unknown: the not-ready taint',
      pod: {},
      node: { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
      want: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
    },
    {
      name: 'not Ready, tolerated',
      pod: { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] } },
      node: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      want: undefined,
    },
    {
      name: 'Ready True',
      pod: {},
      node: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      want: undefined,
    },
  ])('$name', ({ pod: p, node: n, want }) => {
    expect(unfitReason(pod('p', p), node('n', 1, n))).toBe(want);
  });
});

describe('scheduling', () => {
  it('spreads pods by pod count, ties to the node whose name sorts first', () => {
    const b = new Batch([node('c', 3), node('a', 1), node('b', 2)]);
    const got = ['p1', 'p2', 'p3', 'p4', 'p5'].map((n) => b.admit(pod(n)).spec.nodeName);
    expect(got).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('counts the committed pods', () => {
    const committed = [
      pod('x1', { spec: { nodeName: 'a' }, status: { phase: 'Running', podIP: '10.244.1.2' } }),
      pod('x2', { spec: { nodeName: 'a' }, status: { phase: 'Running', podIP: '10.244.1.3' } }),
      pod('x3', { spec: { nodeName: 'b' }, status: { phase: 'Running', podIP: '10.244.2.2' } }),
    ];
    const b = new Batch([node('a', 1), node('b', 2), node('c', 3)], committed);
    expect(['p1', 'p2', 'p3'].map((n) => b.admit(pod(n)).spec.nodeName)).toEqual(['c', 'b', 'c']);
  });

  it('terminal pods do not count', () => {
    const committed = [pod('done', { spec: { nodeName: 'a' }, status: { phase: 'Succeeded' } })];
    const b = new Batch([node('a', 1), node('b', 2)], committed);
    expect(b.admit(pod('p')).spec.nodeName).toBe('a');
  });

  it.each<{ name: string; pod: DeepPartial<Pod>; want: string }>([
    { name: 'a plain pod avoids the tainted control plane', pod: {}, want: 'kind-worker' },
    {
      name: 'nodeSelector',
      pod: { spec: { nodeSelector: { 'kubernetes.io/hostname': 'kind-worker2' } } },
      want: 'kind-worker2',
    },
    {
      name: 'toleration + nodeSelector for the control plane',
      pod: {
        spec: {
          nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
          tolerations: [{ key: CP_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
      want: 'kind-control-plane',
    },
    {
      name: 'tolerate-everything goes to the first name',
      pod: { spec: { tolerations: [{ operator: 'Exists' }] } },
      want: 'kind-control-plane',
    },
  ])('$name', ({ pod: p, want }) => {
    const b = new Batch(kind3());
    expect(b.admit(pod('p', p)).spec.nodeName).toBe(want);
  });

  it('skips cordoned and not-ready nodes', () => {
    const b = new Batch([
      node('a', 1, { spec: { unschedulable: true } }),
      node('b', 2, { status: { conditions: [{ type: 'Ready', status: 'False' }] } }),
      node('c', 3),
    ]);
    expect(b.admit(pod('p')).spec.nodeName).toBe('c');
  });

  it.each<{ name: string; nodes: () => Node[]; pod: DeepPartial<Pod>; message: string }>([
    {
      name: 'kind with 3 nodes, selector only the control plane carries',
      nodes: () => {
        const [cp, w1, w2] = kind3();
        return [{ ...cp!, metadata: { ...cp!.metadata, labels: { disk: 'ssd' } } }, w1!, w2!];
      },
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      message:
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: 'single-node kind',
      nodes: () => [kind3()[0]!],
      pod: {},
      message:
        '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'cordoned and mismatched',
      nodes: () => [node('a', 1, { spec: { unschedulable: true } }), node('b', 2)],
      pod: { spec: { nodeSelector: { disk: 'ssd' } } },
      message:
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    },
    {
      name: 'two different taints',
      nodes: () => [
        node('a', 1, { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
        node('b', 2, { status: { conditions: [{ type: 'Ready', status: 'False' }] } }),
      ],
      pod: {},
      message:
        '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    },
    { name: 'no nodes at all', nodes: () => [], pod: {}, message: 'no nodes available to schedule pods' },
  ])('unschedulable: $name', ({ nodes, pod: p, message }) => {
    const b = new Batch(nodes());
    expect(schedule(pod('p', p), b.env)).toEqual({ unschedulable: message });
    const out = b.admit(pod('p', p));
    expect(out.spec.nodeName).toBeUndefined();
    expect(out.status).toEqual({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastTransitionTime: TEST_NOW,
          reason: 'Unschedulable',
          message,
        },
      ],
    });
    expect(
      b.txn
        .usage()
        .filter((u) => u.kind === 'pod')
        .every((u) => u.allocated === 0),
    ).toBe(true);
  });

  it('a pod with spec.nodeName is not scheduled again', () => {
    const b = new Batch([node('a', 1, { spec: { unschedulable: true } }), node('b', 2)]);
    expect(b.admit(pod('p', { spec: { nodeName: 'a' } })).spec.nodeName).toBe('a');
  });
});

describe('pod addresses and status', () => {
  it('pods get .2, .3, ... of their node podCIDR', () => {
    const b = new Batch([node('a', 1)]);
    const got = ['p1', 'p2', 'p3'].map((n) => b.admit(pod(n)).status?.podIP);
    expect(got).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  });

  it('a running pod: phase, addresses, host IPs and the kubelet conditions in order', () => {
    const b = new Batch([node('a', 1)]);
    expect(b.admit(pod('p')).status).toEqual({
      hostIP: '172.18.0.3',
      hostIPs: [{ ip: '172.18.0.3' }],
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({ type, status: 'True', lastTransitionTime: TEST_NOW })),
      podIP: '10.244.1.2',
      podIPs: [{ ip: '10.244.1.2' }],
      startTime: TEST_NOW,
    });
  });

  it('an address a committed pod holds is skipped', () => {
    const committed = [
      pod('x', { spec: { nodeName: 'a' }, status: { phase: 'Running', podIP: '10.244.1.2' } }),
    ];
    const b = new Batch([node('a', 1)], committed);
    expect(b.admit(pod('p')).status?.podIP).toBe('10.244.1.3');
  });

  it('a dual-stack node gives one address per family, in podCIDRs order', () => {
    const n = node('a', 1, {
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] },
    });
    const v6first = node('b', 2, {
      spec: { podCIDR: 'fd00:10:244:2::/64', podCIDRs: ['fd00:10:244:2::/64', '10.244.2.0/24'] },
    });
    const b = new Batch([n, v6first]);
    expect(b.admit(pod('p', { spec: { nodeName: 'a' } })).status?.podIPs).toEqual([
      { ip: '10.244.1.2' },
      { ip: 'fd00:10:244:1::2' },
    ]);
    const out = b.admit(pod('q', { spec: { nodeName: 'b' } }));
    expect(out.status?.podIPs).toEqual([{ ip: 'fd00:10:244:2::2' }, { ip: '10.244.2.2' }]);
    expect(out.status?.podIP).toBe('fd00:10:244:2::2');
  });

  it('a hostNetwork pod shares the node InternalIP and takes no pod address', () => {
    const b = new Batch([node('a', 1)]);
    const out = b.admit(pod('p', { spec: { hostNetwork: true } }));
    expect(out.status?.podIP).toBe('172.18.0.3');
    expect(out.status?.podIPs).toEqual([{ ip: '172.18.0.3' }]);
    expect(out.status?.hostIP).toBe('172.18.0.3');
    expect(b.admit(pod('q')).status?.podIP).toBe('10.244.1.2');
  });

  it('a pinned podIP is kept and held', () => {
    const b = new Batch([node('a', 1)]);
    const out = b.admit(pod('p', { spec: { nodeName: 'a' }, status: { podIP: '10.244.1.50' } }));
    expect(out.status?.podIP).toBe('10.244.1.50');
    expect(out.status?.podIPs).toEqual([{ ip: '10.244.1.50' }]);
    expect(b.txn.isFree('pods/a/ipv4', 50)).toBe(false);
  });

  it('a pinned podIP another pod of the node holds is refused (422)', () => {
    const b = new Batch([node('a', 1)]);
    b.admit(pod('p', { spec: { nodeName: 'a' } }));
    const err = thrownDomainError(() =>
      b.admit(pod('q', { spec: { nodeName: 'a' }, status: { podIPs: [{ ip: '10.244.1.2' }] } })),
    );
    expect(err.code).toBe('Invalid');
    expect(err.message).toBe(
      'Pod "q" is invalid: status.podIPs[0].ip: Invalid value: "10.244.1.2": provided IP is already allocated',
    );
  });

  it('an update of a pod keeps its own address (not refused by itself)', () => {
    const b = new Batch([node('a', 1)]);
    const p = b.admit(pod('p'));
    const next = { ...p, metadata: { ...p.metadata, labels: { app: 'web', v: '2' } } };
    expect(b.admit(next, p).status?.podIP).toBe('10.244.1.2');
  });

  it('an update without a status keeps what kubelet reported', () => {
    const b = new Batch([node('a', 1)]);
    const p = b.admit(pod('p'));
    const again = b.admit({ ...p, status: undefined }, p);
    expect(again.status).toEqual(p.status);
  });

  it('a pod whose node range is exhausted stays Pending with the host-local failure', () => {
    const tiny = node('a', 1, { spec: { podCIDR: '10.244.1.0/30', podCIDRs: ['10.244.1.0/30'] } });
    const b = new Batch([tiny]);
    expect(b.admit(pod('p1')).status?.podIP).toBe('10.244.1.2');
    const out = b.admit(pod('p2'));
    expect(out.spec.nodeName).toBe('a');
    expect(out.status?.phase).toBe('Pending');
    expect(out.status?.podIP).toBeUndefined();
    expect(out.status?.hostIP).toBe('172.18.0.3');
    expect(out.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'False'],
      ['Initialized', 'True'],
      ['Ready', 'False'],
      ['ContainersReady', 'False'],
      ['PodScheduled', 'True'],
    ]);
    const sandbox = out.status!.conditions![0]!;
    expect(sandbox.reason).toBe('FailedCreatePodSandBox');
    expect(sandbox.message).toMatch(
      /^failed to allocate for range 0: no IP addresses available in range set: /,
    );
  });

  it.each([
    {
      name: 'IPv4 /30: the set runs from the gateway (.1) to the last usable address',
      cidrs: ['10.244.1.0/30'],
      fill: 1,
      message:
        'failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.2',
    },
    {
      name: 'dual-stack, the IPv6 range runs out: its index (1) and its set',
      cidrs: ['10.244.2.0/24', 'fd00::/126'],
      fill: 2,
      message: 'failed to allocate for range 1: no IP addresses available in range set: fd00::1-fd00::3',
    },
  ])('host-local exhaustion message: $name', ({ cidrs, fill, message }) => {
    const settings: IpamSettings = {
      ...SETTINGS,
      clusterCidrs: ['10.244.0.0/16', 'fd00::/48'],
      nodeCidrMasks: [24, 64],
    };
    const b = new Batch([node('a', 1, { spec: { podCIDR: cidrs[0], podCIDRs: cidrs } })], [], settings);
    for (let i = 0; i < fill; i++) expect(b.admit(pod(`ok${i}`)).status?.podIPs).toHaveLength(cidrs.length);
    const out = b.admit(pod('over'));
    expect(out.status?.podIP).toBeUndefined();
    expect(out.status?.conditions?.[0]?.message).toBe(message);
  });

  it('NodePicker places a batch exactly as schedule() would, pod by pod', () => {
    const nodes = [
      ...kind3(),
      node('big', 3, { metadata: { labels: { disk: 'ssd' } } }),
      node('cordoned', 4, { spec: { unschedulable: true } }),
    ];
    const pods = Array.from({ length: 60 }, (_, i) =>
      pod(`p${i}`, {
        spec: {
          ...(i % 3 === 0 ? { nodeSelector: { disk: 'ssd' } } : {}),
          ...(i % 5 === 0 ? { tolerations: [{ operator: 'Exists' }] } : {}),
          ...(i % 7 === 0 ? { nodeSelector: { disk: 'none' } } : {}),
        },
      }),
    );
    const slow = new Batch(nodes);
    const fast = new Batch(nodes);
    const picker = new NodePicker(fast.env.nodes(), (n) => fast.txn.podCount(n));
    for (const p of pods) {
      const a = slow.admit(p);
      const b = admitPod(p, undefined, { ...fast.env, pick: (x) => picker.pick(x) });
      fast.txn.change(undefined, b);
      picker.refresh(b.spec.nodeName);
      expect({ node: b.spec.nodeName, status: b.status?.conditions?.[0]?.message }).toEqual({
        node: a.spec.nodeName,
        status: a.status?.conditions?.[0]?.message,
      });
    }
  });

  it.each<{ name: string; nodes: () => Node[]; message: string }>([
    {
      name: 'bound to a node that does not exist',
      nodes: () => [],
      message: 'node "a" does not exist',
    },
    {
      name: 'bound to a node without a podCIDR',
      nodes: () => [node('a', 1, { spec: { podCIDR: undefined, podCIDRs: undefined } })],
      message: 'node "a" has no podCIDR to allocate from',
    },
  ])('$name: Pending, sandbox not created', ({ nodes, message }) => {
    const b = new Batch(nodes());
    const out = b.admit(pod('p', { spec: { nodeName: 'a' } }));
    expect(out.status?.phase).toBe('Pending');
    expect(out.status?.conditions?.[0]).toEqual({
      type: 'PodReadyToStartContainers',
      status: 'False',
      lastTransitionTime: TEST_NOW,
      reason: 'FailedCreatePodSandBox',
      message,
    });
  });

  it('phase and conditions from the manifest are kept', () => {
    const b = new Batch([node('a', 1)]);
    const conditions = [{ type: 'Ready', status: 'False', reason: 'Custom' }];
    const out = b.admit(
      pod('p', { status: { phase: 'Pending', conditions, startTime: '2020-01-01T00:00:00Z' } }),
    );
    expect(out.status?.phase).toBe('Pending');
    expect(out.status?.conditions).toEqual(conditions);
    expect(out.status?.startTime).toBe('2020-01-01T00:00:00Z');
    expect(out.status?.podIP).toBe('10.244.1.2');
  });

  it.each(['Succeeded', 'Failed'])('a %s pod is stored as it is', (phase) => {
    const b = new Batch([node('a', 1)]);
    const input = pod('p', { status: { phase } });
    expect(admitPod(input, undefined, b.env)).toBe(input);
  });
});
