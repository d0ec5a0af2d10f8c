/**
 * ObjectMeta rules (k8s.io/apimachinery/pkg/api/validation/objectmeta.go): the name by the kind's rule,
 * the namespace by scope, labels, annotations and finalizers; on update, the identity fields may not
 * change.
 */
import { KINDS, type KindInfo, type KindName } from '../model/kinds.js';
import type { Labels, ObjectMeta } from '../model/types.js';
import {
  child,
  index,
  invalidEach,
  validateImmutable,
  validateLabels,
  validateQualifiedName,
} from './common.js';
import { forbidden, invalid, required, tooLong, type FieldError } from './field-errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

const RULES: Readonly<Record<KindInfo['nameRule'], (v: string) => string[]>> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
};

/**
 * The ValidateNameFunc for a kind. With `prefix` the value is a generateName prefix, which may end in
 * '-' because a random suffix follows (upstream maskTrailingDash).
 */
export function nameValidator(kind: KindName): (name: string, prefix: boolean) => string[] {
  return (name, prefix) => nameErrors(kind, name, prefix);
}

function nameErrors(kind: KindName, name: string, prefix: boolean): string[] {
  // Upstream masks the dash as name[:len-2] + "a": the character before the dash goes too.
  const masked = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  return RULES[KINDS[kind].nameRule](masked);
}

/** Namespace names are DNS-1123 labels (ValidateNamespaceName). */
export function validateNamespaceName(name: string, path: string): FieldError[] {
  return invalidEach(path, name, isDNS1123Label(name));
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** ValidateAnnotations: keys are qualified names ignoring case; keys plus values fit in 256 KiB. */
export function validateAnnotations(annotations: Labels | undefined, path: string): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of Object.keys(annotations ?? {}).sort()) {
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    total += utf8Length(k) + utf8Length(annotations![k]!);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  kind: KindName,
  path = 'metadata',
): FieldError[] {
  const m: Partial<ObjectMeta> = meta ?? {};
  const info = KINDS[kind];
  const errs: FieldError[] = [];
  // Paths are built only for an error: this runs for every object written.
  if (m.generateName) {
    const msgs = nameErrors(kind, m.generateName, true);
    if (msgs.length > 0) errs.push(...invalidEach(child(path, 'generateName'), m.generateName, msgs));
  }
  if (!m.name) {
    errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    const msgs = nameErrors(kind, m.name, false);
    if (msgs.length > 0) errs.push(...invalidEach(child(path, 'name'), m.name, msgs));
  }
  if (info.namespaced) {
    if (!m.namespace) errs.push(required(child(path, 'namespace')));
    else {
      const msgs = isDNS1123Label(m.namespace);
      if (msgs.length > 0) errs.push(...invalidEach(child(path, 'namespace'), m.namespace, msgs));
    }
  } else if (m.namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0) {
    errs.push(invalid(child(path, 'generation'), m.generation, 'must be greater than or equal to 0'));
  }
  if (m.labels) errs.push(...validateLabels(m.labels, child(path, 'labels')));
  if (m.annotations) errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  m.finalizers?.forEach((f, i) =>
    errs.push(...validateQualifiedName(f, index(child(path, 'finalizers'), i))),
  );
  return errs;
}

/** ValidateObjectMetaUpdate: what identifies the stored object cannot change. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateImmutable(meta.name, old.name, child(path, 'name')));
  errs.push(...validateImmutable(meta.namespace ?? '', old.namespace ?? '', child(path, 'namespace')));
  // An update that leaves uid or creationTimestamp out is filled in from the stored object, so only a
  // different value is a change.
  if (meta.uid && old.uid) errs.push(...validateImmutable(meta.uid, old.uid, child(path, 'uid')));
  if (meta.creationTimestamp && old.creationTimestamp) {
    errs.push(
      ...validateImmutable(meta.creationTimestamp, old.creationTimestamp, child(path, 'creationTimestamp')),
    );
  }
  return errs;
}
