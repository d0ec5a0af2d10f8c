/**
 * Reads what users paste or pipe in: multi-document YAML, JSON, a JSON array, and lists in the shape
 * `kubectl get ... -o yaml` prints (`kind: List` with `items`, or a typed `PodList`). Each document comes
 * out with its position so errors can name it.
 */
import { parseAllDocuments } from 'yaml';
import { DomainError } from '../errors.js';
import { isPlainObject } from '../resources/json.js';

export interface ManifestDocument {
  /** Position in the flattened stream, 0-based. */
  readonly index: number;
  readonly raw: unknown;
}

export function parseManifests(text: string): ManifestDocument[] {
  const trimmed = text.trimStart();
  let roots: unknown[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      roots = Array.isArray(v) ? v : [v];
    } catch (e) {
      throw new DomainError('BadRequest', `the body is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    roots = [];
    for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
      if (doc.errors.length > 0) {
        const err = doc.errors[0]!;
        const line = err.linePos?.[0];
        throw new DomainError(
          'BadRequest',
          `the body is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${err.message.split('\n')[0]}`,
        );
      }
      let v: unknown;
      try {
        v = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        // yaml throws (a ReferenceError) for alias expansion past maxAliasCount: bad input, not a bug.
        throw new DomainError('BadRequest', `the body is not valid YAML: ${(e as Error).message}`);
      }
      if (v !== null && v !== undefined) roots.push(v);
    }
  }
  const out: ManifestDocument[] = [];
  for (const r of roots) for (const item of flattenList(r)) out.push({ index: out.length, raw: item });
  return out;
}

/** `kind: List` / `kind: PodList` with items becomes its items (typed lists lend kind and apiVersion). */
function flattenList(v: unknown): unknown[] {
  if (!isPlainObject(v) || typeof v.kind !== 'string' || !v.kind.endsWith('List') || !Array.isArray(v.items)) return [v];
  const itemKind = v.kind === 'List' ? undefined : v.kind.slice(0, -'List'.length);
  return v.items.flatMap((item) => {
    if (itemKind && isPlainObject(item)) {
      return flattenList({ apiVersion: v.apiVersion, kind: itemKind, ...item });
    }
    return flattenList(item);
  });
}
