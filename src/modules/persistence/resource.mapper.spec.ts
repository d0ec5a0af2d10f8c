import { describe, expect, it } from '@jest/globals';
import { aNamespace, aNode, aPod, aService } from '../../../test/factories/objects.js';
import type { KubeObject } from '../../domain/model/types.js';
import { ResourceEntity } from './resource.entity.js';
import { fromResourceBody, toResourceEntity } from './resource.mapper.js';

const stored = <T extends KubeObject>(o: T, uid: string, resourceVersion: string): T => ({
  ...o,
  metadata: { ...o.metadata, uid, resourceVersion },
});

describe('toResourceEntity', () => {
  it.each([
    {
      name: 'a namespaced object',
      obj: stored(aPod(), 'u-1', '12'),
      row: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-1', resourceVersion: '12' },
    },
    {
      name: 'a service in another namespace',
      obj: stored(aService({ metadata: { namespace: 'shop' } }), 'u-2', '3'),
      row: { kind: 'Service', namespace: 'shop', name: 'web', uid: 'u-2', resourceVersion: '3' },
    },
    {
      name: "a namespace (cluster-scoped: namespace '')",
      obj: stored(aNamespace({ metadata: { name: 'shop' } }), 'u-3', '1'),
      row: { kind: 'Namespace', namespace: '', name: 'shop', uid: 'u-3', resourceVersion: '1' },
    },
    {
      name: "a node (cluster-scoped: namespace '')",
      obj: stored(aNode(), 'u-4', '99'),
      row: { kind: 'Node', namespace: '', name: 'node-1', uid: 'u-4', resourceVersion: '99' },
    },
    {
      name: 'an object not yet committed',
      obj: aPod(),
      row: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: '', resourceVersion: '0' },
    },
  ])('keys $name', ({ obj, row }) => {
    const e = toResourceEntity(obj);
    expect(e).toBeInstanceOf(ResourceEntity);
    expect({
      kind: e.kind,
      namespace: e.namespace,
      name: e.name,
      uid: e.uid,
      resourceVersion: e.resourceVersion,
    }).toEqual(row);
    expect(JSON.parse(e.body)).toEqual(obj);
  });
});

describe('fromResourceBody', () => {
  const obj = stored(
    aPod({
      metadata: { labels: { app: 'web' }, annotations: { 'x/y': 'z' } },
      spec: { containers: [{ name: 'app', ...{ env: [{ name: 'A', value: '1' }] } }] },
    }),
    'u-1',
    '7',
  );

  it('gives back the object stored by toResourceEntity, unmodelled fields included', () => {
    expect(fromResourceBody(toResourceEntity(obj).body)).toEqual(obj);
  });

  it('returns a deeply frozen object', () => {
    const back = fromResourceBody(toResourceEntity(obj).body) as typeof obj;
    expect(Object.isFrozen(back)).toBe(true);
    expect(Object.isFrozen(back.metadata)).toBe(true);
    expect(Object.isFrozen(back.metadata.labels)).toBe(true);
    expect(Object.isFrozen(back.spec.containers[0])).toBe(true);
    expect(() => {
      (back.metadata as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('throws on a body that is not JSON', () => {
    expect(() => fromResourceBody('{')).toThrow(SyntaxError);
  });
});
