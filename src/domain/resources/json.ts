/** Small JSON helpers the write path needs: deep equality by canonical form, merge patch, deep freeze. */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `{ ...source, ...fields }`, built by assignment instead. Node 20 gives each object made with spread
 * syntax a map that Object.freeze cannot share: freezing one allocates a new map, and reads of the frozen
 * object then miss their inline caches. Stored objects are all frozen, so the write path copies with this
 * (on an import, freezing spread copies cost more than the SQL). Same keys, order and values as the
 * spread; a source with an own `__proto__` key (JSON.parse makes those) is left to the spread, which
 * defines that key where assignment would set the prototype.
 */
export function copyWith<T extends object>(source: T | null | undefined, fields?: Partial<T>): Mutable<T> {
  const out = (
    source === null || source === undefined
      ? {}
      : Object.hasOwn(source, '__proto__')
        ? { ...source }
        : Object.assign({}, source)
  ) as Mutable<T>;
  return fields === undefined ? out : Object.assign(out, fields);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted, so two objects with the same content give the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const base: Record<string, unknown> = isPlainObject(target) ? target : {};
  const removed = new Set(Object.keys(patch).filter((k) => patch[k] === null));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) if (!removed.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(patch)) if (v !== null) out[k] = mergePatch(base[k], v);
  return out;
}

/**
 * Freezes a value and everything it holds; frozen parts are taken as frozen all the way down. Plain
 * loops rather than Object.values: every stored object goes through here, and an array allocated per
 * node made freezing cost three times as much (bench/import).
 */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) freezeTree(v);
  return v;
}

function freezeTree(v: object): void {
  Object.freeze(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) freezeTree(x);
    }
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const x = o[k];
    if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) freezeTree(x);
  }
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
