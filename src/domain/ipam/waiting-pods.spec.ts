import { describe, expect, it } from '@jest/globals';
import { aNode, aPod, deepMerge, type DeepPartial } from '../../../test/factories/objects.js';
import { testWriteContext, TEST_NOW } from '../../../test/support/domain.js';
import { documentsFromValue } from '../manifests/parse.js';
import type { KubeObject, Node, Pod } from '../model/types.js';
import { planApply } from '../resources/apply.js';
import { planDelete, stampResourceVersion, type PlannedWrite } from '../resources/lifecycle.js';
import { ClusterState } from '../state/cluster-state.js';
import { IpamAdmission } from './admission.js';
import { Ipam, type IpamSettings } from './ipam.js';
import { waitingReason } from './pod-admission.js';
import { admitWaitingPods } from './waiting-pods.js';

const SETTINGS: IpamSettings = {
  serviceCidrs: ['10.96.0.0/12'],
  clusterCidrs: ['10.244.0.0/16'],
  nodeCidrMasks: [24],
  nodePortRange: { min: 30000, max: 32767 },
  nodeNetwork: '172.18.0.0/16',
};

/** Node `name` with podCIDR `cidr` (10.244.<i>.0/24 by default) and InternalIP 172.18.0.<i+2>. */
function node(name: string, i: number, o: DeepPartial<Node> = {}, cidr = `10.244.${i}.0/24`): Node {
  return deepMerge<Node>(
    aNode({
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: { podCIDR: cidr, podCIDRs: [cidr] },
      status: { addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }] },
    }),
    o,
  );
}

const pod = (name: string, o: DeepPartial<Pod> = {}): Pod =>
  aPod({ ...o, metadata: { name, ...o.metadata } });

/**
 * A cluster committed batch by batch as ResourceStore commits: plan (with admission), take waiting
 * pods up, stamp, move the address book and the state.
 */
class Cluster {
  readonly state = new ClusterState();
  readonly ipam = new Ipam(SETTINGS);
  private rv = 0;
  private uid = 0;
  private time = 0;
  /** The writes admitWaitingPods added in the last batch. */
  woken: PlannedWrite[] = [];
  /** The writes the last apply planned (before waiting pods were taken up). */
  planned: readonly PlannedWrite[] = [];
  /** Whether the last commit took the batch's address book fork as it was. */
  adopted = false;

  constructor() {
    this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  }

  apply(...objects: KubeObject[]): void {
    // Each batch a second later, so creationTimestamps order the pods as they were created.
    const now = `2026-01-02T03:04:${String(10 + this.time++).padStart(2, '0')}Z`;
    const admission = new IpamAdmission(this.ipam.fork(), now);
    const ctx = testWriteContext({ now, newUid: () => `uid-${++this.uid}`, admission });
    const plan = planApply(
      this.state,
      documentsFromValue({ kind: 'List', apiVersion: 'v1', items: objects }),
      ctx,
      {
        atomic: true,
      },
    );
    this.planned = plan.writes;
    this.commit(plan.writes, admission);
  }

  delete(kind: 'Pod' | 'Node', name: string, namespace = kind === 'Pod' ? 'default' : ''): void {
    const admission = new IpamAdmission(this.ipam.fork(), TEST_NOW);
    this.commit(planDelete(this.state, kind, namespace, name, {}, { admission }), admission);
  }

  private commit(planned: readonly PlannedWrite[], admission: IpamAdmission): void {
    this.woken = admitWaitingPods(this.state, planned, admission);
    const writes = [...planned, ...this.woken];
    const committed = writes.map((w) => ({
      type: w.type,
      object: w.type === 'DELETED' ? w.object : stampResourceVersion(w.object, String(++this.rv)),
    }));
    // As the store: adopt the batch's fork, or move the book write by write when it declines (a pod
    // tried again and still waiting is in the fork but not in the writes).
    this.adopted = this.ipam.adopt(admission.ipam, writes);
    if (!this.adopted) {
      for (const w of committed) {
        const o = w.object;
        const prev = this.state.get(o.kind, o.metadata.namespace ?? '', o.metadata.name);
        this.ipam.change(prev, w.type === 'DELETED' ? undefined : o);
      }
    }
    this.state.applyChanges(committed, this.rv);
  }

  pod(name: string): Pod {
    return this.state.get('Pod', 'default', name)!;
  }
}

const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);

/** A real scheduler's words for a reason netmodel does not model (a snapshot's Pending pod). */
const INSUFFICIENT_CPU =
  '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

/** Pod `a` with no node and a PodScheduled=False/Unschedulable condition carrying `message`. */
const unscheduled = (message: string | undefined, phase: 'Pending' | 'Failed' = 'Pending'): Pod =>
  pod('a', {
    status: {
      phase,
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', ...(message ? { message } : {}) },
      ],
    },
  });

describe('waitingReason', () => {
  it.each<{ name: string; pod: Pod; want: string | undefined }>([
    {
      name: 'unscheduled: no node, PodScheduled False Unschedulable, no nodes at all',
      pod: unscheduled('no nodes available to schedule pods'),
      want: 'unscheduled',
    },
    {
      name: 'unscheduled: the filters netmodel runs said no',
      pod: unscheduled(
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      ),
      want: 'unscheduled',
    },
    {
      name: "a real scheduler's reason netmodel does not model (a snapshot's Pending pod) is not",
      pod: unscheduled(INSUFFICIENT_CPU),
      want: undefined,
    },
    {
      name: 'Unschedulable without a message is not (nothing netmodel wrote)',
      pod: pod('a', {
        status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
      }),
      want: undefined,
    },
    {
      name: 'bound without a sandbox',
      pod: pod('a', {
        spec: { nodeName: 'n1' },
        status: {
          phase: 'Pending',
          conditions: [
            { type: 'PodReadyToStartContainers', status: 'False', reason: 'FailedCreatePodSandBox' },
          ],
        },
      }),
      want: 'no-sandbox',
    },
    {
      name: 'a pod with an address is not waiting, whatever its conditions say',
      pod: pod('a', {
        spec: { nodeName: 'n1' },
        status: {
          podIP: '10.244.0.5',
          conditions: [
            { type: 'PodReadyToStartContainers', status: 'False', reason: 'FailedCreatePodSandBox' },
          ],
        },
      }),
      want: undefined,
    },
    {
      name: 'a finished pod is not waiting',
      pod: unscheduled('no nodes available to schedule pods', 'Failed'),
      want: undefined,
    },
    { name: 'a pod without conditions is not waiting (nothing tried it)', pod: pod('a'), want: undefined },
    {
      name: 'a scheduling gate is not a failed attempt',
      pod: pod('a', {
        status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
      }),
      want: undefined,
    },
  ])('$name', ({ pod: p, want }) => {
    expect(waitingReason(p)).toBe(want);
  });
});

describe('admitWaitingPods', () => {
  it('schedules a pod that found no node once a node is added, in the same commit', () => {
    const c = new Cluster();
    c.apply(pod('web'));
    expect(waitingReason(c.pod('web'))).toBe('unscheduled');
    expect(condition(c.pod('web'), 'PodScheduled')?.message).toBe('no nodes available to schedule pods');

    c.apply(node('n1', 0));
    const p = c.pod('web');
    expect(c.woken.map((w) => [w.type, w.object.metadata.name, w.previous?.metadata.name])).toEqual([
      ['MODIFIED', 'web', 'web'],
    ]);
    expect(p.spec.nodeName).toBe('n1');
    expect(p.status?.podIP).toBe('10.244.0.2');
    expect(p.status?.hostIP).toBe('172.18.0.2');
    expect(p.status?.phase).toBe('Running');
    expect(condition(p, 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'True' });
    expect(p.metadata.uid).toBe('uid-2');
    expect(c.adopted).toBe(true);
    expect(c.state.holdersOf('10.244.0.2').map((h) => h.name)).toEqual(['web']);
  });

  it('gives a pod bound to a missing node its addresses when that node registers', () => {
    const c = new Cluster();
    c.apply(node('n1', 0), pod('db', { spec: { nodeName: 'n2' } }));
    expect(waitingReason(c.pod('db'))).toBe('no-sandbox');
    expect(condition(c.pod('db'), 'PodReadyToStartContainers')?.message).toBe('node "n2" does not exist');

    c.apply(node('n2', 1));
    const p = c.pod('db');
    expect(p.status?.podIP).toBe('10.244.1.2');
    expect(p.status?.hostIP).toBe('172.18.0.3');
    expect(p.status?.hostIPs).toEqual([{ ip: '172.18.0.3' }]);
    expect(condition(p, 'PodReadyToStartContainers')).toMatchObject({ status: 'True' });
  });

  it('lets a pod waiting for an address of a full range take one freed by a deleted pod', () => {
    const c = new Cluster();
    // A /30 leaves one address for pods (.0 network, .1 gateway, .3 broadcast).
    c.apply(node('tiny', 0, {}, '10.244.9.0/30'), pod('first', { spec: { nodeName: 'tiny' } }));
    c.apply(pod('second', { spec: { nodeName: 'tiny' } }));
    expect(c.pod('first').status?.podIP).toBe('10.244.9.2');
    expect(waitingReason(c.pod('second'))).toBe('no-sandbox');

    c.delete('Pod', 'first');
    expect(c.pod('second').status?.podIP).toBe('10.244.9.2');
    expect(c.pod('second').status?.phase).toBe('Running');
  });

  it('schedules onto a node once it is uncordoned', () => {
    const c = new Cluster();
    c.apply(node('n1', 0, { spec: { unschedulable: true } }), pod('web'));
    expect(condition(c.pod('web'), 'PodScheduled')?.message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    c.apply(node('n1', 0, { spec: { unschedulable: false } }));
    expect(c.pod('web').spec.nodeName).toBe('n1');
  });

  it('takes pods up in queue order: higher priority first, then the earlier created', () => {
    const c = new Cluster();
    c.apply(pod('old'));
    c.apply(pod('young'));
    c.apply(pod('young-important', { spec: { priority: 1000 } as DeepPartial<Pod['spec']> }));
    // One address: the scheduler binds all three (it does not look at addresses); the first in the
    // queue gets the address, the others wait for one on the node.
    c.apply(node('tiny', 0, {}, '10.244.9.0/30'));
    expect(c.woken.map((w) => w.object.metadata.name)).toEqual(['young-important', 'old', 'young']);
    expect(c.adopted).toBe(true);
    expect(c.pod('young-important').status?.podIP).toBe('10.244.9.2');
    for (const name of ['old', 'young']) {
      expect(c.pod(name).spec.nodeName).toBe('tiny');
      expect(waitingReason(c.pod(name))).toBe('no-sandbox');
      expect(condition(c.pod(name), 'PodReadyToStartContainers')?.message).toMatch(
        /no IP addresses available/,
      );
    }

    c.delete('Pod', 'young-important');
    expect(c.woken.map((w) => w.object.metadata.name)).toEqual(['old']);
    expect(c.pod('old').status?.podIP).toBe('10.244.9.2');
    // 'young' was tried in the batch's fork and still waits, so the commit moved the book write by
    // write instead of adopting the fork: the book is still right.
    expect(c.adopted).toBe(false);
    expect(waitingReason(c.pod('young'))).toBe('no-sandbox');
    expect(c.state.holdersOf('10.244.9.2').map((h) => h.name)).toEqual(['old']);
    expect(c.ipam.usage().find((u) => u.name === 'pods/tiny/ipv4')).toMatchObject({ allocated: 1, free: 0 });
  });

  it('is not woken by writes that cannot help (a Service, a deleted Node)', () => {
    const c = new Cluster();
    c.apply(node('n1', 0, { spec: { unschedulable: true } }), pod('web'));
    c.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    } as KubeObject);
    expect(c.woken).toEqual([]);
    c.delete('Node', 'n1');
    expect(c.woken).toEqual([]);
    expect(waitingReason(c.pod('web'))).toBe('unscheduled');
  });

  it('does not fail the write that wakes a pod admission now refuses, and leaves that pod as it was', () => {
    const c = new Cluster();
    c.apply(node('n1', 0, { spec: { unschedulable: true } }), pod('runner', { spec: { nodeName: 'n1' } }));
    expect(c.pod('runner').status?.podIP).toBe('10.244.0.2');
    // No node takes it, so its pinned address is not checked yet.
    c.apply(pod('pinned', { status: { podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }] } }));
    const before = c.pod('pinned');
    expect(waitingReason(before)).toBe('unscheduled');

    c.apply(node('n1', 0, { spec: { unschedulable: false } }));
    expect(c.woken).toEqual([]);
    expect(c.pod('pinned')).toBe(before);
    expect(c.ipam.usage().find((u) => u.name === 'pods/n1/ipv4')).toMatchObject({ allocated: 1 });
  });

  it('runs a waiting pod applied again in the batch that brings its node (no failed attempt carried over)', () => {
    const c = new Cluster();
    c.apply(pod('web'));
    c.apply(node('n1', 0), pod('web'));
    const p = c.pod('web');
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toBe('10.244.0.2');
    expect(condition(p, 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'True' });
  });

  it('leaves a waiting pod applied again unchanged while nothing lets it run', () => {
    const c = new Cluster();
    c.apply(pod('web'));
    const before = c.pod('web');
    c.apply(pod('web'));
    expect(c.planned).toEqual([]);
    expect(c.pod('web')).toBe(before);
  });

  it("leaves a snapshot's Pending pod (a reason netmodel does not model) as its manifest says", () => {
    const c = new Cluster();
    const message = INSUFFICIENT_CPU;
    c.apply(
      pod('big', {
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message,
              lastTransitionTime: TEST_NOW,
            },
          ],
        },
      }),
    );
    c.apply(node('n1', 0));
    expect(c.woken).toEqual([]);
    expect(c.pod('big').spec.nodeName).toBeUndefined();
    expect(condition(c.pod('big'), 'PodScheduled')?.message).toBe(message);
  });

  it("rewrites a waiting pod's message when the reason changes, keeping the condition's lastTransitionTime", () => {
    const c = new Cluster();
    c.apply(pod('web'));
    const first = condition(c.pod('web'), 'PodScheduled')!;
    c.apply(node('n1', 0, { spec: { unschedulable: true } }));
    expect(c.woken.map((w) => w.object.metadata.name)).toEqual(['web']);
    const now = condition(c.pod('web'), 'PodScheduled')!;
    expect(now.message).toMatch(/^0\/1 nodes are available: 1 node\(s\) were unschedulable\./);
    expect(now.lastTransitionTime).toBe(first.lastTransitionTime);
  });

  it('keeps the times of conditions whose status stays when a pod waiting for an address starts', () => {
    const c = new Cluster();
    c.apply(node('n1', 0), pod('db', { spec: { nodeName: 'n2' } }));
    const waited = c.pod('db');
    c.apply(node('n2', 1));
    const p = c.pod('db');
    for (const type of ['PodScheduled', 'Initialized'])
      expect(condition(p, type)).toEqual(condition(waited, type));
    expect(condition(p, 'PodReadyToStartContainers')?.status).toBe('True');
    expect(condition(p, 'PodReadyToStartContainers')?.lastTransitionTime).not.toBe(
      condition(waited, 'PodReadyToStartContainers')?.lastTransitionTime,
    );
  });

  it('lets a pod waiting for an address take the one a finished pod gave back', () => {
    const c = new Cluster();
    c.apply(node('tiny', 0, {}, '10.244.9.0/30'), pod('job', { spec: { nodeName: 'tiny' } }));
    c.apply(pod('next', { spec: { nodeName: 'tiny' } }));
    expect(waitingReason(c.pod('next'))).toBe('no-sandbox');
    c.apply(pod('job', { spec: { nodeName: 'tiny' }, status: { phase: 'Succeeded' } }));
    expect(c.woken.map((w) => w.object.metadata.name)).toEqual(['next']);
    expect(c.pod('next').status?.podIP).toBe('10.244.9.2');
  });

  it("wakes only the freed node's pods, and no one for a Node change the scheduler does not read", () => {
    const c = new Cluster();
    c.apply(
      node('a', 0, {}, '10.244.8.0/30'),
      node('b', 1, {}, '10.244.9.0/30'),
      pod('a-1', { spec: { nodeName: 'a' } }),
      pod('b-1', { spec: { nodeName: 'b' } }),
    );
    c.apply(pod('b-2', { spec: { nodeName: 'b' } }));
    expect(waitingReason(c.pod('b-2'))).toBe('no-sandbox');
    c.delete('Pod', 'a-1');
    expect(c.woken).toEqual([]);
    c.apply(node('b', 1, { metadata: { annotations: { note: 'hello' } } }, '10.244.9.0/30'));
    expect(c.woken).toEqual([]);
    expect(waitingReason(c.pod('b-2'))).toBe('no-sandbox');
  });
});
