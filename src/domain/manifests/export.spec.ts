import { describe, expect, it } from '@jest/globals';
import {
  aNamespace,
  aNetworkPolicy,
  aNode,
  aPod,
  aService,
  anEndpointSlice,
  anIngress,
  anIngressClass,
} from '../../../test/factories/objects.js';
import type { KubeObject } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { exportYaml } from './export.js';
import { parseManifests } from './parse.js';

function stateOf(objects: readonly KubeObject[], rv = 42): ClusterState {
  const s = new ClusterState();
  s.applyChanges(
    objects.map((object) => ({ type: 'ADDED' as const, object })),
    rv,
  );
  return s;
}

const label = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// Given in an order that is neither apply order nor sorted, with server fields and unmodelled fields.
const objects: KubeObject[] = [
  anIngress({ metadata: { namespace: 'shop' } }),
  aPod({ metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', resourceVersion: '7' } }),
  aNetworkPolicy({ metadata: { namespace: 'shop' } }),
  aService({
    metadata: { namespace: 'shop', annotations: { note: 'a: b # not a comment' } },
    spec: { clusterIP: '10.96.0.20' },
  }),
  aPod({
    metadata: { name: 'web-0', namespace: 'shop' },
    status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
  }),
  aPod({
    metadata: { name: 'a', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'x', ...{ env: [{ name: 'K', value: '080' }] } }] },
  }),
  anEndpointSlice({ metadata: { namespace: 'shop' } }),
  anIngressClass(),
  aNode({ metadata: { name: 'node-2' } }),
  aNode({ metadata: { name: 'node-1' } }),
  aNamespace({ metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } }),
  aNamespace({ metadata: { name: 'default' } }),
];

describe('exportYaml', () => {
  const text = exportYaml(stateOf(objects));

  it('starts with the resourceVersion and separates documents', () => {
    expect(text.split('\n')[0]).toBe('# netmodel export at resourceVersion 42');
    expect(text.match(/^---$/gm)).toHaveLength(objects.length);
  });

  it('writes kinds in apply order, then namespace/name', () => {
    expect(parseManifests(text).map((d) => label(d.raw as KubeObject))).toEqual([
      'Namespace /default',
      'Namespace /shop',
      'Node /node-1',
      'Node /node-2',
      'IngressClass /nginx',
      'Service shop/web',
      'Pod default/a',
      'Pod shop/web-0',
      'Pod shop/web-1',
      'EndpointSlice shop/web-abcde',
      'NetworkPolicy shop/allow-clients',
      'Ingress shop/web',
    ]);
  });

  it('re-parses to the same objects (server fields and unmodelled fields included)', () => {
    const back = parseManifests(text).map((d) => d.raw);
    const state = stateOf(objects);
    const expected = [
      'Namespace',
      'Node',
      'IngressClass',
      'Service',
      'Pod',
      'EndpointSlice',
      'NetworkPolicy',
      'Ingress',
    ].flatMap((k) => state.list(k as KubeObject['kind']));
    expect(back).toEqual(expected);
  });

  it('exports an empty cluster as the header alone', () => {
    const empty = exportYaml(stateOf([], 0));
    expect(empty).toBe('# netmodel export at resourceVersion 0\n');
    expect(parseManifests(empty)).toEqual([]);
  });

  it('does not fold long lines or use anchors for repeated values', () => {
    const long = 'x'.repeat(300);
    const shared = { app: 'web' };
    const s = stateOf([
      aPod({ metadata: { name: 'a', annotations: { long } } }),
      {
        ...aPod({ metadata: { name: 'b' } }),
        metadata: { name: 'b', namespace: 'default', labels: shared, annotations: shared },
      },
    ]);
    const out = exportYaml(s);
    expect(out).toContain(`long: ${long}\n`);
    expect(out).not.toMatch(/[&*]\w/);
    expect(parseManifests(out).map((d) => d.raw)).toEqual(s.list('Pod'));
  });
});
