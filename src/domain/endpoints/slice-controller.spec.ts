import { describe, expect, it } from '@jest/globals';
import {
  aContainer,
  aContainerPort,
  aNode,
  aPod,
  aService,
  aServicePort,
  deepMerge,
  type DeepPartial,
} from '../../../test/factories/objects.js';
import { commitWrites, TEST_NOW } from '../../../test/support/domain.js';
import type { EndpointSlice, KubeObject, Node, Pod, Service, ServicePort } from '../model/types.js';
import type { PlannedWrite } from '../resources/lifecycle.js';
import { ClusterState } from '../state/cluster-state.js';
import {
  addressTypesOf,
  CONTROLLER_NAME,
  desiredGroups,
  endpointPorts,
  findPort,
  HEADLESS_LABEL,
  isPodReady,
  MANAGED_BY_LABEL,
  podToEndpoint,
  reconcileEndpointSlices,
  reconcileService,
  SERVICE_NAME_LABEL,
  shouldPodBeInEndpoints,
  sliceLabels,
  type SliceControllerEnv,
} from './slice-controller.js';

/** Deterministic env: uids slice-uid-1, -2, ...; suffixes s0001, s0002, ... */
function testEnv(o: Partial<SliceControllerEnv> = {}): SliceControllerEnv {
  let uid = 0;
  let suffix = 0;
  return {
    now: TEST_NOW,
    newUid: () => `slice-uid-${++uid}`,
    randomSuffix: () => `s${String(++suffix).padStart(4, '0')}`,
    ...o,
  };
}

const READY = [{ type: 'Ready', status: 'True' }];

/** A running, ready pod on node-1 with one IPv4 address. */
function pod(name: string, ip: string, o: DeepPartial<Pod> = {}): Pod {
  const base = aPod({
    metadata: { name, uid: `pod-uid-${name}` },
    spec: { nodeName: 'node-1' },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: READY },
  });
  return deepMerge<Pod>(base, o);
}

function svc(o: DeepPartial<Service> = {}): Service {
  const base = aService({
    metadata: { uid: 'svc-uid' },
    spec: {
      clusterIP: '10.96.1.1',
      clusterIPs: ['10.96.1.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
  });
  return deepMerge<Service>(base, o);
}

const node1 = aNode({ metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
const nodeOf = (n: string): Node | undefined => (n === 'node-1' ? node1 : undefined);

const OWNER = {
  apiVersion: 'v1',
  kind: 'Service',
  name: 'web',
  uid: 'svc-uid',
  controller: true,
  blockOwnerDeletion: true,
};
const PORTS = [{ name: 'http', port: 8080, protocol: 'TCP' }];

/** The endpoint a ready pod of `pod()` gives. */
const endpoint = (name: string, ip: string) => ({
  addresses: [ip],
  conditions: { ready: true, serving: true, terminating: false },
  nodeName: 'node-1',
  zone: 'zone-a',
  targetRef: { kind: 'Pod', namespace: 'default', name, uid: `pod-uid-${name}` },
});

/** `n` pods p000, p001, ... with addresses 10.244.<i/250>.<i%250+2>. */
const pods = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    pod(`p${String(i).padStart(3, '0')}`, `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`),
  );

/** Runs the controller for one service and returns its writes. */
function reconcile(
  service: Service,
  podList: readonly Pod[],
  existing: readonly EndpointSlice[] = [],
  env: SliceControllerEnv = testEnv(),
  nameTaken: (n: string) => boolean = () => false,
): PlannedWrite[] {
  return reconcileService(service, existing, desiredGroups(service, podList, nodeOf), env, nameTaken);
}

const slicesOf = (ws: readonly PlannedWrite[]) =>
  ws.filter((w) => w.type !== 'DELETED').map((w) => w.object as EndpointSlice);
const summary = (ws: readonly PlannedWrite[]) =>
  ws.map((w) => `${w.type} ${w.object.metadata.name} ${(w.object as EndpointSlice).endpoints?.length ?? 0}`);

describe('shouldPodBeInEndpoints', () => {
  it.each<{ name: string; pod: DeepPartial<Pod>; want: boolean }>([
    { name: 'running with an address', pod: {}, want: true },
    { name: 'no address', pod: { status: { podIP: undefined, podIPs: undefined } }, want: false },
    { name: 'podIPs only', pod: { status: { podIP: undefined } }, want: true },
    { name: 'podIP only', pod: { status: { podIPs: undefined } }, want: true },
    { name: 'Pending with an address', pod: { status: { phase: 'Pending' } }, want: true },
    {
      name: 'terminating (deletionTimestamp)',
      pod: { metadata: { deletionTimestamp: TEST_NOW } },
      want: true,
    },
    {
      name: 'restartPolicy Never, Failed',
      pod: { spec: { restartPolicy: 'Never' }, status: { phase: 'Failed' } },
      want: false,
    },
    {
      name: 'restartPolicy Never, Succeeded',
      pod: { spec: { restartPolicy: 'Never' }, status: { phase: 'Succeeded' } },
      want: false,
    },
    {
      name: 'restartPolicy OnFailure, Succeeded',
      pod: { spec: { restartPolicy: 'OnFailure' }, status: { phase: 'Succeeded' } },
      want: false,
    },
    { name: 'restartPolicy Never, Running', pod: { spec: { restartPolicy: 'Never' } }, want: true },
    // Current upstream drops every terminal pod, whatever its restartPolicy (an evicted pod of a Deployment).
    { name: 'restartPolicy Always, Failed', pod: { status: { phase: 'Failed' } }, want: false },
    { name: 'restartPolicy Always, Succeeded', pod: { status: { phase: 'Succeeded' } }, want: false },
    {
      name: 'restartPolicy OnFailure, Failed',
      pod: { spec: { restartPolicy: 'OnFailure' }, status: { phase: 'Failed' } },
      want: false,
    },
    { name: 'restartPolicy OnFailure, Running', pod: { spec: { restartPolicy: 'OnFailure' } }, want: true },
  ])('$name -> $want', ({ pod: o, want }) => {
    expect(shouldPodBeInEndpoints(pod('p', '10.244.0.2', o))).toBe(want);
  });

  it.each([
    { name: 'Ready True', conditions: READY, want: true },
    { name: 'Ready False', conditions: [{ type: 'Ready', status: 'False' }], want: false },
    { name: 'no Ready condition', conditions: [{ type: 'PodScheduled', status: 'True' }], want: false },
    { name: 'no conditions', conditions: [], want: false },
  ])('isPodReady: $name', ({ conditions, want }) => {
    expect(isPodReady({ ...pod('p', '10.244.0.2'), status: { conditions } })).toBe(want);
  });
});

describe('findPort', () => {
  const sidecar = (ports: ReturnType<typeof aContainerPort>[], restartPolicy?: string) =>
    ({
      ...aContainer({ name: 'sidecar', ports }),
      ...(restartPolicy ? { restartPolicy } : {}),
    }) as ReturnType<typeof aContainer>;

  it.each<{
    name: string;
    sp: ServicePort;
    containers?: Pod['spec']['containers'];
    init?: Pod['spec']['initContainers'];
    want: number | undefined;
  }>([
    { name: 'numbered targetPort', sp: aServicePort({ targetPort: 9000 }), want: 9000 },
    { name: 'no targetPort: the port', sp: aServicePort({ targetPort: undefined }), want: 80 },
    { name: 'named targetPort', sp: aServicePort({ targetPort: 'http' }), want: 8080 },
    { name: 'unknown name', sp: aServicePort({ targetPort: 'metrics' }), want: undefined },
    {
      name: 'protocol mismatch',
      sp: aServicePort({ targetPort: 'http', protocol: 'UDP' }),
      want: undefined,
    },
    {
      name: 'service protocol defaults to TCP',
      sp: { port: 80, targetPort: 'http' },
      want: 8080,
    },
    {
      name: 'container protocol defaults to TCP',
      sp: aServicePort({ targetPort: 'http' }),
      containers: [aContainer({ ports: [{ name: 'http', containerPort: 7070 }] })],
      want: 7070,
    },
    {
      name: 'UDP by name and protocol',
      sp: aServicePort({ name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }),
      containers: [
        aContainer({
          ports: [
            { name: 'dns', containerPort: 5353, protocol: 'TCP' },
            { name: 'dns', containerPort: 5354, protocol: 'UDP' },
          ],
        }),
      ],
      want: 5354,
    },
    {
      name: 'first container wins',
      sp: aServicePort({ targetPort: 'http' }),
      containers: [
        aContainer({ name: 'a', ports: [aContainerPort({ containerPort: 1111 })] }),
        aContainer({ name: 'b', ports: [aContainerPort({ containerPort: 2222 })] }),
      ],
      want: 1111,
    },
    {
      name: 'sidecar (init container with restartPolicy Always)',
      sp: aServicePort({ targetPort: 'proxy' }),
      init: [sidecar([aContainerPort({ name: 'proxy', containerPort: 15001 })], 'Always')],
      want: 15001,
    },
    {
      name: 'plain init container is not searched',
      sp: aServicePort({ targetPort: 'proxy' }),
      init: [sidecar([aContainerPort({ name: 'proxy', containerPort: 15001 })])],
      want: undefined,
    },
    {
      name: 'regular containers before sidecars',
      sp: aServicePort({ targetPort: 'http' }),
      init: [sidecar([aContainerPort({ containerPort: 15001 })], 'Always')],
      want: 8080,
    },
  ])('$name -> $want', ({ sp, containers, init, want }) => {
    const p = pod('p', '10.244.0.2');
    const spec = {
      ...p.spec,
      ...(containers ? { containers } : {}),
      ...(init ? { initContainers: init } : {}),
    };
    expect(findPort({ ...p, spec }, sp)).toBe(want);
  });

  it('endpointPorts: the resolved container ports, skipping unresolved ones, appProtocol copied', () => {
    const s = svc({
      spec: {
        ports: [
          aServicePort({ appProtocol: 'http' }),
          aServicePort({ name: 'metrics', port: 9090, targetPort: 'metrics' }),
          aServicePort({ name: '', port: 443, targetPort: 8443, protocol: undefined }),
        ],
      },
    });
    expect(endpointPorts(s, pod('p', '10.244.0.2'))).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' },
      { name: '', port: 8443, protocol: 'TCP' },
    ]);
  });
});

describe('podToEndpoint', () => {
  it.each<{ name: string; pod: DeepPartial<Pod>; svc: DeepPartial<Service>; conditions: object }>([
    { name: 'ready', pod: {}, svc: {}, conditions: { ready: true, serving: true, terminating: false } },
    {
      name: 'not ready',
      pod: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      svc: {},
      conditions: { ready: false, serving: false, terminating: false },
    },
    {
      name: 'terminating, still serving',
      pod: { metadata: { deletionTimestamp: TEST_NOW } },
      svc: {},
      conditions: { ready: false, serving: true, terminating: true },
    },
    {
      name: 'not ready, publishNotReadyAddresses',
      pod: { status: { conditions: [] } },
      svc: { spec: { publishNotReadyAddresses: true } },
      conditions: { ready: true, serving: false, terminating: false },
    },
    {
      name: 'terminating, publishNotReadyAddresses',
      pod: { metadata: { deletionTimestamp: TEST_NOW } },
      svc: { spec: { publishNotReadyAddresses: true } },
      conditions: { ready: true, serving: true, terminating: true },
    },
  ])('conditions: $name', ({ pod: p, svc: s, conditions }) => {
    expect(podToEndpoint(pod('p', '10.244.0.2', p), svc(s), node1, '10.244.0.2').conditions).toEqual(
      conditions,
    );
  });

  it.each<{ name: string; pod: DeepPartial<Pod>; hostname: string | undefined }>([
    {
      name: 'subdomain is the service name',
      pod: { spec: { hostname: 'db-0', subdomain: 'web' } },
      hostname: 'db-0',
    },
    {
      name: 'another subdomain',
      pod: { spec: { hostname: 'db-0', subdomain: 'other' } },
      hostname: undefined,
    },
    { name: 'no subdomain', pod: { spec: { hostname: 'db-0' } }, hostname: undefined },
    { name: 'subdomain without hostname', pod: { spec: { subdomain: 'web' } }, hostname: undefined },
    {
      name: 'another namespace',
      pod: { metadata: { namespace: 'other' }, spec: { hostname: 'db-0', subdomain: 'web' } },
      hostname: undefined,
    },
  ])('hostname: $name', ({ pod: p, hostname }) => {
    expect(podToEndpoint(pod('p', '10.244.0.2', p), svc(), node1, '10.244.0.2').hostname).toBe(hostname);
  });

  it('the full endpoint: address, nodeName, zone from the node label, targetRef', () => {
    expect(podToEndpoint(pod('p', '10.244.0.2'), svc(), node1, '10.244.0.2')).toEqual(
      endpoint('p', '10.244.0.2'),
    );
  });

  it.each([
    { name: 'no node', node: undefined },
    { name: 'node without a zone label', node: aNode({ metadata: { labels: {} } }) },
    {
      name: 'empty zone label',
      node: aNode({ metadata: { labels: { 'topology.kubernetes.io/zone': '' } } }),
    },
  ])('no zone: $name', ({ node }) => {
    const ep = podToEndpoint(pod('p', '10.244.0.2'), svc(), node, '10.244.0.2');
    expect('zone' in ep).toBe(false);
    expect(ep.nodeName).toBe('node-1');
  });
});

describe('addressTypesOf and sliceLabels', () => {
  it.each<{ name: string; spec: DeepPartial<Service['spec']>; want: string[] }>([
    { name: 'ipFamilies', spec: { ipFamilies: ['IPv6', 'IPv4'] }, want: ['IPv6', 'IPv4'] },
    {
      name: 'no ipFamilies: the clusterIP family',
      spec: { ipFamilies: undefined, clusterIP: 'fd00::1' },
      want: ['IPv6'],
    },
    { name: 'no ipFamilies, IPv4 clusterIP', spec: { ipFamilies: undefined }, want: ['IPv4'] },
    {
      name: 'no ipFamilies, headless: both',
      spec: { ipFamilies: undefined, clusterIP: 'None' },
      want: ['IPv4', 'IPv6'],
    },
  ])('addressTypesOf: $name', ({ spec, want }) => {
    expect(addressTypesOf(svc({ spec }))).toEqual(want);
  });

  it.each<{ name: string; svc: DeepPartial<Service>; want: Record<string, string> }>([
    {
      name: 'service labels copied, reserved ones replaced',
      svc: {
        metadata: {
          labels: { app: 'web', tier: 'front', [SERVICE_NAME_LABEL]: 'other', [MANAGED_BY_LABEL]: 'someone' },
        },
      },
      want: { app: 'web', tier: 'front', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
    },
    {
      name: 'headless',
      svc: { spec: { clusterIP: 'None', clusterIPs: ['None'] } },
      want: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME, [HEADLESS_LABEL]: '' },
    },
    {
      name: 'a headless label on a Service with a ClusterIP is not copied (reserved key)',
      svc: { metadata: { labels: { app: 'web', [HEADLESS_LABEL]: '' } } },
      want: { app: 'web', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
    },
    {
      name: 'headless label value forced to ""',
      svc: {
        metadata: { labels: { [HEADLESS_LABEL]: 'yes' } },
        spec: { clusterIP: 'None', clusterIPs: ['None'] },
      },
      want: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME, [HEADLESS_LABEL]: '' },
    },
    {
      name: 'no clusterIP counts as headless',
      svc: { spec: { clusterIP: undefined, clusterIPs: undefined } },
      want: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME, [HEADLESS_LABEL]: '' },
    },
  ])('sliceLabels: $name', ({ svc: s, want }) => {
    expect(sliceLabels(svc(s))).toEqual(want);
  });
});

describe('desiredGroups', () => {
  const groups = (s: Service, ps: Pod[]) =>
    desiredGroups(s, ps, nodeOf).map((g) => ({
      type: g.addressType,
      ports: g.ports.map((p) => p.port),
      pods: g.endpoints.map((e) => e.targetRef?.name),
    }));

  it('one group for one family and one port set, pods in name order', () => {
    const s = svc();
    expect(groups(s, [pod('b', '10.244.0.3'), pod('a', '10.244.0.2')])).toEqual([
      { type: 'IPv4', ports: [8080], pods: ['a', 'b'] },
    ]);
  });

  it('split by address family on a dual-stack service', () => {
    const s = svc({ spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' } });
    const dual = pod('a', '10.244.0.2', { status: { podIPs: [{ ip: '10.244.0.2' }, { ip: 'fd00::2' }] } });
    const v4only = pod('b', '10.244.0.3');
    expect(groups(s, [dual, v4only])).toEqual([
      { type: 'IPv4', ports: [8080], pods: ['a', 'b'] },
      { type: 'IPv6', ports: [8080], pods: ['a'] },
    ]);
    const v6 = desiredGroups(s, [dual], nodeOf)[1]!;
    expect(v6.endpoints[0]!.addresses).toEqual(['fd00::2']);
  });

  it('an IPv6 service takes only the IPv6 address', () => {
    const s = svc({ spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00::1', clusterIPs: ['fd00::1'] } });
    const dual = pod('a', '10.244.0.2', { status: { podIPs: [{ ip: '10.244.0.2' }, { ip: 'fd00::2' }] } });
    expect(
      desiredGroups(s, [dual, pod('b', '10.244.0.3')], nodeOf).map((g) =>
        g.endpoints.map((e) => e.addresses),
      ),
    ).toEqual([[['fd00::2']]]);
  });

  it('split by resolved port set (a named targetPort resolved per pod)', () => {
    const s = svc({ spec: { ports: [aServicePort({ targetPort: 'http' })] } });
    const on9090 = pod('c', '10.244.0.4', {
      spec: { containers: [aContainer({ ports: [aContainerPort({ containerPort: 9090 })] })] },
    });
    const noPort = pod('d', '10.244.0.5', { spec: { containers: [aContainer({ ports: [] })] } });
    expect(groups(s, [pod('a', '10.244.0.2'), on9090, pod('b', '10.244.0.3'), noPort])).toEqual([
      { type: 'IPv4', ports: [8080], pods: ['a', 'b'] },
      { type: 'IPv4', ports: [9090], pods: ['c'] },
      { type: 'IPv4', ports: [], pods: ['d'] },
    ]);
  });

  it.each<{ name: string; pod: DeepPartial<Pod>; svc: DeepPartial<Service>; included: boolean }>([
    { name: 'pod on a known node', pod: {}, svc: {}, included: true },
    { name: 'pod on an unknown node', pod: { spec: { nodeName: 'gone' } }, svc: {}, included: false },
    { name: 'unbound pod', pod: { spec: { nodeName: undefined } }, svc: {}, included: false },
    {
      name: 'pod on an unknown node, publishNotReadyAddresses',
      pod: { spec: { nodeName: 'gone' } },
      svc: { spec: { publishNotReadyAddresses: true } },
      included: true,
    },
    {
      name: 'pod without an address',
      pod: { status: { podIP: undefined, podIPs: undefined } },
      svc: {},
      included: false,
    },
    { name: 'not-ready pod (kept, not ready)', pod: { status: { conditions: [] } }, svc: {}, included: true },
  ])('$name: included=$included', ({ pod: p, svc: s, included }) => {
    expect(desiredGroups(svc(s), [pod('a', '10.244.0.2', p)], nodeOf).length).toBe(included ? 1 : 0);
  });
});

describe('reconcileService', () => {
  it('creates a slice: labels, ownerReferences, generateName, endpoints and ports', () => {
    const s = svc({ metadata: { labels: { app: 'web', [SERVICE_NAME_LABEL]: 'x' } } });
    const ws = reconcile(s, [pod('b', '10.244.0.3'), pod('a', '10.244.0.2')]);
    expect(ws).toEqual([
      {
        type: 'ADDED',
        object: {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: 'web-s0001',
            generateName: 'web-',
            namespace: 'default',
            uid: 'slice-uid-1',
            creationTimestamp: TEST_NOW,
            generation: 1,
            labels: { app: 'web', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
            ownerReferences: [OWNER],
          },
          addressType: 'IPv4',
          endpoints: [endpoint('a', '10.244.0.2'), endpoint('b', '10.244.0.3')],
          ports: PORTS,
        },
      },
    ]);
  });

  it('a generated name already taken is drawn again', () => {
    const suffixes = ['aaaaa', 'aaaaa', 'bbbbb'];
    const env = testEnv({ randomSuffix: () => suffixes.shift()! });
    const ws = reconcile(svc(), [pod('a', '10.244.0.2')], [], env, (n) => n === 'web-aaaaa');
    expect(ws.map((w) => w.object.metadata.name)).toEqual(['web-bbbbb']);
  });

  it('two slices of one reconcile never get the same generated name', () => {
    const suffixes = ['aaaaa', 'aaaaa', 'bbbbb'];
    const env = testEnv({ randomSuffix: () => suffixes.shift()! });
    const ws = reconcile(svc(), pods(150), [], env);
    expect(ws.map((w) => w.object.metadata.name)).toEqual(['web-aaaaa', 'web-bbbbb']);
  });

  it('a long generateName is cut to 58 characters before the suffix (SimpleNameGenerator)', () => {
    const name = 'a'.repeat(70);
    const ws = reconcile(svc({ metadata: { name } }), [pod('a', '10.244.0.2')]);
    expect(ws[0]!.object.metadata.name).toBe(`${'a'.repeat(58)}s0001`);
    expect(ws[0]!.object.metadata.generateName).toBe(`${name}-`);
  });

  it('250 endpoints make 3 slices of 100, 100 and 50', () => {
    const ws = reconcile(svc(), pods(250));
    expect(summary(ws)).toEqual(['ADDED web-s0001 100', 'ADDED web-s0002 100', 'ADDED web-s0003 50']);
    expect(slicesOf(ws)[1]!.endpoints![0]!.targetRef?.name).toBe('p100');
  });

  it.each([
    { name: 'maxEndpointsPerSlice 2, 5 endpoints', max: 2, n: 5, sizes: [2, 2, 1] },
    { name: 'maxEndpointsPerSlice 3, 3 endpoints', max: 3, n: 3, sizes: [3] },
  ])('$name', ({ max, n, sizes }) => {
    const ws = reconcile(svc(), pods(n), [], testEnv({ maxEndpointsPerSlice: max }));
    expect(slicesOf(ws).map((s) => s.endpoints!.length)).toEqual(sizes);
  });

  it('a remainder left after new slices are filled still joins an unchanged slice (upstream loops)', () => {
    const [a] = slicesOf(reconcile(svc(), pods(40)));
    const ws = reconcile(svc(), pods(190), [a!], testEnv(), (n) => n === a!.metadata.name);
    // 150 new endpoints: a new slice takes 100; the 50 left fit into the unchanged 40-endpoint slice.
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 90', 'ADDED web-s0002 100']);
  });

  it('a slice that lost every endpoint is deleted, and newcomers join an unchanged slice that has room', () => {
    const [whole] = slicesOf(reconcile(svc(), pods(70)));
    const a = { ...whole!, endpoints: whole!.endpoints!.slice(0, 60) };
    const b = {
      ...whole!,
      metadata: { ...whole!.metadata, name: 'web-b' },
      endpoints: whole!.endpoints!.slice(60),
    };
    // p060..p069 (all of b's) are gone; p070..p099 are new.
    const now = pods(100).filter((p) => !/^p06\d$/.test(p.metadata.name));
    const ws = reconcile(svc(), now, [a, b]);
    expect(summary(ws)).toEqual([`MODIFIED ${a.metadata.name} 90`, 'DELETED web-b 10']);
  });

  it('a second run over its own result writes nothing', () => {
    const first = slicesOf(reconcile(svc(), pods(250)));
    expect(reconcile(svc(), pods(250), first)).toEqual([]);
  });

  it("a slice written in Go field order, ports in another order, is unchanged (a real cluster's export)", () => {
    const two = svc({
      spec: {
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        ],
      },
    });
    const [own] = slicesOf(reconcile(two, pods(3)));
    // Re-keyed as kubectl prints a real slice: keys in Go's order, the ports reversed.
    const reordered = JSON.parse(
      JSON.stringify({
        metadata: own!.metadata,
        addressType: own!.addressType,
        apiVersion: own!.apiVersion,
        kind: own!.kind,
        endpoints: own!.endpoints!.map((e) => ({
          targetRef: e.targetRef,
          zone: e.zone,
          nodeName: e.nodeName,
          conditions: {
            terminating: e.conditions?.terminating,
            serving: e.conditions?.serving,
            ready: e.conditions?.ready,
          },
          addresses: e.addresses,
        })),
        ports: [...own!.ports!].reverse().map((p) => ({ protocol: p.protocol, port: p.port, name: p.name })),
      }),
    ) as EndpointSlice;
    expect(reconcile(two, pods(3), [reordered])).toEqual([]);
  });

  it('no endpoints: one placeholder slice, kept unchanged on the next run', () => {
    const ws = reconcile(svc(), []);
    expect(ws).toHaveLength(1);
    const placeholder = ws[0]!.object as EndpointSlice;
    expect(ws[0]!.type).toBe('ADDED');
    expect(placeholder.addressType).toBe('IPv4');
    expect(placeholder.endpoints).toEqual([]);
    expect(placeholder.ports).toEqual([]);
    expect(placeholder.metadata.ownerReferences).toEqual([OWNER]);
    expect(reconcile(svc(), [], [placeholder])).toEqual([]);
  });

  it('a dual-stack service without endpoints has one placeholder per family', () => {
    const s = svc({ spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' } });
    expect(slicesOf(reconcile(s, [])).map((x) => [x.addressType, x.endpoints?.length])).toEqual([
      ['IPv4', 0],
      ['IPv6', 0],
    ]);
  });

  it('the last endpoint leaving turns its slice into the placeholder (same name)', () => {
    const first = slicesOf(reconcile(svc(), [pod('a', '10.244.0.2')]));
    const ws = reconcile(svc(), [], first);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 0']);
    expect((ws[0]!.object as EndpointSlice).ports).toEqual([]);
  });

  it('endpoints appearing replace the placeholder under its name', () => {
    const placeholder = slicesOf(reconcile(svc(), []));
    const ws = reconcile(
      svc(),
      [pod('a', '10.244.0.2')],
      placeholder,
      testEnv({ randomSuffix: () => 'zzzzz' }),
    );
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
    expect((ws[0]!.object as EndpointSlice).ports).toEqual(PORTS);
  });

  it('removing one pod modifies only its slice, the other endpoints stay in place', () => {
    const all = pods(250);
    const first = slicesOf(reconcile(svc(), all));
    const ws = reconcile(
      svc(),
      all.filter((p) => p.metadata.name !== 'p150'),
      first,
    );
    expect(summary(ws)).toEqual(['MODIFIED web-s0002 99']);
    const modified = ws[0]!.object as EndpointSlice;
    expect(modified.endpoints!.map((e) => e.targetRef?.name)).toEqual(
      first[1]!.endpoints!.map((e) => e.targetRef?.name).filter((n) => n !== 'p150'),
    );
    expect(modified.metadata.generation).toBe(2);
    expect(ws[0]!.previous).toBe(first[1]);
  });

  it('a new pod goes to the slice it fills closest to full, without touching the full ones', () => {
    const all = pods(250);
    const first = slicesOf(reconcile(svc(), all));
    const ws = reconcile(svc(), [...all, pod('zzz', '10.244.9.9')], first);
    expect(summary(ws)).toEqual(['MODIFIED web-s0003 51']);
    expect((ws[0]!.object as EndpointSlice).endpoints!.at(-1)!.targetRef?.name).toBe('zzz');
  });

  it('a changed endpoint (readiness) updates its slice in place', () => {
    const first = slicesOf(reconcile(svc(), [pod('a', '10.244.0.2'), pod('b', '10.244.0.3')]));
    const notReady = pod('b', '10.244.0.3', { status: { conditions: [] } });
    const ws = reconcile(svc(), [pod('a', '10.244.0.2'), notReady], first);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 2']);
    expect((ws[0]!.object as EndpointSlice).endpoints![1]!.conditions).toEqual({
      ready: false,
      serving: false,
      terminating: false,
    });
  });

  it('a service label change updates the slices', () => {
    const first = slicesOf(reconcile(svc(), [pod('a', '10.244.0.2')]));
    const ws = reconcile(svc({ metadata: { labels: { team: 'x' } } }), [pod('a', '10.244.0.2')], first);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
    expect(ws[0]!.object.metadata.labels?.team).toBe('x');
  });

  it('slices of a family the service no longer has are deleted', () => {
    const dual = svc({ spec: { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' } });
    const p = pod('a', '10.244.0.2', { status: { podIPs: [{ ip: '10.244.0.2' }, { ip: 'fd00::2' }] } });
    const first = slicesOf(reconcile(dual, [p]));
    expect(first.map((s) => s.addressType)).toEqual(['IPv4', 'IPv6']);
    const ws = reconcile(svc(), [p], first);
    expect(ws.map((w) => [w.type, (w.object as EndpointSlice).addressType])).toEqual([['DELETED', 'IPv6']]);
  });

  it('slices the service does not own are deleted, and not reused', () => {
    const foreign = {
      ...slicesOf(reconcile(svc(), [pod('a', '10.244.0.2')]))[0]!,
      metadata: {
        ...slicesOf(reconcile(svc(), [pod('a', '10.244.0.2')]))[0]!.metadata,
        name: 'web-old',
        ownerReferences: [{ ...OWNER, uid: 'previous-svc-uid' }],
      },
    };
    const ws = reconcile(svc(), [pod('a', '10.244.0.2')], [foreign]);
    expect(ws.map((w) => `${w.type} ${w.object.metadata.name}`)).toEqual([
      'ADDED web-s0001',
      'DELETED web-old',
    ]);
  });

  it('a port change moves the endpoints to a slice of the new port set, reusing the old name', () => {
    const first = slicesOf(reconcile(svc(), [pod('a', '10.244.0.2')]));
    const s2 = svc({ spec: { ports: [aServicePort({ targetPort: 9000 })] } });
    const ws = reconcile(s2, [pod('a', '10.244.0.2')], first);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
    expect((ws[0]!.object as EndpointSlice).ports).toEqual([{ name: 'http', port: 9000, protocol: 'TCP' }]);
  });
});

describe('reconcileEndpointSlices (batch driver over a ClusterState)', () => {
  let rv = 0;
  function stateWith(...objects: KubeObject[]): ClusterState {
    const state = new ClusterState();
    commitWrites(
      state,
      objects.map((object) => ({ type: 'ADDED' as const, object })),
      ++rv,
    );
    return state;
  }

  /** Commits a batch and the slice writes it calls for; returns those slice writes. */
  function commitWithSlices(state: ClusterState, writes: PlannedWrite[], env = testEnv()): PlannedWrite[] {
    const derived = reconcileEndpointSlices(state, writes, env);
    commitWrites(state, [...writes, ...derived], ++rv);
    return derived;
  }

  const slicesIn = (state: ClusterState, service: string) =>
    state
      .list('EndpointSlice', { namespace: 'default' })
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service);
  const podsIn = (state: ClusterState, service: string) =>
    slicesIn(state, service).flatMap((s) => (s.endpoints ?? []).map((e) => e.targetRef?.name));

  it('nothing to do for an empty batch', () => {
    expect(reconcileEndpointSlices(stateWith(node1), [], testEnv())).toEqual([]);
  });

  it('a new Service gets slices for the pods already there', () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'), pod('b', '10.244.0.3'));
    const ws = commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    expect(summary(ws)).toEqual(['ADDED web-s0001 2']);
    expect(podsIn(state, 'web')).toEqual(['a', 'b']);
  });

  it("a node's zone change rewrites the endpoints of its pods' services", () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'));
    commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    const moved = aNode({ metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-b' } } });
    const ws = commitWithSlices(state, [{ type: 'MODIFIED', object: moved, previous: node1 }]);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
    expect(slicesIn(state, 'web')[0]!.endpoints![0]!.zone).toBe('zone-b');
  });

  it('a node change that keeps the zone leaves the slices alone', () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'));
    commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    const relabelled = aNode({ metadata: { labels: { 'topology.kubernetes.io/zone': 'zone-a', x: 'y' } } });
    expect(commitWithSlices(state, [{ type: 'MODIFIED', object: relabelled, previous: node1 }])).toEqual([]);
  });

  it("a deleted node takes its pods' endpoints out (a pod on a missing node is left out)", () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'));
    commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    const ws = commitWithSlices(state, [{ type: 'DELETED', object: node1, previous: node1 }]);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 0']);
    expect(podsIn(state, 'web')).toEqual([]);
  });

  it('a Service and its pods created in one batch', () => {
    const state = stateWith(node1);
    const ws = commitWithSlices(state, [
      { type: 'ADDED', object: pod('a', '10.244.0.2') },
      { type: 'ADDED', object: svc() },
      { type: 'ADDED', object: pod('b', '10.244.0.3') },
    ]);
    expect(summary(ws)).toEqual(['ADDED web-s0001 2']);
  });

  it.each<{ name: string; svc: Service }>([
    { name: 'selector-less', svc: svc({ spec: { selector: undefined } }) },
    { name: 'empty selector', svc: { ...svc(), spec: { ...svc().spec, selector: {} } } },
    {
      name: 'ExternalName',
      svc: svc({
        spec: {
          type: 'ExternalName',
          externalName: 'db.example.com',
          clusterIP: undefined,
          clusterIPs: undefined,
        },
      }),
    },
  ])('a $name service is left alone, its user slices too', ({ svc: s }) => {
    const userSlice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-manual',
        namespace: 'default',
        labels: { [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.168.1.1'] }],
    };
    const state = stateWith(node1, pod('a', '10.244.0.2'), userSlice);
    expect(reconcileEndpointSlices(state, [{ type: 'ADDED', object: s }], testEnv())).toEqual([]);
  });

  it('a pod write reaches the services whose selector matches it', () => {
    const other = svc({ metadata: { name: 'api', uid: 'api-uid' }, spec: { selector: { app: 'api' } } });
    const state = stateWith(node1, svc(), other);
    commitWithSlices(state, [
      { type: 'MODIFIED', object: svc() },
      { type: 'MODIFIED', object: other },
    ]);
    const ws = commitWithSlices(state, [{ type: 'ADDED', object: pod('a', '10.244.0.2') }]);
    expect(ws.map((w) => w.object.metadata.labels?.[SERVICE_NAME_LABEL])).toEqual(['web']);
    expect(podsIn(state, 'web')).toEqual(['a']);
    expect(podsIn(state, 'api')).toEqual([]);
  });

  it('a pod label change moves it from one service to another', () => {
    const api = svc({ metadata: { name: 'api', uid: 'api-uid' }, spec: { selector: { app: 'api' } } });
    const a = pod('a', '10.244.0.2');
    const state = stateWith(node1, a, svc(), api);
    commitWithSlices(state, [
      { type: 'MODIFIED', object: svc() },
      { type: 'MODIFIED', object: api },
    ]);
    expect([podsIn(state, 'web'), podsIn(state, 'api')]).toEqual([['a'], []]);
    const moved = { ...a, metadata: { ...a.metadata, labels: { app: 'api' } } };
    const ws = commitWithSlices(
      state,
      [{ type: 'MODIFIED', object: moved, previous: a }],
      testEnv({ randomSuffix: () => 'm0001' }),
    );
    expect(ws.map((w) => `${w.type} ${w.object.metadata.labels?.[SERVICE_NAME_LABEL]}`).sort()).toEqual([
      'MODIFIED api',
      'MODIFIED web',
    ]);
    expect([podsIn(state, 'web'), podsIn(state, 'api')]).toEqual([[], ['a']]);
    // Each service still has exactly one slice.
    expect([slicesIn(state, 'web').length, slicesIn(state, 'api').length]).toEqual([1, 1]);
  });

  it('a deleted pod leaves its slice', () => {
    const a = pod('a', '10.244.0.2');
    const b = pod('b', '10.244.0.3');
    const state = stateWith(node1, a, b);
    commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    const ws = commitWithSlices(state, [{ type: 'DELETED', object: a, previous: a }]);
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
    expect(podsIn(state, 'web')).toEqual(['b']);
  });

  it("a deleted Service's slices are deleted", () => {
    const state = stateWith(node1, ...pods(150));
    commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    expect(slicesIn(state, 'web')).toHaveLength(2);
    const stored = state.get('Service', 'default', 'web') ?? svc();
    const ws = commitWithSlices(state, [{ type: 'DELETED', object: stored, previous: stored }]);
    expect(ws.map((w) => `${w.type} ${w.object.metadata.name}`)).toEqual([
      'DELETED web-s0001',
      'DELETED web-s0002',
    ]);
    expect(slicesIn(state, 'web')).toEqual([]);
  });

  it('a write of a managed slice makes the controller put it back', () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'), svc());
    commitWithSlices(state, [{ type: 'MODIFIED', object: svc() }]);
    const slice = slicesIn(state, 'web')[0]!;
    const tampered: EndpointSlice = { ...slice, endpoints: [] };
    const ws = reconcileEndpointSlices(
      state,
      [{ type: 'MODIFIED', object: tampered, previous: slice }],
      testEnv(),
    );
    expect(summary(ws)).toEqual(['MODIFIED web-s0001 1']);
  });

  it('re-writing an unchanged Service writes no slices', () => {
    const state = stateWith(node1, pod('a', '10.244.0.2'), svc());
    commitWithSlices(state, [{ type: 'MODIFIED', object: svc() }]);
    expect(reconcileEndpointSlices(state, [{ type: 'MODIFIED', object: svc() }], testEnv())).toEqual([]);
  });

  it('pods of another namespace are not picked', () => {
    const state = stateWith(node1, pod('x', '10.244.0.9', { metadata: { namespace: 'other' } }));
    const ws = commitWithSlices(state, [{ type: 'ADDED', object: svc() }]);
    expect(summary(ws)).toEqual(['ADDED web-s0001 0']);
  });

  it('a generated name is drawn again when a stored slice has it', () => {
    const squatter: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-aaaaa', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'other' } },
      addressType: 'IPv4',
    };
    const state = stateWith(node1, pod('a', '10.244.0.2'), squatter);
    const suffixes = ['aaaaa', 'bbbbb'];
    const ws = reconcileEndpointSlices(
      state,
      [{ type: 'ADDED', object: svc() }],
      testEnv({ randomSuffix: () => suffixes.shift()! }),
    );
    expect(ws.map((w) => w.object.metadata.name)).toEqual(['web-bbbbb']);
  });
});
