import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../domain/errors.js';
import { decodeContinue, encodeContinue, paginate } from './pagination.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const key = (s: string) => s;

/** Follows continue tokens to the end and returns the pages. */
function walk(list: readonly string[], limit: number): string[][] {
  const pages: string[][] = [];
  let cont: string | undefined;
  do {
    const p = paginate(list, key, limit, cont);
    pages.push([...p.items]);
    cont = p.continue;
  } while (cont !== undefined && pages.length < 100);
  return pages;
}

describe('paginate', () => {
  it.each<{
    name: string;
    limit: number | undefined;
    items: string[];
    continues: boolean;
    remaining?: number;
  }>([
    { name: 'no limit: everything', limit: undefined, items: items, continues: false },
    { name: 'limit 0 means no limit', limit: 0, items: items, continues: false },
    { name: 'a negative limit means no limit', limit: -1, items: items, continues: false },
    { name: 'limit 2: first page', limit: 2, items: ['a', 'b'], continues: true, remaining: 3 },
    { name: 'limit equal to the size: no token', limit: 5, items: items, continues: false },
    { name: 'limit above the size: no token', limit: 50, items: items, continues: false },
  ])('$name', ({ limit, items: want, continues, remaining }) => {
    const p = paginate(items, key, limit);
    expect(p.items).toEqual(want);
    expect(p.continue !== undefined).toBe(continues);
    expect(p.remainingItemCount).toBe(remaining);
  });

  it.each([
    { limit: 1, pages: [['a'], ['b'], ['c'], ['d'], ['e']] },
    { limit: 2, pages: [['a', 'b'], ['c', 'd'], ['e']] },
    {
      limit: 3,
      pages: [
        ['a', 'b', 'c'],
        ['d', 'e'],
      ],
    },
  ])('walks every item once with limit $limit', ({ limit, pages }) => {
    expect(walk(items, limit)).toEqual(pages);
  });

  it('continues after the last key even when items were added or removed meanwhile', () => {
    const first = paginate(items, key, 2);
    // "b" (the cursor) is deleted, "bb" is added after it and "a0" before it.
    const changed = ['a', 'a0', 'bb', 'c', 'd', 'e'];
    expect(paginate(changed, key, 2, first.continue).items).toEqual(['bb', 'c']);
  });

  it('finds the position by binary search on the sort key', () => {
    const big = Array.from({ length: 1000 }, (_, i) => `k${String(i).padStart(4, '0')}`);
    let calls = 0;
    const counting = (s: string) => {
      calls++;
      return s;
    };
    const p = paginate(big, counting, 10, encodeContinue('k0500'));
    expect(p.items[0]).toBe('k0501');
    expect(p.remainingItemCount).toBe(1000 - 501 - 10);
    expect(calls).toBeLessThan(20);
  });

  it('gives an empty last page for a cursor past the end', () => {
    expect(paginate(items, key, 2, encodeContinue('zzz'))).toEqual({ items: [] });
  });

  it('uses the object key (namespace, NUL, name) order of the list', () => {
    const objs = [{ k: 'a\u0000x' }, { k: 'a\u0000y' }, { k: 'a-b\u0000a' }];
    const p = paginate(objs, (o) => o.k, 1, encodeContinue('a\u0000y'));
    expect(p.items).toEqual([{ k: 'a-b\u0000a' }]);
  });
});

describe('continue tokens', () => {
  it.each(['a', 'default\u0000web-0', 'ünïcødé/ключ', ''])('round-trips %j', (k) => {
    const t = encodeContinue(k);
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeContinue(t)).toBe(k);
  });

  it.each([
    { name: 'not base64 JSON', token: 'garbage!!' },
    {
      name: 'JSON without the version',
      token: Buffer.from(JSON.stringify({ k: 'a' })).toString('base64url'),
    },
    { name: 'another version', token: Buffer.from(JSON.stringify({ v: 2, k: 'a' })).toString('base64url') },
    {
      name: 'a key that is not a string',
      token: Buffer.from(JSON.stringify({ v: 1, k: 3 })).toString('base64url'),
    },
    { name: 'JSON null', token: Buffer.from('null').toString('base64url') },
  ])('refuses $name with BadRequest', ({ token }) => {
    expect(() => decodeContinue(token)).toThrow(
      new DomainError('BadRequest', `invalid continue token ${JSON.stringify(token)}`),
    );
    expect(() => paginate(items, key, 2, token)).toThrow(DomainError);
  });
});
