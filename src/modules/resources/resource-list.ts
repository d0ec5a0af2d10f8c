import type { ListResult } from './resources.service.js';

/** A Kubernetes list body (`PodList` etc.) with the list metadata clients page with. */
export function toListBody<T>(apiVersion: string, kind: string, r: ListResult<T>) {
  return {
    apiVersion,
    kind,
    metadata: {
      resourceVersion: r.resourceVersion,
      ...(r.continue ? { continue: r.continue } : {}),
      ...(r.remainingItemCount !== undefined ? { remainingItemCount: r.remainingItemCount } : {}),
    },
    items: r.items,
  };
}
