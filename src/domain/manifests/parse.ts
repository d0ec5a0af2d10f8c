/**
 * Reads what users paste or pipe in: multi-document YAML, JSON, a JSON array, and lists in the shape
 * `kubectl get ... -o yaml` prints (`kind: List` with `items`, or a typed `PodList`). Each document comes
 * out with its position so errors can name it.
 */
import * as jsyaml from 'js-yaml';
import { DomainError } from '../errors.js';
import { isPlainObject } from '../resources/json.js';
import { parseBlockYaml } from './block-yaml.js';

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
    roots = parseYamlDocuments(text);
  }
  return documentsFromValues(roots);
}

/**
 * Documents from values already decoded (a JSON request body): an array is a stream of documents, and
 * lists are flattened as in text.
 */
export function documentsFromValue(value: unknown): ManifestDocument[] {
  return documentsFromValues(Array.isArray(value) ? value : [value]);
}

function documentsFromValues(roots: readonly unknown[]): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  for (const r of roots) for (const item of flattenList(r)) out.push({ index: out.length, raw: item });
  return out;
}

/**
 * YAML 1.2 core schema (timestamps stay strings, as the API server reads them) plus `<<` merge keys,
 * which Kubernetes' YAML reader accepts. js-yaml rather than the `yaml` package: it parses a large
 * cluster several times faster (bench/import).
 */
const SCHEMA = jsyaml.CORE_SCHEMA.extend({
  implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge],
});

/** The schema's implicit types in js-yaml's order: what a plain scalar means is decided by them alone. */
const IMPLICIT = (SCHEMA as unknown as { compiledImplicit: readonly jsyaml.Type[] }).compiledImplicit;

/** A plain scalar as js-yaml's composeNode resolves it: the first implicit type that takes it, or the text. */
export function resolvePlainScalar(text: string): unknown {
  for (const t of IMPLICIT) {
    if (t.resolve(text)) return t.construct(text);
  }
  return text;
}

/**
 * Multi-document YAML. Block-style text (what kubectl prints and most manifests are) is read by the
 * fast reader, which gives the same values as js-yaml or gives up; everything else goes to js-yaml.
 */
function parseYamlDocuments(text: string): unknown[] {
  return parseBlockYaml(text, resolvePlainScalar) ?? parseWithJsYaml(text);
}

/** js-yaml on the whole text, its errors as 400s, the alias budget enforced; empty documents dropped. */
export function parseWithJsYaml(text: string): unknown[] {
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, null, { schema: SCHEMA, json: false });
  } catch (e) {
    if (e instanceof jsyaml.YAMLException) {
      const m = e.mark as jsyaml.Mark | undefined;
      const where = m ? ` (line ${m.line + 1}, column ${m.column + 1})` : '';
      throw new DomainError('BadRequest', `the body is not valid YAML${where}: ${e.reason}`);
    }
    throw e;
  }
  // Aliases are shared references: a few lines can stand for billions of nodes once expanded (the
  // "billion laughs"). An alias-free document has fewer nodes than characters, so more than that is refused.
  // Text without '*' has no alias, so the walk is skipped (it costs a tenth of the parse on a large cluster).
  if (text.includes('*')) {
    const budget = { left: text.length + 1000 };
    const sizes = new Map<object, number>();
    for (const d of docs) expandedSize(d, sizes, budget);
  }
  return docs.filter((d) => d !== null && d !== undefined);
}

function expandedSize(v: unknown, sizes: Map<object, number>, budget: { left: number }): number {
  if (typeof v !== 'object' || v === null) {
    budget.left -= 1;
    return 1;
  }
  const known = sizes.get(v);
  if (known !== undefined) {
    budget.left -= known;
  } else {
    let n = 1;
    budget.left -= 1;
    for (const child of Object.values(v)) n += expandedSize(child, sizes, budget);
    sizes.set(v, n);
    return n;
  }
  if (budget.left < 0)
    throw new DomainError('BadRequest', 'the body is not valid YAML: its aliases expand to too many nodes');
  return known;
}

/** `kind: List` / `kind: PodList` with items becomes its items (typed lists lend kind and apiVersion). */
function flattenList(v: unknown): unknown[] {
  if (!isPlainObject(v) || typeof v.kind !== 'string' || !v.kind.endsWith('List') || !Array.isArray(v.items))
    return [v];
  const itemKind = v.kind === 'List' ? undefined : v.kind.slice(0, -'List'.length);
  return v.items.flatMap((item) => {
    if (itemKind && isPlainObject(item)) {
      return flattenList({ apiVersion: v.apiVersion, kind: itemKind, ...item });
    }
    return flattenList(item);
  });
}
