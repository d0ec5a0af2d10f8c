/**
 * Namespace validation after pkg/apis/core/validation (ValidateNamespace). The API server stamps every
 * namespace with `kubernetes.io/metadata.name: <name>` so selectors can pick namespaces by name;
 * withDefaults does the same, and a manifest that sets a different value is refused rather than
 * silently overwritten.
 */
import type { Namespace } from '../model/types.js';
import { index, key, validateQualifiedName } from './common.js';
import { invalid, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, 'Namespace');
  const label = ns.metadata?.labels?.[NAMESPACE_NAME_LABEL];
  if (label !== undefined && ns.metadata.name && label !== ns.metadata.name) {
    errs.push(
      invalid(
        key('metadata.labels', NAMESPACE_NAME_LABEL),
        label,
        `must equal the namespace name "${ns.metadata.name}"`,
      ),
    );
  }
  (ns.spec?.finalizers ?? []).forEach((f, i) => {
    const path = index('spec.finalizers', i);
    const qualified = validateQualifiedName(f, path);
    if (qualified.length > 0) errs.push(...qualified);
    else if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return [...validateNamespace(ns), ...validateObjectMetaUpdate(ns.metadata, old.metadata)];
}
