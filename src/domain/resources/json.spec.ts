import { describe, expect, it } from '@jest/globals';
import { canonicalJson, clone, deepFreeze, isPlainObject, jsonEqual, mergePatch } from './json.js';

describe('canonicalJson', () => {
  it.each<{ name: string; value: unknown; want: string }>([
    { name: 'keys sorted', value: { b: 1, a: 2 }, want: '{"a":2,"b":1}' },
    {
      name: 'nested keys sorted',
      value: { z: { y: 1, x: [{ d: 1, c: 2 }] } },
      want: '{"z":{"x":[{"c":2,"d":1}],"y":1}}',
    },
    { name: 'array order kept', value: [3, 1, 2], want: '[3,1,2]' },
    { name: 'undefined members dropped', value: { a: undefined, b: null }, want: '{"b":null}' },
    { name: 'strings escaped', value: { 'k"': 'line\nbreak' }, want: '{"k\\"":"line\\nbreak"}' },
    { name: 'scalars', value: [true, 0, -1.5, 'x', null], want: '[true,0,-1.5,"x",null]' },
    { name: 'empty object and array', value: { a: {}, b: [] }, want: '{"a":{},"b":[]}' },
    { name: 'top-level undefined', value: undefined, want: 'null' },
  ])('$name', ({ value, want }) => {
    expect(canonicalJson(value)).toBe(want);
  });
});

describe('jsonEqual', () => {
  it.each<{ name: string; a: unknown; b: unknown; want: boolean }>([
    {
      name: 'same content, other key order',
      a: { a: 1, b: { c: 2, d: 3 } },
      b: { b: { d: 3, c: 2 }, a: 1 },
      want: true,
    },
    { name: 'an undefined member equals an absent one', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
    { name: 'arrays in another order', a: [1, 2], b: [2, 1], want: false },
    { name: 'null is not absent', a: { a: null }, b: {}, want: false },
    { name: 'number and string differ', a: { port: 80 }, b: { port: '80' }, want: false },
    {
      name: 'nested difference',
      a: { a: { b: [1, { c: 1 }] } },
      b: { a: { b: [1, { c: 2 }] } },
      want: false,
    },
  ])('$name', ({ a, b, want }) => {
    expect(jsonEqual(a, b)).toBe(want);
  });
});

describe('mergePatch (RFC 7386)', () => {
  // The test cases of RFC 7386 Appendix A.
  it.each<{ name: string; target: unknown; patch: unknown; want: unknown }>([
    { name: 'replace a member', target: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'add a member', target: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { name: 'null removes a member', target: { a: 'b' }, patch: { a: null }, want: {} },
    {
      name: 'null removes only that member',
      target: { a: 'b', b: 'c' },
      patch: { a: null },
      want: { b: 'c' },
    },
    { name: 'a scalar replaces an array', target: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'an array replaces a scalar', target: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
    {
      name: 'nested objects merge',
      target: { a: { b: 'c' } },
      patch: { a: { b: 'd', c: null } },
      want: { a: { b: 'd' } },
    },
    {
      name: 'arrays are replaced, not merged',
      target: { a: [{ b: 'c' }] },
      patch: { a: [1] },
      want: { a: [1] },
    },
    { name: 'array patch on an array', target: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
    { name: 'array patch on an object', target: { a: 'b' }, patch: ['c'], want: ['c'] },
    { name: 'null patch', target: { a: 'foo' }, patch: null, want: null },
    { name: 'string patch', target: { a: 'foo' }, patch: 'bar', want: 'bar' },
    { name: 'null in the target stays', target: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
    { name: 'object patch on an array', target: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
    {
      name: 'null inside a new object is dropped',
      target: {},
      patch: { a: { bb: { ccc: null } } },
      want: { a: { bb: {} } },
    },
    // Section 3's example.
    {
      name: 'the RFC section 3 example',
      target: {
        title: 'Goodbye!',
        author: { givenName: 'John', familyName: 'Doe' },
        tags: ['example', 'sample'],
        content: 'This will be unchanged',
      },
      patch: {
        title: 'Hello!',
        phoneNumber: '+01-123-456-7890',
        author: { familyName: null },
        tags: ['example'],
      },
      want: {
        title: 'Hello!',
        author: { givenName: 'John' },
        tags: ['example'],
        content: 'This will be unchanged',
        phoneNumber: '+01-123-456-7890',
      },
    },
    // Beyond the RFC's table.
    { name: 'empty patch changes nothing', target: { a: { b: 1 } }, patch: {}, want: { a: { b: 1 } } },
    { name: 'removing a member that is not there', target: { a: 1 }, patch: { z: null }, want: { a: 1 } },
    { name: 'nulls inside arrays are kept', target: {}, patch: { a: [null, 1] }, want: { a: [null, 1] } },
    { name: 'an object replaces a scalar', target: { a: 1 }, patch: { a: { b: 2 } }, want: { a: { b: 2 } } },
  ])('$name', ({ target, patch, want }) => {
    expect(mergePatch(target, patch)).toEqual(want);
  });

  it('does not modify the target or the patch', () => {
    const target = deepFreeze({ metadata: { labels: { a: '1', b: '2' } }, spec: { ports: [{ port: 80 }] } });
    const patch = deepFreeze({ metadata: { labels: { a: null, c: '3' } } });
    expect(mergePatch(target, patch)).toEqual({
      metadata: { labels: { b: '2', c: '3' } },
      spec: { ports: [{ port: 80 }] },
    });
    expect(target.metadata.labels).toEqual({ a: '1', b: '2' });
  });
});

describe('deepFreeze', () => {
  it('freezes every nested object and array and returns the same value', () => {
    const v = { a: { b: [{ c: 1 }] }, d: [1, 2] };
    expect(deepFreeze(v)).toBe(v);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(Object.isFrozen(v.a.b)).toBe(true);
    expect(Object.isFrozen(v.a.b[0])).toBe(true);
    expect(Object.isFrozen(v.d)).toBe(true);
    expect(() => {
      (v.a.b[0] as { c: number }).c = 2;
    }).toThrow(TypeError);
  });

  it.each([
    { name: 'null', value: null },
    { name: 'a number', value: 3 },
    { name: 'a string', value: 'x' },
    { name: 'undefined', value: undefined },
  ])('passes $name through', ({ value }) => {
    expect(deepFreeze(value)).toBe(value);
  });

  it('handles shared and already frozen parts', () => {
    const shared = deepFreeze({ x: 1 });
    const v = deepFreeze({ a: shared, b: shared, c: { d: shared } });
    expect(Object.isFrozen(v.c)).toBe(true);
  });
});

describe('clone and isPlainObject', () => {
  it('clones deeply into an unfrozen copy', () => {
    const v = deepFreeze({ a: { b: [1] } });
    const c = clone(v);
    expect(c).toEqual(v);
    expect(c.a).not.toBe(v.a);
    expect(Object.isFrozen(c)).toBe(false);
  });

  it.each<{ name: string; value: unknown; want: boolean }>([
    { name: 'an object', value: {}, want: true },
    { name: 'an array', value: [], want: false },
    { name: 'null', value: null, want: false },
    { name: 'a string', value: 'x', want: false },
  ])('isPlainObject: $name', ({ value, want }) => {
    expect(isPlainObject(value)).toBe(want);
  });
});
