import type { KubeObject } from '../../../domain/model/types.js';
import type { ListResult } from '../resources.service.js';

/**
 * Domain object -> GraphQL model. The GraphQL types mirror the Kubernetes shape field for field, so the
 * model is the object itself plus `manifest` (the whole object, for clients that want untyped fields).
 */
export function toModel<T extends KubeObject>(obj: T): T & { manifest: Record<string, unknown> } {
  return { ...obj, manifest: obj as unknown as Record<string, unknown> };
}

export function toListModel<T extends KubeObject>(r: ListResult<T>) {
  return {
    items: r.items.map(toModel),
    totalCount: r.total,
    pageInfo: { endCursor: r.continue, hasNextPage: r.continue !== undefined },
  };
}
