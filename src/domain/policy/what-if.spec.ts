import { describe, expect, it } from '@jest/globals';
import { aNamespace, aNetworkPolicy, aPod } from '../../../test/factories/objects.js';
import type { KubeObject, NetworkPolicy, Pod } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { draftView, policyDiff, portsInQuestion } from './what-if.js';

const pod = (name: string, ip: string, app: string): Pod =>
  aPod({
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { podIP: ip, podIPs: [{ ip }] },
  });

function policy(name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'default' },
    spec,
  };
}
const denyAll = policy('deny-all', { podSelector: {}, policyTypes: ['Ingress'] });
const allowWeb = (name = 'allow-web'): NetworkPolicy =>
  policy(name, {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
  });

function stateWith(...objects: KubeObject[]): ClusterState {
  const s = new ClusterState();
  s.applyChanges(
    [aNamespace({ metadata: { name: 'default' } }), ...objects].map((object) => ({
      type: 'ADDED' as const,
      object,
    })),
    1,
  );
  return s;
}

const web = pod('web', '10.244.0.2', 'web');
const db = pod('db', '10.244.0.3', 'db');
const other = pod('other', '10.244.0.4', 'other');

describe('draftView', () => {
  it('lays drafts over the stored policies: added, replaced and deleted, sorted by namespace/name', () => {
    const base = stateWith(web, denyAll, allowWeb());
    const changed = policy('allow-web', { podSelector: {}, ingress: [] });
    const v = draftView(base, {
      upsert: [changed, allowWeb('zz-new')],
      remove: [{ namespace: 'default', name: 'deny-all' }],
    });
    expect(v.list('NetworkPolicy').map((p) => p.metadata.name)).toEqual(['allow-web', 'zz-new']);
    expect(v.get('NetworkPolicy', 'default', 'allow-web')).toBe(changed);
    expect(v.get('NetworkPolicy', 'default', 'deny-all')).toBeUndefined();
    expect(v.list('Pod')).toEqual(base.list('Pod'));
    // The stored state is untouched.
    expect(base.list('NetworkPolicy').map((p) => p.metadata.name)).toEqual(['allow-web', 'deny-all']);
  });
});

describe('portsInQuestion', () => {
  it('takes declared container ports and numeric policy ports, de-duplicated and sorted', () => {
    const np = aNetworkPolicy({
      spec: { ingress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 'http' }, { port: 8080 }] }] },
    });
    expect(portsInQuestion([web, db], [np])).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 8080, protocol: 'TCP' },
      { port: 65535, protocol: 'SCTP', other: true },
      { port: 65535, protocol: 'TCP', other: true },
      { port: 65535, protocol: 'UDP', other: true },
    ]);
  });

  it('takes the edges of an endPort range, and keeps the stand-in port clear of named ones', () => {
    const np = aNetworkPolicy({
      spec: { ingress: [{ ports: [{ port: 80, endPort: 90, protocol: 'TCP' }, { port: 65535 }] }] },
    });
    expect(portsInQuestion([], [np]).filter((q) => q.protocol === 'TCP')).toEqual([
      { port: 80, protocol: 'TCP' },
      { port: 90, protocol: 'TCP' },
      { port: 91, protocol: 'TCP' },
      { port: 65534, protocol: 'TCP', other: true },
      { port: 65535, protocol: 'TCP' },
    ]);
  });

  it('puts the stand-in port below a range that runs to 65535 (the "unprivileged ports" rule)', () => {
    const np = aNetworkPolicy({
      spec: { ingress: [{ ports: [{ port: 1024, endPort: 65535, protocol: 'TCP' }, { port: 1023 }] }] },
    });
    const tcp = portsInQuestion([], [np]).filter((q) => q.protocol === 'TCP');
    expect(tcp.find((q) => q.other)).toEqual({ port: 1022, protocol: 'TCP', other: true });
  });

  it('has no stand-in for a protocol whose every port a range names', () => {
    const np = aNetworkPolicy({
      spec: { ingress: [{ ports: [{ port: 1, endPort: 65535, protocol: 'UDP' }] }] },
    });
    expect(portsInQuestion([], [np]).filter((q) => q.protocol === 'UDP')).toEqual([
      { port: 1, protocol: 'UDP' },
      { port: 65535, protocol: 'UDP' },
    ]);
  });
});

describe('policyDiff', () => {
  it.each([
    {
      name: 'a deny-all draft denies every pair, on the declared port and on every other port',
      stored: [] as NetworkPolicy[],
      draft: { upsert: [denyAll], remove: [] },
      allowed: [],
      denied: ['db->other', 'db->web', 'other->db', 'other->web', 'web->db', 'web->other'].flatMap((pair) => {
        const [a, b] = pair.split('->');
        return ['*/SCTP', '*/TCP', '*/UDP', '8080/TCP'].map((port) => `default/${a}->default/${b}:${port}`);
      }),
    },
    {
      name: 'an allow draft beside a deny-all opens only web->db',
      stored: [denyAll],
      draft: { upsert: [allowWeb()], remove: [] },
      allowed: ['*/SCTP', '*/TCP', '*/UDP', '8080/TCP'].map((p) => `default/web->default/db:${p}`),
      denied: [],
    },
    {
      name: 'deleting the allow policy closes web->db again',
      stored: [denyAll, allowWeb()],
      draft: { upsert: [], remove: [{ namespace: 'default', name: 'allow-web' }] },
      allowed: [],
      denied: ['*/SCTP', '*/TCP', '*/UDP', '8080/TCP'].map((p) => `default/web->default/db:${p}`),
    },
    {
      name: 'a draft identical to the stored policy changes nothing',
      stored: [denyAll, allowWeb()],
      draft: { upsert: [allowWeb()], remove: [] },
      allowed: [],
      denied: [],
    },
  ])('$name', ({ stored, draft, allowed, denied }) => {
    const d = policyDiff(stateWith(web, db, other, ...stored), draft);
    expect(d.newlyAllowed).toEqual(allowed);
    expect(d.newlyDenied).toEqual(denied);
    expect(d.ports).toEqual(['8080/TCP', '*/SCTP', '*/TCP', '*/UDP']);
  });
});

describe('policyDiff with a range that runs to 65535', () => {
  it('reports the ports below the range that the draft closes (the stand-in is not inside the range)', () => {
    const unprivileged = policy('unprivileged', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ ports: [{ protocol: 'TCP', port: 1024, endPort: 65535 }] }],
    });
    const d = policyDiff(stateWith(web, db, other), { upsert: [unprivileged], remove: [] });
    // 8080 is inside the range, so it stays open; every other TCP port (below 1024) and every UDP and
    // SCTP port closes.
    expect(d.newlyDenied).toEqual(
      ['other', 'web'].flatMap((from) =>
        ['*/SCTP', '*/TCP', '*/UDP'].map((port) => `default/${from}->default/db:${port}`),
      ),
    );
    expect(d.newlyAllowed).toEqual([]);
    expect(d.ports).toContain('*/TCP');
  });
});
