import { beforeEach, describe, expect, it } from '@jest/globals';
import { aNamespace, aNode, aPod, aService } from '../../../test/factories/objects.js';
import { parseLabelSelectorString } from '../labels/index.js';
import { EVERYTHING, NOTHING, fromLabelSelector } from '../labels/selector.js';
import type { KubeObject, Pod, Service } from '../model/types.js';
import { ClusterState, type StateChange } from './cluster-state.js';

const added = (...objects: KubeObject[]): StateChange[] =>
  objects.map((object) => ({ type: 'ADDED', object }));
const modified = (...objects: KubeObject[]): StateChange[] =>
  objects.map((object) => ({ type: 'MODIFIED', object }));
const deleted = (...objects: KubeObject[]): StateChange[] =>
  objects.map((object) => ({ type: 'DELETED', object }));

function stateWith(...objects: KubeObject[]): ClusterState {
  const s = new ClusterState();
  s.applyChanges(added(...objects), 1);
  return s;
}

const ids = (objs: readonly KubeObject[]) =>
  objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

/** A pod with exactly these labels (the factory would merge them into its default `app: web`). */
function pod(ns: string, name: string, labels: Record<string, string> = {}, ip?: string): Pod {
  const p = aPod({
    metadata: { name, namespace: ns },
    status: ip ? { podIP: ip, podIPs: [{ ip }] } : undefined,
  });
  return { ...p, metadata: { ...p.metadata, labels } };
}

/** A service with exactly this selector. */
function service(ns: string, name: string, selector: Record<string, string> | undefined): Service {
  const svc = aService({ metadata: { name, namespace: ns } });
  return { ...svc, spec: { ...svc.spec, selector } };
}

describe('ClusterState: put, remove, get, count', () => {
  it('stores, replaces and removes objects through applyChanges', () => {
    const s = new ClusterState();
    const p1 = pod('default', 'a', { v: '1' });
    s.applyChanges(added(p1), 5);
    expect(s.get('Pod', 'default', 'a')).toBe(p1);
    expect(s.count('Pod')).toBe(1);

    const p2 = pod('default', 'a', { v: '2' });
    s.applyChanges(modified(p2), 6);
    expect(s.get('Pod', 'default', 'a')).toBe(p2);
    expect(s.count('Pod')).toBe(1);

    s.applyChanges(deleted(p2), 7);
    expect(s.get('Pod', 'default', 'a')).toBeUndefined();
    expect(s.count('Pod')).toBe(0);
    expect(s.list('Pod')).toEqual([]);
  });

  it('ignores the delete of an object it does not hold', () => {
    const s = stateWith(pod('default', 'a'));
    s.applyChanges(deleted(pod('default', 'zzz'), pod('other', 'a')), 2);
    expect(s.count('Pod')).toBe(1);
  });

  it('applies the changes of one batch in order', () => {
    const s = new ClusterState();
    const p = pod('default', 'a');
    s.applyChanges([...added(p), ...deleted(p), ...added(pod('default', 'b'))], 3);
    expect(ids(s.list('Pod'))).toEqual(['default/b']);
  });

  it('keeps kinds apart', () => {
    const s = stateWith(
      pod('default', 'web'),
      aService({ metadata: { name: 'web' } }),
      aNamespace({ metadata: { name: 'default' } }),
    );
    expect(s.count('Pod')).toBe(1);
    expect(s.count('Service')).toBe(1);
    expect(s.count('Namespace')).toBe(1);
    expect(s.count('Node')).toBe(0);
    expect(s.get('Service', 'default', 'web')?.kind).toBe('Service');
    expect(s.get('Namespace', '', 'default')?.kind).toBe('Namespace');
  });

  it.each([
    { name: 'starts at 0', changes: [] as number[], want: 0 },
    { name: 'moves forward', changes: [3, 9], want: 9 },
    { name: 'never moves back', changes: [9, 4], want: 9 },
  ])('resourceVersion $name', ({ changes, want }) => {
    const s = new ClusterState();
    for (const rv of changes) s.applyChanges([], rv);
    expect(s.resourceVersion).toBe(want);
  });

  it('load adds objects without moving the resourceVersion', () => {
    const s = new ClusterState();
    s.load([pod('default', 'a'), pod('default', 'b')]);
    expect(s.count('Pod')).toBe(2);
    expect(s.resourceVersion).toBe(0);
    s.setResourceVersion(12);
    expect(s.resourceVersion).toBe(12);
  });
});

describe('ClusterState.list', () => {
  const s = stateWith(
    pod('zeta', 'a'),
    pod('alpha', 'b'),
    pod('alpha', 'a-1'),
    pod('alpha', 'a'),
    pod('default', 'web'),
    aNamespace({ metadata: { name: 'zeta' } }),
    aNamespace({ metadata: { name: 'alpha' } }),
  );

  it('sorts by namespace then name', () => {
    expect(ids(s.list('Pod'))).toEqual(['alpha/a', 'alpha/a-1', 'alpha/b', 'default/web', 'zeta/a']);
  });

  it.each([
    { name: 'one namespace', namespace: 'alpha', want: ['alpha/a', 'alpha/a-1', 'alpha/b'] },
    { name: 'another namespace', namespace: 'zeta', want: ['zeta/a'] },
    { name: 'a namespace with nothing in it', namespace: 'nope', want: [] },
    { name: "'' for a namespaced kind holds nothing", namespace: '', want: [] },
  ])('filters by $name', ({ namespace, want }) => {
    expect(ids(s.list('Pod', { namespace }))).toEqual(want);
  });

  it('lists cluster-scoped kinds under the empty namespace', () => {
    expect(ids(s.list('Namespace'))).toEqual(['/alpha', '/zeta']);
    expect(s.namespaces()).toEqual(['alpha', 'zeta']);
  });

  it('re-sorts after a change', () => {
    const t = stateWith(pod('b', 'x'));
    expect(ids(t.list('Pod'))).toEqual(['b/x']);
    t.applyChanges(added(pod('a', 'y')), 2);
    expect(ids(t.list('Pod'))).toEqual(['a/y', 'b/x']);
    t.applyChanges(deleted(pod('b', 'x')), 3);
    expect(ids(t.list('Pod'))).toEqual(['a/y']);
  });
});

describe('ClusterState.list with a selector', () => {
  const s = stateWith(
    pod('default', 'web-1', { app: 'web', tier: 'fe', env: 'prod' }),
    pod('default', 'web-2', { app: 'web', tier: 'fe', env: 'dev' }),
    pod('default', 'api-1', { app: 'api', tier: 'be', env: 'prod' }),
    pod('other', 'web-1', { app: 'web', tier: 'fe', env: 'prod' }),
    pod('other', 'plain', {}),
    {
      ...aPod({ metadata: { name: 'nolabels', namespace: 'other' } }),
      metadata: { name: 'nolabels', namespace: 'other' },
    },
  );

  it.each([
    {
      name: 'equality via the index',
      selector: 'app=web',
      namespace: undefined,
      want: ['default/web-1', 'default/web-2', 'other/web-1'],
    },
    {
      name: 'equality in one namespace',
      selector: 'app=web',
      namespace: 'default',
      want: ['default/web-1', 'default/web-2'],
    },
    {
      name: 'single-value in via the index',
      selector: 'app in (api)',
      namespace: undefined,
      want: ['default/api-1'],
    },
    {
      name: 'index narrows, the rest filters',
      selector: 'app=web,env!=prod',
      namespace: undefined,
      want: ['default/web-2'],
    },
    {
      name: 'two indexed equalities',
      selector: 'tier=fe,env=prod',
      namespace: undefined,
      want: ['default/web-1', 'other/web-1'],
    },
    {
      name: 'indexed equality and notin',
      selector: 'tier=fe,env notin (dev)',
      namespace: 'other',
      want: ['other/web-1'],
    },
    { name: 'an equality no object has', selector: 'app=nope', namespace: undefined, want: [] },
    {
      name: 'an unknown equality next to a known one',
      selector: 'app=web,zone=a',
      namespace: undefined,
      want: [],
    },
    {
      name: 'multi-value in scans',
      selector: 'app in (api,web)',
      namespace: 'default',
      want: ['default/api-1', 'default/web-1', 'default/web-2'],
    },
    {
      name: '!= alone scans and keeps unlabelled objects',
      selector: 'app!=web',
      namespace: 'other',
      want: ['other/nolabels', 'other/plain'],
    },
    {
      name: 'does not exist',
      selector: '!app',
      namespace: undefined,
      want: ['other/nolabels', 'other/plain'],
    },
    {
      name: 'exists',
      selector: 'env',
      namespace: 'default',
      want: ['default/api-1', 'default/web-1', 'default/web-2'],
    },
    {
      name: 'the empty selector is every object',
      selector: '',
      namespace: 'other',
      want: ['other/nolabels', 'other/plain', 'other/web-1'],
    },
  ])('$name: "$selector"', ({ selector, namespace, want }) => {
    expect(ids(s.list('Pod', { namespace, selector: parseLabelSelectorString(selector) }))).toEqual(want);
  });

  it('NOTHING selects nothing and EVERYTHING selects all', () => {
    expect(s.list('Pod', { selector: NOTHING })).toEqual([]);
    expect(s.list('Pod', { selector: EVERYTHING })).toHaveLength(6);
    expect(s.list('Pod', { selector: fromLabelSelector({}) })).toHaveLength(6);
  });

  it('does not look across kinds', () => {
    const t = stateWith(
      pod('default', 'p', { app: 'web' }),
      aService({ metadata: { name: 'web', labels: { app: 'web' } } }),
    );
    expect(ids(t.list('Service', { selector: parseLabelSelectorString('app=web') }))).toEqual([
      'default/web',
    ]);
  });
});

describe('ClusterState label index follows changes', () => {
  let s: ClusterState;
  const sel = (x: string) => ({ selector: parseLabelSelectorString(x) });
  beforeEach(() => {
    s = stateWith(pod('default', 'a', { app: 'web' }), pod('default', 'b', { app: 'web' }));
  });

  it('moves an object to its new label bucket when its labels change', () => {
    s.applyChanges(modified(pod('default', 'a', { app: 'api' })), 2);
    expect(ids(s.list('Pod', sel('app=web')))).toEqual(['default/b']);
    expect(ids(s.list('Pod', sel('app=api')))).toEqual(['default/a']);
  });

  it('drops a removed label', () => {
    s.applyChanges(modified(pod('default', 'a', {})), 2);
    expect(ids(s.list('Pod', sel('app=web')))).toEqual(['default/b']);
    expect(ids(s.list('Pod', sel('!app')))).toEqual(['default/a']);
  });

  it('returns the new object, not the stale one, from the index', () => {
    const next = pod('default', 'a', { app: 'web', v: '2' });
    s.applyChanges(modified(next), 2);
    expect(s.list('Pod', sel('app=web'))[0]).toBe(next);
  });

  it('forgets a deleted object', () => {
    s.applyChanges(deleted(pod('default', 'a', { app: 'web' })), 2);
    s.applyChanges(deleted(pod('default', 'b', { app: 'web' })), 3);
    expect(s.list('Pod', sel('app=web'))).toEqual([]);
  });

  it('does not confuse objects with the same name in other namespaces', () => {
    s.applyChanges(added(pod('other', 'a', { app: 'web' })), 2);
    s.applyChanges(deleted(pod('default', 'a', { app: 'web' })), 3);
    expect(ids(s.list('Pod', sel('app=web')))).toEqual(['default/b', 'other/a']);
  });

  it('indexes prefixed label keys', () => {
    const t = stateWith(pod('default', 'x', { 'example.com/team': 'net' }));
    expect(ids(t.list('Pod', sel('example.com/team=net')))).toEqual(['default/x']);
  });
});

describe('ClusterState.holdersOf', () => {
  const node = aNode({
    metadata: { name: 'node-1' },
    status: {
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'ExternalIP', address: '203.0.113.7' },
        { type: 'Hostname', address: 'node-1' },
      ],
    },
  });
  const dual = aPod({
    metadata: { name: 'dual', namespace: 'default' },
    status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00::5' }] },
  });
  const svc = aService({
    metadata: { name: 'web' },
    spec: {
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20', 'fd00:96::20'],
      externalIPs: ['198.51.100.9'],
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'lb.example.com' }] } },
  });
  const headless = aService({
    metadata: { name: 'headless' },
    spec: { clusterIP: 'None', clusterIPs: ['None'] },
  });
  const hostNet = aPod({
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    spec: { hostNetwork: true, nodeName: 'node-1' },
    status: { podIP: '172.18.0.2', podIPs: [{ ip: '172.18.0.2' }], hostIP: '172.18.0.2' },
  });
  const s = stateWith(node, dual, svc, headless, hostNet);

  it.each([
    {
      name: 'pod IPv4',
      ip: '10.244.1.5',
      want: [{ kind: 'Pod', namespace: 'default', name: 'dual', role: 'podIP' }],
    },
    {
      name: 'pod IPv6 from podIPs',
      ip: 'fd00::5',
      want: [{ kind: 'Pod', namespace: 'default', name: 'dual', role: 'podIP' }],
    },
    {
      name: 'service clusterIP',
      ip: '10.96.0.20',
      want: [{ kind: 'Service', namespace: 'default', name: 'web', role: 'clusterIP' }],
    },
    {
      name: 'service second-family clusterIP',
      ip: 'fd00:96::20',
      want: [{ kind: 'Service', namespace: 'default', name: 'web', role: 'clusterIP' }],
    },
    {
      name: 'service externalIP',
      ip: '198.51.100.9',
      want: [{ kind: 'Service', namespace: 'default', name: 'web', role: 'externalIP' }],
    },
    {
      name: 'service load balancer IP',
      ip: '192.0.2.1',
      want: [{ kind: 'Service', namespace: 'default', name: 'web', role: 'loadBalancerIP' }],
    },
    {
      name: 'node InternalIP (the hostNetwork pod is not indexed)',
      ip: '172.18.0.2',
      want: [{ kind: 'Node', namespace: '', name: 'node-1', role: 'InternalIP' }],
    },
    {
      name: 'node ExternalIP',
      ip: '203.0.113.7',
      want: [{ kind: 'Node', namespace: '', name: 'node-1', role: 'ExternalIP' }],
    },
    { name: 'headless "None" is not an IP', ip: 'None', want: [] },
    { name: 'a hostname address is not an IP', ip: 'node-1', want: [] },
    { name: 'an unknown IP', ip: '10.0.0.1', want: [] },
  ])('$name: $ip', ({ ip, want }) => {
    expect(s.holdersOf(ip)).toEqual(want);
  });

  it('lists every holder of a shared IP', () => {
    const t = stateWith(pod('a', 'p', {}, '10.244.0.9'), pod('b', 'q', {}, '10.244.0.9'));
    expect(t.holdersOf('10.244.0.9').map((h) => `${h.namespace}/${h.name}`)).toEqual(['a/p', 'b/q']);
    t.applyChanges(deleted(pod('a', 'p', {}, '10.244.0.9')), 2);
    expect(t.holdersOf('10.244.0.9').map((h) => `${h.namespace}/${h.name}`)).toEqual(['b/q']);
  });

  it('follows a pod whose IP changes, and forgets it when deleted', () => {
    const t = stateWith(pod('default', 'p', {}, '10.244.0.1'));
    t.applyChanges(modified(pod('default', 'p', {}, '10.244.0.2')), 2);
    expect(t.holdersOf('10.244.0.1')).toEqual([]);
    expect(t.holdersOf('10.244.0.2')).toEqual([
      { kind: 'Pod', namespace: 'default', name: 'p', role: 'podIP' },
    ]);
    t.applyChanges(deleted(pod('default', 'p', {}, '10.244.0.2')), 3);
    expect(t.holdersOf('10.244.0.2')).toEqual([]);
  });

  it('indexes a pod once it gets an IP and un-indexes a pod that turns hostNetwork', () => {
    const t = stateWith(pod('default', 'p'));
    expect(t.holdersOf('10.244.0.7')).toEqual([]);
    t.applyChanges(modified(pod('default', 'p', {}, '10.244.0.7')), 2);
    expect(t.holdersOf('10.244.0.7')).toHaveLength(1);
    t.applyChanges(
      modified(
        aPod({ metadata: { name: 'p' }, spec: { hostNetwork: true }, status: { podIP: '10.244.0.7' } }),
      ),
      3,
    );
    expect(t.holdersOf('10.244.0.7')).toEqual([]);
  });

  it('follows a node whose InternalIP changes', () => {
    const t = stateWith(aNode());
    t.applyChanges(
      modified(aNode({ status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] } })),
      2,
    );
    expect(t.holdersOf('172.18.0.2')).toEqual([]);
    expect(t.holdersOf('172.18.0.3')).toEqual([
      { kind: 'Node', namespace: '', name: 'node-1', role: 'InternalIP' },
    ]);
  });
});

describe('ClusterState relations between services and pods', () => {
  const web1 = pod('shop', 'web-1', { app: 'web', tier: 'fe' });
  const web2 = pod('shop', 'web-2', { app: 'web' });
  const api = pod('shop', 'api-1', { app: 'api' });
  const elsewhere = pod('other', 'web-1', { app: 'web', tier: 'fe' });
  const svcWeb = service('shop', 'web', { app: 'web' });
  const svcFe = service('shop', 'fe', { app: 'web', tier: 'fe' });
  const svcNoSel = service('shop', 'external', undefined);
  const svcEmptySel = service('shop', 'empty', {});
  const svcOther = service('other', 'web', { app: 'web' });
  const s = stateWith(web1, web2, api, elsewhere, svcWeb, svcFe, svcNoSel, svcEmptySel, svcOther);

  it.each([
    { name: 'selector with one label', svc: svcWeb, want: ['shop/web-1', 'shop/web-2'] },
    { name: 'selector with two labels', svc: svcFe, want: ['shop/web-1'] },
    { name: 'no selector', svc: svcNoSel, want: [] },
    { name: 'empty selector', svc: svcEmptySel, want: [] },
    { name: 'only its own namespace', svc: svcOther, want: ['other/web-1'] },
  ])('podsForService: $name', ({ svc, want }) => {
    expect(ids(s.podsForService(svc))).toEqual(want);
  });

  it.each([
    { name: 'two services select it', pod: web1, want: ['shop/fe', 'shop/web'] },
    { name: 'one service selects it', pod: web2, want: ['shop/web'] },
    { name: 'no service selects it', pod: api, want: [] },
    { name: 'services of other namespaces do not count', pod: elsewhere, want: ['other/web'] },
  ])('servicesForPod: $name', ({ pod: p, want }) => {
    expect(ids(s.servicesForPod(p))).toEqual(want);
  });
});

describe('ClusterState.unordered', () => {
  it('yields every object of the kind, and follows deletes, without a sorted copy', () => {
    const s = new ClusterState();
    const pods = ['b', 'a', 'c'].map((n, i) =>
      aPod({ metadata: { name: n, namespace: i === 1 ? 'other' : 'default' } }),
    );
    s.applyChanges(
      [...pods, aService()].map((object) => ({ type: 'ADDED', object })),
      1,
    );
    const names = (it: Iterable<Pod>) =>
      [...it].map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    expect(names(s.unordered('Pod'))).toEqual(['default/b', 'default/c', 'other/a']);
    s.applyChanges([{ type: 'DELETED', object: pods[0]! }], 2);
    expect(names(s.unordered('Pod'))).toEqual(['default/c', 'other/a']);
    expect([...s.unordered('Node')]).toEqual([]);
  });
});

describe('ClusterState IP index: one address, whatever its spelling', () => {
  const v6 = (name: string, ip: string) =>
    aPod({
      metadata: { name },
      spec: { nodeName: 'n1' },
      status: { podIP: ip, podIPs: [{ ip }] },
    });

  it.each(['fd00::5', 'fd00:0:0::5', 'FD00::5', 'fd00:0000:0000:0000:0000:0000:0000:0005'])(
    'a pod written as fd00:0:0::5 is found as %s, and gone once deleted',
    (query) => {
      const s = new ClusterState();
      const p = v6('six', 'fd00:0:0::5');
      s.applyChanges([{ type: 'ADDED', object: p }], 1);
      expect(s.holdersOf(query)).toEqual([{ kind: 'Pod', namespace: 'default', name: 'six', role: 'podIP' }]);
      s.applyChanges([{ type: 'DELETED', object: p }], 2);
      expect(s.holdersOf(query)).toEqual([]);
    },
  );

  it('holds an address once when a pod writes it in two spellings', () => {
    const s = new ClusterState();
    const p = aPod({
      metadata: { name: 'twice' },
      spec: { nodeName: 'n1' },
      status: { podIP: 'fd00::7', podIPs: [{ ip: 'fd00::7' }, { ip: 'fd00:0::7' }] },
    });
    s.applyChanges([{ type: 'ADDED', object: p }], 1);
    expect(s.holdersOf('fd00::7')).toHaveLength(1);
  });

  it('keeps IPv4 text as it is (no parse): 10.244.1.5 is found as written', () => {
    const s = new ClusterState();
    s.applyChanges([{ type: 'ADDED', object: v6('four', '10.244.1.5') }], 1);
    expect(s.holdersOf('10.244.1.5').map((h) => h.name)).toEqual(['four']);
  });
});
