/**
 * Apply: create-or-update a batch of manifests, as `kubectl apply` of a file would, but all-or-nothing by
 * default. Objects are planned in dependency order (namespaces before what lives in them), each seeing
 * the ones planned before it; the result is one report line per document and the writes to commit.
 */
import { DomainError, isDomainError, type StatusCause } from '../errors.js';
import { KINDS, kindFor, isKindName } from '../model/kinds.js';
import type { KubeObject } from '../model/types.js';
import type { ManifestDocument } from '../manifests/parse.js';
import { copyWith, isPlainObject } from './json.js';
import {
  OverlayView,
  planCreate,
  planUpdate,
  requireStructure,
  type PlannedWrite,
  type StateView,
  type WriteContext,
} from './lifecycle.js';

export type ApplyAction = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

export interface ApplyItemReport {
  readonly index: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly action: ApplyAction;
  readonly message?: string;
  readonly causes?: readonly StatusCause[];
}

export interface ApplyPlan {
  readonly items: readonly ApplyItemReport[];
  readonly writes: readonly PlannedWrite[];
}

export interface ApplyOptions {
  /** All-or-nothing (default): one failed document fails the whole apply with 422. */
  readonly atomic: boolean;
}

/** Kinds users meet in cluster snapshots that netmodel derives instead of storing. */
const DERIVED: Record<string, string> = {
  'v1/Endpoints': 'Endpoints are a view derived from EndpointSlices; apply EndpointSlices instead',
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function planApply(
  base: StateView,
  docs: readonly ManifestDocument[],
  ctx: WriteContext,
  opts: ApplyOptions,
): ApplyPlan {
  const view = new OverlayView(base);
  const reports: ApplyItemReport[] = [];
  const writes: PlannedWrite[] = [];

  const ordered = docs
    .map((d) => ({ d, order: orderOf(d.raw) }))
    .sort((a, b) => a.order - b.order || a.d.index - b.d.index)
    .map((x) => x.d);

  for (const doc of ordered) {
    const raw = doc.raw;
    const meta = isPlainObject(raw) && isPlainObject(raw.metadata) ? raw.metadata : {};
    const head = {
      index: doc.index,
      apiVersion: isPlainObject(raw) ? str(raw.apiVersion) : '',
      kind: isPlainObject(raw) ? str(raw.kind) : '',
      namespace: str(meta.namespace),
      name: str(meta.name) || str(meta.generateName),
    };
    if (!isPlainObject(raw) || !head.apiVersion || !head.kind) {
      reports.push({
        ...head,
        action: 'failed',
        message: "Object 'Kind' and 'apiVersion' are required",
        causes: [],
      });
      continue;
    }
    const info = kindFor(head.apiVersion, head.kind);
    if (!info) {
      const why =
        DERIVED[`${head.apiVersion}/${head.kind}`] ??
        (isKindName(head.kind)
          ? `${head.apiVersion} is not a served version of ${head.kind} (use ${KINDS[head.kind].apiVersion})`
          : `${head.apiVersion} ${head.kind} is not modelled by netmodel`);
      reports.push({ ...head, action: 'skipped', message: why });
      continue;
    }
    let input = raw as unknown as KubeObject;
    if (info.namespaced && !head.namespace) {
      input = copyWith(input, { metadata: copyWith(input.metadata, { namespace: 'default' }) });
      head.namespace = 'default';
    } else if (!info.namespaced && head.namespace) {
      // The API server clears the namespace of a cluster-scoped object rather than refusing it.
      const { namespace: _ignored, ...meta } = input.metadata;
      input = { ...input, metadata: meta } as KubeObject;
      head.namespace = '';
    }
    try {
      requireStructure(info.kind, input, ctx);
      const exists = input.metadata.name
        ? view.get(info.kind, head.namespace, input.metadata.name)
        : undefined;
      if (exists) {
        const w = planUpdate(view, input, ctx, { checkPreconditions: false });
        if (w) {
          view.record(w);
          writes.push(w);
        }
        reports.push(itemReport(head, head.name, w ? 'updated' : 'unchanged'));
      } else {
        const w = planCreate(view, input, ctx);
        view.record(w);
        writes.push(w);
        reports.push(itemReport(head, w.object.metadata.name, 'created'));
      }
    } catch (e) {
      if (!isDomainError(e)) throw e;
      reports.push({ ...head, action: 'failed', message: e.message, causes: e.details.causes ?? [] });
    }
  }

  reports.sort((a, b) => a.index - b.index);
  const failed = reports.filter((r) => r.action === 'failed');
  if (failed.length > 0 && opts.atomic) throw applyFailure(failed, docs.length);
  return { items: reports, writes };
}

type ItemHead = Pick<ApplyItemReport, 'index' | 'apiVersion' | 'kind' | 'namespace' | 'name'>;

/** `{ ...head, name, action }` written out: one per document, and the spread cost more than the rest. */
function itemReport(head: ItemHead, name: string, action: ApplyAction): ApplyItemReport {
  return {
    index: head.index,
    apiVersion: head.apiVersion,
    kind: head.kind,
    namespace: head.namespace,
    name,
    action,
  };
}

function orderOf(raw: unknown): number {
  if (!isPlainObject(raw)) return -1;
  const info = kindFor(str(raw.apiVersion), str(raw.kind));
  return info ? info.applyOrder : 100;
}

function docLabel(r: ApplyItemReport): string {
  const ns = r.namespace ? `${r.namespace}/` : '';
  return `${r.kind || '<no kind>'} ${ns}${r.name || '<no name>'}`;
}

/**
 * The 422 for an all-or-nothing apply: one cause per problem, its field prefixed with the document's
 * position (`items[3].spec.ports[0].port`) and its message with the document's kind, namespace and name.
 */
export function applyFailure(failed: readonly ApplyItemReport[], total: number): DomainError {
  const causes: StatusCause[] = [];
  for (const r of failed) {
    const prefix = `items[${r.index}]`;
    if (r.causes && r.causes.length > 0) {
      for (const c of r.causes) {
        causes.push({
          reason: c.reason,
          field: c.field ? `${prefix}.${c.field}` : prefix,
          message: `${docLabel(r)}: ${c.message}`,
        });
      }
    } else {
      causes.push({
        reason: 'FieldValueInvalid',
        field: prefix,
        message: `${docLabel(r)}: ${r.message ?? 'invalid'}`,
      });
    }
  }
  const n = failed.length;
  return new DomainError(
    'Invalid',
    `apply failed: ${n} of ${total} document${total === 1 ? '' : 's'} ${n === 1 ? 'is' : 'are'} invalid, nothing was applied: ${failed
      .map((r) => `${docLabel(r)}: ${r.message ?? ''}`)
      .join('; ')}`,
    { kind: 'apply', causes, report: failed },
  );
}
