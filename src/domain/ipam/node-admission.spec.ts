import { describe, expect, it } from '@jest/globals';
import { aNode, deepMerge, type DeepPartial } from '../../../test/factories/objects.js';
import { TEST_NOW, thrownDomainError } from '../../../test/support/domain.js';
import type { Node } from '../model/types.js';
import { Ipam, type IpamSettings, type IpamTxn } from './ipam.js';
import { admitNode } from './node-admission.js';

const SINGLE: IpamSettings = {
  serviceCidrs: ['10.96.0.0/12'],
  clusterCidrs: ['10.244.0.0/16'],
  nodeCidrMasks: [24],
  nodePortRange: { min: 30000, max: 32767 },
  nodeNetwork: '172.18.0.0/16',
};
const DUAL: IpamSettings = {
  ...SINGLE,
  serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'],
  clusterCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'],
  nodeCidrMasks: [24, 64],
};

/** A node as a kubelet registers it: no podCIDRs, no addresses. */
const bare = (name: string, o: DeepPartial<Node> = {}): Node =>
  deepMerge<Node>(
    aNode({
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: { podCIDR: undefined, podCIDRs: undefined },
      status: { addresses: undefined },
    }),
    o,
  );

/** A batch that admits nodes one after the other, as IpamAdmission does. */
class Batch {
  readonly txn: IpamTxn;
  readonly nodes: Node[] = [];

  constructor(readonly ipam: Ipam) {
    this.txn = ipam.fork();
  }

  admit(input: Node, old?: Node): Node {
    const out = admitNode(input, old, { ipam: this.txn, otherNodes: () => this.nodes, now: TEST_NOW });
    this.txn.change(old, out);
    const i = this.nodes.findIndex((n) => n.metadata.name === out.metadata.name);
    if (i >= 0) this.nodes[i] = out;
    else this.nodes.push(out);
    return out;
  }
}

const batch = (settings: IpamSettings = SINGLE) => new Batch(new Ipam(settings));

describe('podCIDR allocation (range allocator)', () => {
  it('carves podCIDRs in order: 10.244.0.0/24, 10.244.1.0/24, ...', () => {
    const b = batch();
    const got = ['a', 'b', 'c'].map((n) => b.admit(bare(n)).spec);
    expect(got).toEqual([
      { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
      { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] },
    ]);
  });

  it('a dual-stack node gets one podCIDR per family, in cluster CIDR order', () => {
    const b = batch(DUAL);
    expect(b.admit(bare('a')).spec?.podCIDRs).toEqual(['10.244.0.0/24', 'fd00:10:244::/64']);
    const second = b.admit(bare('b'));
    expect(second.spec?.podCIDRs).toEqual(['10.244.1.0/24', 'fd00:10:244:1::/64']);
    expect(second.spec?.podCIDR).toBe('10.244.1.0/24');
  });

  it('an IPv6-primary cluster lists the IPv6 podCIDR first', () => {
    const b = batch({
      ...DUAL,
      clusterCidrs: ['fd00:10:244::/56', '10.244.0.0/16'],
      nodeCidrMasks: [64, 24],
    });
    expect(b.admit(bare('a')).spec?.podCIDRs).toEqual(['fd00:10:244::/64', '10.244.0.0/24']);
  });

  it.each([
    {
      name: 'a /26 mask',
      settings: { ...SINGLE, nodeCidrMasks: [26] },
      want: ['10.244.0.0/26', '10.244.0.64/26'],
    },
    {
      name: 'a /20 cluster in /22s',
      settings: { ...SINGLE, clusterCidrs: ['10.100.0.0/20'], nodeCidrMasks: [22] },
      want: ['10.100.0.0/22', '10.100.4.0/22'],
    },
  ])('subnet size follows the mask: $name', ({ settings, want }) => {
    const b = batch(settings);
    expect([b.admit(bare('a')), b.admit(bare('b'))].map((n) => n.spec?.podCIDR)).toEqual(want);
  });

  it('skips subnets pinned by other nodes', () => {
    const b = batch();
    b.admit(bare('pinned', { spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } }));
    expect(b.admit(bare('a')).spec?.podCIDR).toBe('10.244.1.0/24');
  });

  it('a subnet freed by a deleted node is handed out again (lowest free)', () => {
    const ipam = new Ipam(SINGLE);
    const b = new Batch(ipam);
    const a = b.admit(bare('a'));
    b.admit(bare('b'));
    b.txn.change(a, undefined);
    b.nodes.splice(0, 1);
    expect(b.admit(bare('c')).spec?.podCIDR).toBe('10.244.0.0/24');
  });

  it('a node with podCIDRs keeps them', () => {
    const b = batch();
    const n = b.admit(bare('a', { spec: { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] } }));
    expect(n.spec?.podCIDRs).toEqual(['10.244.7.0/24']);
  });

  it('an update of a node keeps its own podCIDR (not an overlap with itself)', () => {
    const b = batch();
    const a = b.admit(bare('a'));
    const next = { ...a, metadata: { ...a.metadata, labels: { zone: 'z1' } } };
    expect(b.admit(next, a).spec?.podCIDRs).toEqual(['10.244.0.0/24']);
  });

  it.each([
    {
      name: 'the same subnet',
      pinned: '10.244.0.0/24',
      message:
        'Node "b" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.0.0/24": overlaps with the podCIDR 10.244.0.0/24 of node "a"',
    },
    {
      name: 'a wider range covering it',
      pinned: '10.244.0.0/23',
      message:
        'Node "b" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.0.0/23": overlaps with the podCIDR 10.244.0.0/24 of node "a"',
    },
    {
      name: 'a narrower range inside it',
      pinned: '10.244.0.128/25',
      message:
        'Node "b" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.0.128/25": overlaps with the podCIDR 10.244.0.0/24 of node "a"',
    },
  ])('a pinned podCIDR overlapping another node is refused (422): $name', ({ pinned, message }) => {
    const b = batch();
    b.admit(bare('a'));
    const err = thrownDomainError(() =>
      b.admit(bare('b', { spec: { podCIDR: pinned, podCIDRs: [pinned] } })),
    );
    expect(err.code).toBe('Invalid');
    expect(err.message).toBe(message);
    expect(err.details).toMatchObject({ kind: 'Node', name: 'b' });
  });

  it('a pinned dual-stack pair reports the overlapping family only', () => {
    const b = batch(DUAL);
    b.admit(bare('a'));
    const err = thrownDomainError(() =>
      b.admit(
        bare('b', { spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24', 'fd00:10:244::/64'] } }),
      ),
    );
    expect(err.message).toBe(
      'Node "b" is invalid: spec.podCIDRs[1]: Invalid value: "fd00:10:244::/64": overlaps with the podCIDR fd00:10:244::/64 of node "a"',
    );
  });

  it('an adjacent pinned podCIDR is accepted', () => {
    const b = batch();
    b.admit(bare('a'));
    expect(b.admit(bare('b', { spec: { podCIDRs: ['10.244.1.0/24'] } })).spec?.podCIDRs).toEqual([
      '10.244.1.0/24',
    ]);
  });
});

describe('podCIDR exhaustion', () => {
  const small = { ...SINGLE, clusterCidrs: ['10.244.0.0/23'] };

  it('a node past the last subnet gets no podCIDR and a NetworkUnavailable / CIDRNotAvailable condition', () => {
    const b = batch(small);
    b.admit(bare('a'));
    b.admit(bare('b'));
    const c = b.admit(bare('c'));
    expect(c.spec?.podCIDR).toBeUndefined();
    expect(c.spec?.podCIDRs).toBeUndefined();
    expect(c.status?.conditions).toEqual([
      {
        type: 'NetworkUnavailable',
        status: 'True',
        reason: 'CIDRNotAvailable',
        message:
          'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range 10.244.0.0/23',
        lastTransitionTime: TEST_NOW,
      },
    ]);
    // It still gets its address.
    expect(c.status?.addresses?.[0]).toEqual({ type: 'InternalIP', address: '172.18.0.4' });
  });

  it('dual stack is all or nothing: no IPv4 subnet left means no IPv6 one either', () => {
    const b = batch({ ...DUAL, clusterCidrs: ['10.244.0.0/24', 'fd00:10:244::/56'] });
    b.admit(bare('a'));
    const c = b.admit(bare('b'));
    expect(c.spec?.podCIDRs).toBeUndefined();
    expect(c.status?.conditions?.[0]?.message).toContain('accepted range 10.244.0.0/24');
    expect(b.txn.pool('node-cidr-ipv6')!.allocated).toBe(1);
  });

  it('keeps the other conditions and the first transition time on a later update', () => {
    const b = batch({ ...SINGLE, clusterCidrs: ['10.244.0.0/24'] });
    b.admit(bare('a'));
    const first = b.admit(bare('b', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
    expect(first.status?.conditions?.map((c) => c.type)).toEqual(['Ready', 'NetworkUnavailable']);
    const again = admitNode(first, first, {
      ipam: b.txn,
      otherNodes: () => b.nodes,
      now: '2030-01-01T00:00:00Z',
    });
    const cond = again.status?.conditions?.find((c) => c.type === 'NetworkUnavailable') as {
      lastTransitionTime?: string;
    };
    expect(cond.lastTransitionTime).toBe(TEST_NOW);
  });

  it('the condition goes once the node has a podCIDR', () => {
    const b = batch({ ...SINGLE, clusterCidrs: ['10.244.0.0/24'] });
    const a = b.admit(bare('a'));
    const stuck = b.admit(bare('b'));
    b.txn.change(a, undefined);
    b.nodes.splice(0, 1);
    const next = b.admit({ ...stuck, spec: {} }, stuck);
    expect(next.spec?.podCIDRs).toEqual(['10.244.0.0/24']);
    expect(next.status?.conditions).toEqual([]);
  });
});

describe('InternalIP', () => {
  it('a node without an InternalIP gets the next node-network address (.2 first) and a Hostname', () => {
    const b = batch();
    const got = ['a', 'b'].map((n) => b.admit(bare(n)).status?.addresses);
    expect(got).toEqual([
      [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: 'a' },
      ],
      [
        { type: 'InternalIP', address: '172.18.0.3' },
        { type: 'Hostname', address: 'b' },
      ],
    ]);
  });

  it('an existing Hostname address is kept, the InternalIP put first', () => {
    const b = batch();
    const n = b.admit(bare('a', { status: { addresses: [{ type: 'Hostname', address: 'a.example' }] } }));
    expect(n.status?.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: 'a.example' },
    ]);
  });

  it('a node with an InternalIP keeps it, and the next node skips it', () => {
    const b = batch();
    const a = b.admit(bare('a', { status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } }));
    expect(a.status?.addresses).toEqual([{ type: 'InternalIP', address: '172.18.0.2' }]);
    expect(b.admit(bare('b')).status?.addresses?.[0]?.address).toBe('172.18.0.3');
  });

  it('an update without addresses keeps the ones the node has', () => {
    const b = batch();
    const a = b.admit(bare('a'));
    const next = b.admit({ ...a, status: {} }, a);
    expect(next.status?.addresses).toEqual(a.status?.addresses);
  });

  it('a full node network answers range is full (Conflict)', () => {
    const b = batch({ ...SINGLE, nodeNetwork: '172.18.0.0/30' }); // .2 only
    b.admit(bare('a'));
    const err = thrownDomainError(() => b.admit(bare('b')));
    expect(err.code).toBe('Conflict');
    expect(err.message).toBe('failed to allocate a node address: range is full');
    expect(err.details).toEqual({
      kind: 'nodes',
      name: 'b',
      causes: [{ reason: 'FieldValueInvalid', field: 'status.addresses', message: 'range is full' }],
    });
  });
});
