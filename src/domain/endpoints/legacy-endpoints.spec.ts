import { describe, expect, it } from '@jest/globals';
import { anEndpointSlice, aService } from '../../../test/factories/objects.js';
import type { Endpoint, EndpointPort, EndpointSlice, KubeObject } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { endpointsFromSlices, legacyEndpoints, listLegacyEndpoints } from './legacy-endpoints.js';

function slice(
  name: string,
  endpoints: Endpoint[],
  ports: EndpointPort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }],
  extra: Partial<EndpointSlice> = {},
): EndpointSlice {
  const s = anEndpointSlice({ metadata: { name } });
  return { ...s, endpoints, ports, ...extra };
}
const ep = (ip: string, ready?: boolean, more: Partial<Endpoint> = {}): Endpoint => ({
  addresses: [ip],
  ...(ready === undefined ? {} : { conditions: { ready } }),
  ...more,
});

/** Subsets as short text: `ready=[..] notReady=[..] ports=[..]`. */
function subsets(slices: EndpointSlice[]): string[] {
  return (endpointsFromSlices('default', 'web', slices).subsets ?? []).map(
    (s) =>
      `ready=[${(s.addresses ?? []).map((a) => a.ip).join(' ')}] notReady=[${(s.notReadyAddresses ?? []).map((a) => a.ip).join(' ')}] ports=[${(
        s.ports ?? []
      )
        .map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`)
        .join(' ')}]`,
  );
}

describe('endpointsFromSlices', () => {
  it.each<{ name: string; slices: EndpointSlice[]; want: string[] }>([
    { name: 'no slices', slices: [], want: [] },
    { name: 'a slice without endpoints', slices: [slice('a', [])], want: [] },
    {
      name: 'ready, not ready and unset readiness (counts as ready)',
      slices: [slice('a', [ep('10.0.0.3', false), ep('10.0.0.1', true), ep('10.0.0.2')])],
      want: ['ready=[10.0.0.1 10.0.0.2] notReady=[10.0.0.3] ports=[http:8080/TCP]'],
    },
    {
      name: 'only not-ready endpoints',
      slices: [slice('a', [ep('10.0.0.1', false)])],
      want: ['ready=[] notReady=[10.0.0.1] ports=[http:8080/TCP]'],
    },
    {
      name: 'two slices with the same port set merge into one subset',
      slices: [
        slice(
          'a',
          [ep('10.0.0.2', true)],
          [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, protocol: 'TCP' },
          ],
        ),
        slice(
          'b',
          [ep('10.0.0.1', true)],
          [
            { name: 'metrics', port: 9090, protocol: 'TCP' },
            { name: 'http', port: 8080 },
          ],
        ),
      ],
      want: ['ready=[10.0.0.1 10.0.0.2] notReady=[] ports=[http:8080/TCP metrics:9090/TCP]'],
    },
    {
      name: 'different port sets make separate subsets',
      slices: [
        slice('a', [ep('10.0.0.1', true)], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
        slice('b', [ep('10.0.0.2', true)], [{ name: 'http', port: 8081, protocol: 'TCP' }]),
      ],
      want: [
        'ready=[10.0.0.1] notReady=[] ports=[http:8080/TCP]',
        'ready=[10.0.0.2] notReady=[] ports=[http:8081/TCP]',
      ],
    },
    {
      name: 'the same port under another protocol is another port set',
      slices: [
        slice('a', [ep('10.0.0.1')], [{ name: 'dns', port: 53, protocol: 'UDP' }]),
        slice('b', [ep('10.0.0.2')], [{ name: 'dns', port: 53, protocol: 'TCP' }]),
      ],
      want: [
        'ready=[10.0.0.1] notReady=[] ports=[dns:53/UDP]',
        'ready=[10.0.0.2] notReady=[] ports=[dns:53/TCP]',
      ],
    },
    {
      name: 'FQDN slices are left out',
      slices: [
        slice('a', [ep('10.0.0.1')]),
        slice('f', [ep('db.example.com')], undefined, { addressType: 'FQDN' }),
      ],
      want: ['ready=[10.0.0.1] notReady=[] ports=[http:8080/TCP]'],
    },
    {
      name: 'IPv6 slices are kept',
      slices: [slice('a', [ep('fd00::1')], undefined, { addressType: 'IPv6' })],
      want: ['ready=[fd00::1] notReady=[] ports=[http:8080/TCP]'],
    },
    {
      name: 'an endpoint with several addresses gives one address each',
      slices: [slice('a', [{ addresses: ['10.0.0.2', '10.0.0.1'], conditions: { ready: true } }])],
      want: ['ready=[10.0.0.1 10.0.0.2] notReady=[] ports=[http:8080/TCP]'],
    },
    {
      name: 'a slice without ports gives a subset without ports',
      slices: [slice('a', [ep('10.0.0.1')], [])],
      want: ['ready=[10.0.0.1] notReady=[] ports=[]'],
    },
  ])('$name', ({ slices, want }) => {
    expect(subsets(slices)).toEqual(want);
  });

  it('names the Endpoints after the service and carries the newest slice resourceVersion', () => {
    const a = {
      ...slice('a', [ep('10.0.0.1')]),
      metadata: { name: 'a', namespace: 'default', resourceVersion: '17' },
    };
    const b = {
      ...slice('b', [ep('10.0.0.2')]),
      metadata: { name: 'b', namespace: 'default', resourceVersion: '9' },
    };
    expect(endpointsFromSlices('default', 'web', [a, b]).metadata).toEqual({
      name: 'web',
      namespace: 'default',
      resourceVersion: '17',
    });
  });

  it('gives an empty Endpoints object for a service without endpoints', () => {
    expect(endpointsFromSlices('shop', 'db', [])).toEqual({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'shop' },
    });
  });

  it('carries hostname, nodeName and targetRef, and leaves out what is unset', () => {
    const targetRef = { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' };
    const e = endpointsFromSlices('default', 'web', [
      slice('a', [
        ep('10.0.0.1', true, { hostname: 'web-0', nodeName: 'node-1', targetRef, zone: 'z1' }),
        ep('10.0.0.2', true),
      ]),
    ]);
    expect(e.subsets![0]!.addresses).toEqual([
      { ip: '10.0.0.1', hostname: 'web-0', nodeName: 'node-1', targetRef },
      { ip: '10.0.0.2' },
    ]);
  });

  it('defaults a port protocol to TCP and leaves an unnamed port unnamed', () => {
    const e = endpointsFromSlices('default', 'web', [slice('a', [ep('10.0.0.1')], [{ port: 80 }])]);
    expect(e.subsets![0]!.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });
});

describe('which Endpoints objects exist (legacyEndpoints, listLegacyEndpoints)', () => {
  function cluster(...objects: KubeObject[]): ClusterState {
    const state = new ClusterState();
    state.applyChanges(
      objects.map((object) => ({ type: 'ADDED' as const, object })),
      objects.length,
    );
    return state;
  }
  const withSelector = aService({ metadata: { name: 'web' }, spec: { selector: { app: 'web' } } });
  const selectorless = {
    ...aService({ metadata: { name: 'ext' } }),
    spec: { ports: [{ port: 80 }] },
  } as KubeObject;
  const externalName = aService({
    metadata: { name: 'cname' },
    spec: { type: 'ExternalName', externalName: 'example.com' },
  });

  it('a Service with a selector has one, empty until endpoints exist', () => {
    expect(legacyEndpoints(cluster(withSelector), 'default', 'web')).toEqual({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default' },
    });
  });

  it('a selector-less Service has none unless EndpointSlices name it', () => {
    expect(legacyEndpoints(cluster(selectorless), 'default', 'ext')).toBeUndefined();
    const named = anEndpointSlice({
      metadata: { name: 'ext-1', labels: { 'kubernetes.io/service-name': 'ext' } },
    });
    expect(legacyEndpoints(cluster(selectorless, named), 'default', 'ext')?.subsets).toHaveLength(1);
  });

  it("a dual-stack Service's Endpoints hold its primary family only, as the endpoints controller lists them", () => {
    const dual = aService({
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' },
    });
    const v4 = anEndpointSlice({
      metadata: { name: 'web-v4' },
      addressType: 'IPv4',
      endpoints: [ep('10.244.1.9')],
    });
    const v6 = anEndpointSlice({
      metadata: { name: 'web-v6' },
      addressType: 'IPv6',
      endpoints: [ep('fd00:10:244::9')],
    });
    const e = legacyEndpoints(cluster(dual, v4, v6), 'default', 'web')!;
    expect(e.subsets?.flatMap((x) => x.addresses ?? []).map((a) => a.ip)).toEqual(['fd00:10:244::9']);
  });

  it("carries the Service's labels, with the headless label for a headless Service", () => {
    const headless = aService({
      metadata: { name: 'db', labels: { app: 'db', 'service.kubernetes.io/headless': 'stale' } },
      spec: { selector: { app: 'db' }, clusterIP: 'None' },
    });
    expect(legacyEndpoints(cluster(headless), 'default', 'db')!.metadata.labels).toEqual({
      app: 'db',
      'service.kubernetes.io/headless': '',
    });
    const plain = aService({
      metadata: { name: 'api', labels: { app: 'api' } },
      spec: { selector: { app: 'api' } },
    });
    expect(legacyEndpoints(cluster(plain), 'default', 'api')!.metadata.labels).toEqual({ app: 'api' });
  });

  it('an ExternalName Service has none', () => {
    expect(legacyEndpoints(cluster(externalName), 'default', 'cname')).toBeUndefined();
  });

  it('lists every one, sorted by namespace and name', () => {
    const names = listLegacyEndpoints(
      cluster(withSelector, selectorless, externalName, anEndpointSlice()),
    ).map((e) => `${e.metadata.namespace}/${e.metadata.name}`);
    expect(names).toEqual(['default/web']);
  });

  it('publishNotReadyAddresses puts every address in addresses', () => {
    const svc = aService({
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, publishNotReadyAddresses: true },
    });
    const sl = anEndpointSlice({ endpoints: [{ addresses: ['10.244.1.9'], conditions: { ready: false } }] });
    const e = legacyEndpoints(cluster(svc, sl), 'default', 'web')!;
    expect(e.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.244.1.9']);
    expect(e.subsets?.[0]?.notReadyAddresses).toBeUndefined();
  });
});
