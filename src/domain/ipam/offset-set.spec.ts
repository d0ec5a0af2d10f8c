import { describe, expect, it } from '@jest/globals';
import { OffsetSet } from './offset-set.js';

/** A set of `size` with the given offsets taken. */
function setWith(size: number, ...offsets: number[]): OffsetSet {
  const s = new OffsetSet(size);
  for (const o of offsets) s.add(o);
  return s;
}

/** A set of `size` with every offset of [from, to) taken. */
function filled(size: number, from: number, to: number): OffsetSet {
  const s = new OffsetSet(size);
  for (let o = from; o < to; o++) s.add(o);
  return s;
}

describe('OffsetSet add / delete / has / count', () => {
  it('starts empty', () => {
    const s = new OffsetSet(10_000);
    expect(s.count).toBe(0);
    expect(s.size).toBe(10_000);
    expect(s.has(0)).toBe(false);
    expect(s.has(9_999)).toBe(false);
  });

  it.each([
    { name: 'offset 0', offset: 0 },
    { name: 'last bit of the first word', offset: 31 },
    { name: 'first bit of the second word', offset: 32 },
    { name: 'last offset of the first chunk', offset: 4095 },
    { name: 'first offset of the second chunk', offset: 4096 },
    { name: 'last offset of the set', offset: 9_999 },
  ])('add then delete $name ($offset)', ({ offset }) => {
    const s = new OffsetSet(10_000);
    expect(s.add(offset)).toBe(true);
    expect(s.has(offset)).toBe(true);
    expect(s.count).toBe(1);
    // Neighbours are untouched.
    if (offset > 0) expect(s.has(offset - 1)).toBe(false);
    if (offset < 9_999) expect(s.has(offset + 1)).toBe(false);
    expect(s.delete(offset)).toBe(true);
    expect(s.has(offset)).toBe(false);
    expect(s.count).toBe(0);
  });

  it('counts distinct offsets across chunks', () => {
    const s = setWith(20_000, 1, 2, 4096, 8192, 19_999);
    expect(s.count).toBe(5);
    expect([1, 2, 4096, 8192, 19_999].every((o) => s.has(o))).toBe(true);
  });

  it.each([
    { name: 'never taken', taken: [] as number[], offset: 5 },
    { name: 'in a chunk that exists, bit clear', taken: [4], offset: 5 },
    { name: 'in a chunk that was never written', taken: [4], offset: 5000 },
  ])('delete of a free offset is a no-op returning false: $name', ({ taken, offset }) => {
    const s = setWith(10_000, ...taken);
    expect(s.delete(offset)).toBe(false);
    expect(s.count).toBe(taken.length);
  });

  it('has() is false outside [0, size)', () => {
    const s = setWith(100, 0, 99);
    expect(s.has(100)).toBe(false);
    expect(s.has(1_000_000)).toBe(false);
  });
});

describe('OffsetSet multi-holder refcount', () => {
  it('an offset held twice is free again only after the second delete', () => {
    const s = new OffsetSet(64);
    expect(s.add(7)).toBe(true);
    expect(s.add(7)).toBe(false);
    expect(s.count).toBe(1);
    expect(s.delete(7)).toBe(false);
    expect(s.has(7)).toBe(true);
    expect(s.count).toBe(1);
    expect(s.lowestFree(7, 8)).toBe(-1);
    expect(s.delete(7)).toBe(true);
    expect(s.has(7)).toBe(false);
    expect(s.count).toBe(0);
    expect(s.lowestFree(7, 8)).toBe(7);
  });

  it.each([
    { name: 'three holders, two deletes', holders: 3, deletes: 2, held: true },
    { name: 'three holders, three deletes', holders: 3, deletes: 3, held: false },
    { name: 'one holder, two deletes', holders: 1, deletes: 2, held: false },
  ])('$name', ({ holders, deletes, held }) => {
    const s = new OffsetSet(64);
    for (let i = 0; i < holders; i++) s.add(9);
    for (let i = 0; i < deletes; i++) s.delete(9);
    expect(s.has(9)).toBe(held);
    expect(s.count).toBe(held ? 1 : 0);
  });
});

describe('OffsetSet.lowestFree', () => {
  it.each<{ name: string; set: () => OffsetSet; from: number; to: number; want: number }>([
    { name: 'empty set', set: () => new OffsetSet(100), from: 0, to: 100, want: 0 },
    { name: 'empty set from an offset', set: () => new OffsetSet(100), from: 42, to: 100, want: 42 },
    { name: 'first offsets taken', set: () => setWith(100, 0, 1, 2), from: 0, to: 100, want: 3 },
    { name: 'a hole below the rest', set: () => setWith(100, 0, 2), from: 0, to: 100, want: 1 },
    { name: 'the hole below `from` is ignored', set: () => setWith(100, 2, 3), from: 2, to: 100, want: 4 },
    { name: 'negative from starts at 0', set: () => setWith(100, 0), from: -5, to: 100, want: 1 },
    { name: 'to past size is cut to size', set: () => filled(10, 0, 10), from: 0, to: 1000, want: -1 },
    { name: 'empty window', set: () => new OffsetSet(100), from: 5, to: 5, want: -1 },
    { name: 'window fully taken', set: () => filled(100, 10, 20), from: 10, to: 20, want: -1 },
    { name: 'free offset found only past `to`', set: () => filled(100, 0, 50), from: 0, to: 50, want: -1 },
    { name: 'first word full: next word', set: () => filled(100, 0, 32), from: 0, to: 100, want: 32 },
    {
      name: 'two full words: third word',
      set: () => filled(200, 0, 64),
      from: 0,
      to: 200,
      want: 64,
    },
    {
      name: 'word boundary from the middle of a full word',
      set: () => filled(100, 0, 40),
      from: 17,
      to: 100,
      want: 40,
    },
    {
      name: 'bit 31 is the only free bit of the first word',
      set: () => filled(100, 0, 31),
      from: 0,
      to: 100,
      want: 31,
    },
    {
      name: 'full first chunk is skipped',
      set: () => filled(10_000, 0, 4096),
      from: 0,
      to: 10_000,
      want: 4096,
    },
    {
      name: 'two full chunks are skipped',
      set: () => filled(10_000, 0, 8192),
      from: 0,
      to: 10_000,
      want: 8192,
    },
    {
      name: 'full chunk then a partly used one',
      set: () => filled(10_000, 0, 4100),
      from: 0,
      to: 10_000,
      want: 4100,
    },
    {
      name: 'free bits of a chunk lie below `from`: next chunk',
      set: () => filled(10_000, 100, 4096),
      from: 200,
      to: 10_000,
      want: 4096,
    },
    {
      name: 'last offset of a chunk',
      set: () => filled(10_000, 0, 4095),
      from: 0,
      to: 10_000,
      want: 4095,
    },
    {
      name: 'partial last chunk, all taken',
      set: () => filled(5000, 0, 5000),
      from: 0,
      to: 5000,
      want: -1,
    },
    {
      name: 'partial last chunk, its last offset free',
      set: () => filled(5000, 0, 4999),
      from: 0,
      to: 5000,
      want: 4999,
    },
    {
      name: 'a set smaller than one word, full',
      set: () => filled(5, 0, 5),
      from: 0,
      to: 5,
      want: -1,
    },
  ])('$name', ({ set, from, to, want }) => {
    expect(set().lowestFree(from, to)).toBe(want);
  });

  it('stays correct while a 12,288-offset set fills up offset by offset', () => {
    const s = new OffsetSet(12_288);
    for (let i = 0; i < 12_288; i++) {
      expect(s.lowestFree(0, 12_288)).toBe(i);
      s.add(i);
    }
    expect(s.lowestFree(0, 12_288)).toBe(-1);
    expect(s.count).toBe(12_288);
    s.delete(5000);
    expect(s.lowestFree(0, 12_288)).toBe(5000);
  });
});

describe('OffsetSet.clone (copy-on-write)', () => {
  it('a clone starts with what the original holds', () => {
    const a = setWith(10_000, 1, 4096, 9000);
    const b = a.clone();
    expect(b.count).toBe(3);
    expect([1, 4096, 9000].every((o) => b.has(o))).toBe(true);
    expect(b.size).toBe(10_000);
  });

  it.each<{ name: string; write: (s: OffsetSet) => void; offset: number; held: boolean }>([
    { name: 'add in a shared chunk', write: (s) => s.add(2), offset: 2, held: true },
    { name: 'add in a chunk neither side had', write: (s) => s.add(5000), offset: 5000, held: true },
    { name: 'delete in a shared chunk', write: (s) => s.delete(1), offset: 1, held: false },
  ])('a write to the clone does not reach the original: $name', ({ write, offset, held }) => {
    const a = setWith(10_000, 1, 4096);
    const b = a.clone();
    write(b);
    expect(b.has(offset)).toBe(held);
    expect(a.has(offset)).toBe(!held);
    expect(a.count).toBe(2);
  });

  it.each<{ name: string; write: (s: OffsetSet) => void; offset: number; held: boolean }>([
    { name: 'add in a shared chunk', write: (s) => s.add(2), offset: 2, held: true },
    { name: 'delete in a shared chunk', write: (s) => s.delete(4096), offset: 4096, held: false },
  ])('a write to the original does not reach the clone: $name', ({ write, offset, held }) => {
    const a = setWith(10_000, 1, 4096);
    const b = a.clone();
    write(a);
    expect(a.has(offset)).toBe(held);
    expect(b.has(offset)).toBe(!held);
    expect(b.count).toBe(2);
  });

  it('holder counts are private to each side', () => {
    const a = setWith(64, 3, 3);
    const b = a.clone();
    b.delete(3);
    b.delete(3);
    expect(b.has(3)).toBe(false);
    expect(a.has(3)).toBe(true);
    expect(a.delete(3)).toBe(false);
    expect(a.has(3)).toBe(true);
  });

  it('lowestFree of each side sees only its own writes', () => {
    const a = filled(10_000, 0, 4096);
    const b = a.clone();
    b.add(4096);
    a.delete(10);
    expect(a.lowestFree(0, 10_000)).toBe(10);
    expect(b.lowestFree(0, 10_000)).toBe(4097);
  });

  it('a clone of a clone is isolated from both', () => {
    const a = setWith(100, 1);
    const b = a.clone();
    b.add(2);
    const c = b.clone();
    c.add(3);
    expect([a.has(2), a.has(3)]).toEqual([false, false]);
    expect([b.has(2), b.has(3)]).toEqual([true, false]);
    expect([c.has(1), c.has(2), c.has(3)]).toEqual([true, true, true]);
    expect([a.count, b.count, c.count]).toEqual([1, 2, 3]);
  });
});

describe('OffsetSet range checks', () => {
  it.each([
    { name: 'negative', offset: -1 },
    { name: 'equal to size', offset: 100 },
    { name: 'past size', offset: 4096 },
    { name: 'fractional', offset: 1.5 },
    { name: 'NaN', offset: Number.NaN },
  ])('add refuses an offset outside [0, size): $name', ({ offset }) => {
    const s = new OffsetSet(100);
    expect(() => s.add(offset)).toThrow(RangeError);
    expect(() => s.add(offset)).toThrow(`offset ${offset} is outside [0, 100)`);
    expect(s.count).toBe(0);
  });
});
