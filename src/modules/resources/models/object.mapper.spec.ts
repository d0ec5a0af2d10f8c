import { describe, expect, it } from '@jest/globals';
import { aPod } from '../../../../test/factories/objects.js';
import type { Pod } from '../../../domain/model/types.js';
import type { ListResult } from '../resources.service.js';
import { toListModel, toModel } from './object.mapper.js';

describe('toModel', () => {
  it('is the object plus manifest, the whole object', () => {
    const pod = aPod({ status: { podIP: '10.244.1.5' } });
    const m = toModel(pod);
    expect(m).toEqual({ ...pod, manifest: pod });
    expect(m.manifest).toBe(pod);
    expect(m.metadata).toBe(pod.metadata);
    expect(m).not.toBe(pod);
    expect('manifest' in pod).toBe(false);
  });
});

describe('toListModel', () => {
  const pods = [aPod({ metadata: { name: 'a' } }), aPod({ metadata: { name: 'b' } })];
  it.each<{ name: string; result: ListResult<Pod>; pageInfo: { endCursor?: string; hasNextPage: boolean } }>([
    {
      name: 'the last page',
      result: { items: pods, total: 2, resourceVersion: '9' },
      pageInfo: { endCursor: undefined, hasNextPage: false },
    },
    {
      name: 'a page with more after it',
      result: { items: pods, total: 5, resourceVersion: '9', continue: 'tok', remainingItemCount: 3 },
      pageInfo: { endCursor: 'tok', hasNextPage: true },
    },
    {
      name: 'an empty list',
      result: { items: [], total: 0, resourceVersion: '1' },
      pageInfo: { endCursor: undefined, hasNextPage: false },
    },
  ])('$name', ({ result, pageInfo }) => {
    const m = toListModel(result);
    expect(m.pageInfo).toEqual(pageInfo);
    expect(m.totalCount).toBe(result.total);
    expect(m.items.map((i) => i.metadata.name)).toEqual(result.items.map((i) => i.metadata.name));
    expect(m.items.every((i, n) => (i.manifest as unknown) === result.items[n])).toBe(true);
  });
});
