import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../../domain/errors.js';
import {
  legacyEndpoints,
  listLegacyEndpoints,
  type Endpoints,
} from '../../domain/endpoints/legacy-endpoints.js';
import { matches, parseLabelSelectorString } from '../../domain/labels/index.js';
import { KINDS, kindFor, type KindInfo, type KindName } from '../../domain/model/kinds.js';
import { invalidObject, required } from '../../domain/validation/field-errors.js';
import {
  namespaceOf,
  type EndpointSlice,
  type KubeObject,
  type NetworkPolicy,
  type Node,
  type ObjectOf,
  type Pod,
  type Service,
} from '../../domain/model/types.js';
import {
  podsOnNode,
  podsSelectedByPolicy,
  policiesSelectingPod,
  slicesForService,
} from '../../domain/state/relations.js';
import { isPlainObject } from '../../domain/resources/json.js';
import {
  planCreate,
  planDelete,
  planPatch,
  planUpdate,
  requireStructure,
} from '../../domain/resources/lifecycle.js';
import type { ClusterSnapshot } from '../../domain/state/cluster-state.js';
import { ResourceStore, type CommittedWrite } from '../persistence/resource-store.js';
import { checkStructure } from './dto/decode.js';
import { paginate, type Page } from './pagination.js';

export interface ListQuery {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface ListResult<T> extends Page<T> {
  readonly resourceVersion: string;
  /** Objects matching the filters, across all pages. */
  readonly total: number;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
}

/**
 * The object as committed (with the resourceVersion the commit gave it), as the API server answers a
 * create, update or patch; the planned object when nothing was committed (no-op update, dry run).
 */
function stored(committed: readonly CommittedWrite[], planned: KubeObject): KubeObject {
  return committed[0]?.object ?? planned;
}

/** Sort key that orders like the API server's storage keys: namespace, then name. */
export function objectSortKey(o: { metadata: { namespace?: string; name: string } }): string {
  return `${namespaceOf(o)}\u0000${o.metadata.name}`;
}

/**
 * Reads and writes of single objects, for REST and GraphQL alike. Reads come from the in-memory state;
 * writes go through the store's single write path.
 */
@Injectable()
export class ResourcesService {
  constructor(private readonly store: ResourceStore) {}

  snapshot(): ClusterSnapshot {
    return this.store.snapshot();
  }

  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> {
    const k = KINDS[kind];
    const obj = this.store.snapshot().get(kind, k.namespaced ? namespace : '', name);
    if (!obj) throw notFound(k.plural, name, k.group);
    return obj;
  }

  list<K extends KindName>(kind: K, q: ListQuery = {}): ListResult<ObjectOf<K>> {
    const snap = this.store.snapshot();
    const selector = q.labelSelector ? parseLabelSelectorString(q.labelSelector) : undefined;
    const items = snap.list(kind, { namespace: KINDS[kind].namespaced ? q.namespace : undefined, selector });
    if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 0)) {
      throw new DomainError('BadRequest', `limit must be a non-negative integer, got ${q.limit}`);
    }
    return {
      ...paginate(items, objectSortKey, q.limit, q.continue),
      resourceVersion: String(snap.resourceVersion),
      total: items.length,
    };
  }

  /** Create from a whole manifest (GraphQL): the kind and namespace come from the object itself. */
  async createFromManifest(manifest: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const k = this.kindOfManifest(manifest);
    return this.create(k.kind, undefined, manifest, opts);
  }

  async replaceFromManifest(manifest: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const k = this.kindOfManifest(manifest);
    const meta = isPlainObject(manifest) && isPlainObject(manifest.metadata) ? manifest.metadata : {};
    if (typeof meta.name !== 'string' || !meta.name) {
      throw invalidObject(k.kind, k.group, '', [required('metadata.name', 'name is required')]);
    }
    return this.replace(k.kind, undefined, meta.name, manifest, opts);
  }

  async create(
    kind: KindName,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const k = KINDS[kind];
    const input = this.checkBody(k, body, namespace, undefined);
    const ctx = this.store.writeContext(checkStructure);
    const { result, committed } = await this.store.write((view, admission) => {
      const w = planCreate(view, input, { ...ctx, admission });
      return { writes: [w], result: w.object };
    }, opts);
    return stored(committed, result);
  }

  async replace(
    kind: KindName,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const k = KINDS[kind];
    const input = this.checkBody(k, body, namespace, name);
    const ctx = this.store.writeContext(checkStructure);
    const { result, committed } = await this.store.write((view, admission) => {
      const w = planUpdate(view, input, { ...ctx, admission }, { checkPreconditions: true });
      const current = w?.object ?? view.get(kind, namespaceOf(input), name)!;
      return { writes: w ? [w] : [], result: current };
    }, opts);
    return stored(committed, result);
  }

  async patch(
    kind: KindName,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const ns = KINDS[kind].namespaced ? (namespace ?? 'default') : '';
    const ctx = this.store.writeContext(checkStructure);
    const { result, committed } = await this.store.write((view, admission) => {
      const w = planPatch(view, kind, ns, name, patch, { ...ctx, admission });
      return { writes: w ? [w] : [], result: w?.object ?? view.get(kind, ns, name)! };
    }, opts);
    return stored(committed, result);
  }

  async delete(
    kind: KindName,
    namespace: string | undefined,
    name: string,
    preconditions: { resourceVersion?: string; uid?: string } = {},
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const ns = KINDS[kind].namespaced ? (namespace ?? 'default') : '';
    const { result } = await this.store.write((view, admission) => {
      const writes = planDelete(view, kind, ns, name, preconditions, { admission });
      return { writes, result: writes[writes.length - 1]!.object };
    }, opts);
    return result;
  }

  // ---- relations (GraphQL) ----------------------------------------------------------------------
  podsForService(svc: Service): readonly Pod[] {
    return this.snapshot().podsForService(svc);
  }
  servicesForPod(pod: Pod): readonly Service[] {
    return this.snapshot().servicesForPod(pod);
  }
  policiesForPod(pod: Pod): readonly NetworkPolicy[] {
    return policiesSelectingPod(this.snapshot(), pod);
  }
  podsForPolicy(np: NetworkPolicy): readonly Pod[] {
    return podsSelectedByPolicy(this.snapshot(), np);
  }
  podsOnNode(node: Node): readonly Pod[] {
    return podsOnNode(this.snapshot(), node);
  }
  slicesForService(svc: Service): readonly EndpointSlice[] {
    return slicesForService(this.snapshot(), svc);
  }
  nodeOfPod(pod: Pod): Node | undefined {
    return pod.spec.nodeName ? this.snapshot().get('Node', '', pod.spec.nodeName) : undefined;
  }

  /** Legacy v1 Endpoints of one service, derived from its EndpointSlices. */
  endpoints(namespace: string, name: string): Endpoints {
    const ep = legacyEndpoints(this.store.snapshot(), namespace, name);
    if (!ep) throw notFound('endpoints', name);
    return ep;
  }

  /** Legacy Endpoints; a labelSelector filters by the labels of the Service they belong to. */
  listEndpoints(q: ListQuery): ListResult<Endpoints> {
    const snap = this.store.snapshot();
    const selector = q.labelSelector ? parseLabelSelectorString(q.labelSelector) : undefined;
    const all = listLegacyEndpoints(snap, q.namespace).filter(
      (ep) =>
        !selector ||
        matches(selector, snap.get('Service', namespaceOf(ep), ep.metadata.name)?.metadata.labels),
    );
    return {
      ...paginate(all, objectSortKey, q.limit, q.continue),
      resourceVersion: String(snap.resourceVersion),
      total: all.length,
    };
  }

  private kindOfManifest(manifest: unknown): KindInfo {
    const apiVersion = isPlainObject(manifest) ? manifest.apiVersion : undefined;
    const kind = isPlainObject(manifest) ? manifest.kind : undefined;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      throw new DomainError('BadRequest', "Object 'Kind' and 'apiVersion' are required");
    }
    const k = kindFor(apiVersion, kind);
    if (!k)
      throw new DomainError('BadRequest', `no kind "${kind}" is registered for version "${apiVersion}"`);
    return k;
  }

  /** The checks the API server makes before decoding: the body's kind, version, namespace and name match the URL. */
  private checkBody(
    k: KindInfo,
    body: unknown,
    namespace: string | undefined,
    name: string | undefined,
  ): KubeObject {
    if (!isPlainObject(body)) throw new DomainError('BadRequest', `the body must be a ${k.kind} object`);
    const apiVersion = body.apiVersion ?? k.apiVersion;
    const kind = body.kind ?? k.kind;
    if (apiVersion !== k.apiVersion) {
      throw new DomainError(
        'BadRequest',
        `the API version in the data (${String(apiVersion)}) does not match the expected API version (${k.apiVersion})`,
      );
    }
    if (kind !== k.kind)
      throw new DomainError(
        'BadRequest',
        `the kind in the data (${String(kind)}) does not match the expected kind (${k.kind})`,
      );
    if (body.metadata !== undefined && !isPlainObject(body.metadata)) {
      throw new DomainError(
        'BadRequest',
        `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: metadata: must be an object`,
      );
    }
    const meta = isPlainObject(body.metadata) ? body.metadata : {};
    let ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
    if (k.namespaced) {
      if (ns && namespace && ns !== namespace) {
        throw new DomainError(
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      ns = ns || namespace || 'default';
    }
    if (name !== undefined && meta.name !== undefined && meta.name !== name) {
      throw new DomainError(
        'BadRequest',
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    // A cluster-scoped object carries no namespace: the API server clears one the client sent.
    const { namespace: _ignored, ...clusterMeta } = meta;
    const obj = {
      ...body,
      apiVersion,
      kind,
      metadata: {
        ...(k.namespaced ? meta : clusterMeta),
        ...(name !== undefined ? { name } : {}),
        ...(k.namespaced ? { namespace: ns } : {}),
      },
    };
    requireStructure(k.kind, obj, this.store.writeContext(checkStructure));
    return obj as unknown as KubeObject;
  }
}
