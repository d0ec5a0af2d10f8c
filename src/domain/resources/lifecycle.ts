/**
 * The write path's meaning, as the API server's registry applies it: strip what clients may not set,
 * default, validate, check existence and preconditions, and decide what is written. Everything here is
 * pure: it reads a view of the cluster and returns planned writes; the adapter commits them.
 */
import { alreadyExists, DomainError, notFound, staleConflict } from '../errors.js';
import { KINDS, type KindInfo, type KindName } from '../model/kinds.js';
import { namespaceOf, type KubeObject, type ObjectMeta, type ObjectOf } from '../model/types.js';
import { validateCreate, validateUpdate } from '../validation/index.js';
import { invalid, invalidObject, type FieldError } from '../validation/field-errors.js';
import { prepareForUpdate } from './carry-over.js';
import { withDefaults } from './defaults.js';
import { canonicalJson, copyWith, deepFreeze, isPlainObject, mergePatch } from './json.js';

/** What the planner reads: the committed state, possibly overlaid with writes planned earlier in the batch. */
export interface StateView {
  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined;
  list<K extends KindName>(kind: K, opts?: { namespace?: string }): readonly ObjectOf<K>[];
}

export interface WriteContext {
  /** RFC 3339 time of the write, e.g. 2026-11-23T10:00:00Z. */
  readonly now: string;
  readonly newUid: () => string;
  /** Five characters for generateName, from the API server's alphabet. */
  readonly randomSuffix: () => string;
  /** Structural checks done at the edge (class-validator); the domain only reports their result. */
  readonly checkStructure?: (kind: KindName, raw: unknown) => FieldError[];
  /**
   * The batch's allocation step (IPAM, scheduling): each planned write passes through it before the next
   * is planned. Absent, objects are stored as validated.
   */
  readonly admission?: Admission;
}

export interface Admission {
  admit(w: PlannedWrite, view: StateView): PlannedWrite;
}

export type WriteType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface PlannedWrite {
  readonly type: WriteType;
  /**
   * The object to store (DELETED: the object being removed). resourceVersion is set at commit, in place
   * when the object and its metadata are not frozen (see stampResourceVersion): an unfrozen object here
   * belongs to this write, never to a caller or another write.
   */
  readonly object: KubeObject;
  readonly previous?: KubeObject;
}

/** Namespaces the API server refuses to delete. */
export const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** Metadata fields only the server sets; a client's values are dropped (as on create). */
const SERVER_FIELDS: ReadonlySet<string> = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

function infoOf(o: KubeObject): KindInfo {
  return KINDS[o.kind];
}

/** A copy with new metadata; copyWith rather than spread, as everything it makes is frozen when stored. */
function withMeta<T extends KubeObject>(o: T, meta: ObjectMeta): T {
  return copyWith<KubeObject>(o, { metadata: meta }) as T;
}

/** A copy without the server's fields, keys in the client's order (a loop: it runs for every write). */
function stripServerFields(meta: ObjectMeta): MutableMeta {
  const out: Record<string, unknown> = {};
  for (const k in meta) {
    if (Object.hasOwn(meta, k) && !SERVER_FIELDS.has(k)) out[k] = meta[k as keyof ObjectMeta];
  }
  return out as MutableMeta;
}

function throwIfInvalid(o: KubeObject, errors: FieldError[]): void {
  if (errors.length > 0) {
    const k = infoOf(o);
    throw invalidObject(o.kind, k.group, o.metadata.name || o.metadata.generateName || '', errors);
  }
}

/** The part of an object whose change bumps metadata.generation (everything but metadata and status). */
function specPart(o: KubeObject): string {
  const rest: Record<string, unknown> = { ...o };
  delete rest.metadata;
  delete rest.status;
  return canonicalJson(rest);
}

/** Content for the unchanged check: everything except what the server rewrites on each write. */
function contentOf(o: KubeObject): string {
  const meta: Record<string, unknown> = { ...o.metadata };
  delete meta.resourceVersion;
  delete meta.generation;
  delete meta.managedFields;
  return canonicalJson({ ...o, metadata: meta });
}

/**
 * The object as committed: `resourceVersion` set and everything frozen. A planned object is normally
 * fresh (the planner built it for this write), so it is stamped in place: copying 15,000 objects and
 * their metadata again on an import cost more than the freeze. A frozen object or metadata (a state
 * object, or metadata an earlier write of the batch already stamped) is copied, so nothing committed or
 * shared changes under a reader.
 */
export function stampResourceVersion(o: KubeObject, resourceVersion: string): KubeObject {
  if (!Object.isFrozen(o) && !Object.isFrozen(o.metadata)) {
    (o.metadata as MutableMeta).resourceVersion = resourceVersion;
    return deepFreeze(o);
  }
  // copyWith, not spread: spread copies are slow to freeze (see copyWith).
  return deepFreeze(copyWith<KubeObject>(o, { metadata: copyWith(o.metadata, { resourceVersion }) }));
}

export function requireStructure(kind: KindName, raw: unknown, ctx: WriteContext): void {
  const errs = ctx.checkStructure?.(kind, raw) ?? [];
  if (errs.length > 0) {
    const k = KINDS[kind];
    const meta = isPlainObject(raw) && isPlainObject(raw.metadata) ? raw.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const err = invalidObject(kind, k.group, name, errs);
    // A body of the wrong shape cannot be decoded: the API server answers 400, not 422.
    throw new DomainError(
      'BadRequest',
      `${kind} in version "${k.version}" cannot be handled as a ${kind}: ${err.message.replace(/^.*? is invalid: /, '')}`,
      err.details,
    );
  }
}

export function planCreate(view: StateView, input: KubeObject, ctx: WriteContext): PlannedWrite {
  const k = infoOf(input);
  // Filled in on the fresh copy (the server's fields were stripped, so they go last, in this order)
  // rather than spread into new objects again: this runs for every object of an import.
  const meta = stripServerFields(input.metadata ?? ({} as ObjectMeta));
  if (!meta.name && meta.generateName) {
    // SimpleNameGenerator: the base is cut to 58 characters so base + 5 random ones fit in 63.
    meta.name = `${meta.generateName.slice(0, 58)}${ctx.randomSuffix()}`;
  }
  meta.uid = ctx.newUid();
  meta.creationTimestamp = ctx.now;
  if (k.tracksGeneration) meta.generation = 1;
  const obj = withDefaults(withMeta(input, meta));
  throwIfInvalid(obj, validateCreate(obj));
  const ns = namespaceOf(obj);
  if (k.namespaced && !view.get('Namespace', '', ns)) throw notFound('namespaces', ns);
  if (view.get(obj.kind, ns, obj.metadata.name)) throw alreadyExists(k.plural, obj.metadata.name, k.group);
  const w: PlannedWrite = { type: 'ADDED', object: obj };
  return ctx.admission ? ctx.admission.admit(w, view) : w;
}

export interface UpdateOptions {
  /**
   * Hold the body to its metadata.resourceVersion (409 when stale) and metadata.uid (422 when it names
   * another object), as REST PUT/PATCH do. Apply, an import of snapshots, ignores both.
   */
  readonly checkPreconditions: boolean;
}

/** Replaces an object. Returns undefined when nothing would change (no new resourceVersion is spent). */
export function planUpdate(
  view: StateView,
  input: KubeObject,
  ctx: WriteContext,
  opts: UpdateOptions,
): PlannedWrite | undefined {
  const k = infoOf(input);
  const ns = input.metadata?.namespace ?? '';
  const name = input.metadata?.name ?? '';
  const old = view.get(input.kind, ns, name);
  if (!old) throw notFound(k.plural, name, k.group);
  // The uid names one incarnation of the object; a body with another one is refused, not rewritten
  // (apply, an import of snapshots taken elsewhere, ignores both the uid and the resourceVersion).
  const wantUid = input.metadata.uid;
  if (opts.checkPreconditions && wantUid && wantUid !== old.metadata.uid) {
    throwIfInvalid(input, [invalid('metadata.uid', wantUid, 'field is immutable')]);
  }
  const wantRv = input.metadata.resourceVersion;
  if (opts.checkPreconditions && wantRv && wantRv !== old.metadata.resourceVersion) {
    throw staleConflict(k.plural, name, k.group);
  }
  const meta = stripServerFields(input.metadata);
  meta.uid = old.metadata.uid;
  meta.creationTimestamp = old.metadata.creationTimestamp;
  if (k.tracksGeneration) meta.generation = old.metadata.generation ?? 1;
  // The model has no kubelet or controllers: status is data users supply. A body without status keeps
  // the stored one, as an update of the main resource does in Kubernetes.
  let next = withMeta(input, meta);
  if (!('status' in input) && 'status' in old)
    next = copyWith<KubeObject>(next, {
      status: (old as { status?: unknown }).status,
    } as Partial<KubeObject>);
  // As upstream: defaults when the body is decoded, then the registry's update preparation.
  next = prepareForUpdate(withDefaults(next), old);
  throwIfInvalid(next, validateUpdate(next, old));
  // Allocation runs before the comparison: what it fills in (carried-over addresses, inferred IP
  // families) is what the stored object already has, so a re-apply of the same manifest is unchanged.
  if (ctx.admission)
    next = ctx.admission.admit({ type: 'MODIFIED', object: next, previous: old }, view).object;
  if (contentOf(next) === contentOf(old)) return undefined;
  if (k.tracksGeneration && specPart(next) !== specPart(old)) {
    next = withMeta(next, copyWith(next.metadata, { generation: (old.metadata.generation ?? 1) + 1 }));
  }
  return { type: 'MODIFIED', object: next, previous: old };
}

/** RFC 7386 merge patch of a stored object. */
export function planPatch(
  view: StateView,
  kind: KindName,
  namespace: string,
  name: string,
  patch: unknown,
  ctx: WriteContext,
): PlannedWrite | undefined {
  const k = KINDS[kind];
  const old = view.get(kind, namespace, name);
  if (!old) throw notFound(k.plural, name, k.group);
  if (!isPlainObject(patch)) throw new DomainError('BadRequest', 'the patch must be a JSON object');
  const merged = mergePatch(old, patch);
  requireStructure(kind, merged, ctx);
  const m = merged as KubeObject;
  if (m.kind !== old.kind || m.apiVersion !== old.apiVersion) {
    throw new DomainError(
      'BadRequest',
      `the patch may not change apiVersion or kind (${old.apiVersion} ${old.kind})`,
    );
  }
  if (m.metadata?.name !== name || namespaceOf(m) !== namespace) {
    throw new DomainError('BadRequest', 'the patch may not change metadata.name or metadata.namespace');
  }
  // A resourceVersion in the patch is a precondition; the stored one carried over is not.
  const patchRv = isPlainObject(patch.metadata) ? patch.metadata.resourceVersion : undefined;
  const input = withMeta(m, {
    ...m.metadata,
    resourceVersion: typeof patchRv === 'string' ? patchRv : undefined,
  });
  return planUpdate(view, input, ctx, { checkPreconditions: true });
}

export interface DeleteOptions {
  readonly resourceVersion?: string;
  readonly uid?: string;
}

/** Deletes an object; a namespace takes everything in it along (the model has no finalizers to wait on). */
export function planDelete(
  view: StateView,
  kind: KindName,
  namespace: string,
  name: string,
  opts: DeleteOptions = {},
  ctx?: Pick<WriteContext, 'admission'>,
): PlannedWrite[] {
  const k = KINDS[kind];
  const old = view.get(kind, namespace, name);
  if (!old) throw notFound(k.plural, name, k.group);
  // Upstream wording (storage preconditions wrapped in errors.NewConflict).
  const preconditionFailed = (what: string, want: string, have: string) =>
    new DomainError(
      'Conflict',
      `Operation cannot be fulfilled on ${k.group ? `${k.plural}.${k.group}` : k.plural} "${name}": Precondition failed: ${what} in precondition: ${want}, ${what} in object meta: ${have}`,
      { kind: k.plural, group: k.group, name },
    );
  if (opts.uid && opts.uid !== old.metadata.uid)
    throw preconditionFailed('UID', opts.uid, old.metadata.uid ?? '');
  if (opts.resourceVersion && opts.resourceVersion !== old.metadata.resourceVersion) {
    throw preconditionFailed('ResourceVersion', opts.resourceVersion, old.metadata.resourceVersion ?? '');
  }
  if (kind === 'Namespace' && PROTECTED_NAMESPACES.includes(name)) {
    throw new DomainError(
      'Forbidden',
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      {
        kind: 'namespaces',
        name,
      },
    );
  }
  const writes: PlannedWrite[] = [];
  if (kind === 'Namespace') {
    for (const kn of Object.values(KINDS)) {
      if (!kn.namespaced) continue;
      for (const o of view.list(kn.kind, { namespace: name }))
        writes.push({ type: 'DELETED', object: o, previous: o });
    }
  }
  writes.push({ type: 'DELETED', object: old, previous: old });
  const admission = ctx?.admission;
  return admission ? writes.map((w) => admission.admit(w, view)) : writes;
}

/** Lets a batch see its own earlier writes before they are committed. */
export class OverlayView implements StateView {
  /** The planned writes in order, for list. */
  private readonly recorded: PlannedWrite[] = [];
  /**
   * The latest planned object by kind, namespace and name (null: deleted), for get: an import looks
   * objects up several times each, and a composite key string per lookup was most of the overlay's cost.
   */
  private readonly byName = new Map<KindName, Map<string, Map<string, KubeObject | null>>>();
  constructor(private readonly base: StateView) {}

  private static key(kind: string, ns: string, name: string): string {
    return `${kind}\u0000${ns}\u0000${name}`;
  }

  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined {
    const p = this.byName.get(kind)?.get(namespace)?.get(name);
    if (p === null) return undefined;
    return (p as ObjectOf<K> | undefined) ?? this.base.get(kind, namespace, name);
  }

  list<K extends KindName>(kind: K, opts: { namespace?: string } = {}): readonly ObjectOf<K>[] {
    const byKey = new Map<string, ObjectOf<K>>();
    for (const o of this.base.list(kind, opts))
      byKey.set(OverlayView.key(kind, namespaceOf(o), o.metadata.name), o);
    // The latest write per key, in the order each key was first written; rebuilt on demand because
    // planning an import only ever looks objects up.
    const pending = new Map<string, KubeObject | null>();
    for (const w of this.recorded) {
      const o = w.object;
      pending.set(OverlayView.key(o.kind, namespaceOf(o), o.metadata.name), w.type === 'DELETED' ? null : o);
    }
    for (const [key, o] of pending) {
      if (!key.startsWith(`${kind}\u0000`)) continue;
      if (o === null) byKey.delete(key);
      else if (opts.namespace === undefined || namespaceOf(o) === opts.namespace)
        byKey.set(key, o as ObjectOf<K>);
    }
    return [...byKey.values()];
  }

  record(w: PlannedWrite): void {
    const o = w.object;
    const ns = namespaceOf(o);
    this.recorded.push(w);
    let byNs = this.byName.get(o.kind);
    if (!byNs) {
      byNs = new Map();
      this.byName.set(o.kind, byNs);
    }
    let names = byNs.get(ns);
    if (!names) {
      names = new Map();
      byNs.set(ns, names);
    }
    names.set(o.metadata.name, w.type === 'DELETED' ? null : o);
  }
}
