import { DomainError } from '../../domain/errors.js';

/**
 * `limit`/`continue` over a list sorted by namespace/name. The token carries the key of the last item
 * returned, so paging stays correct while objects are added or removed (an item added behind the
 * cursor is not seen, as with a Kubernetes continue token).
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export function encodeContinue(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, k: key }), 'utf8').toString('base64url');
}

export function decodeContinue(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; k?: unknown };
    if (v.v === 1 && typeof v.k === 'string') return v.k;
  } catch {
    // fall through
  }
  throw new DomainError('BadRequest', `invalid continue token ${JSON.stringify(token)}`);
}

export function paginate<T>(
  sorted: readonly T[],
  keyOf: (t: T) => string,
  limit?: number,
  cont?: string,
): Page<T> {
  let start = 0;
  if (cont) {
    const after = decodeContinue(cont);
    // Binary search: the list is sorted by the same key.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(sorted[mid]!) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  if (limit === undefined || limit <= 0) return { items: sorted.slice(start) };
  const items = sorted.slice(start, start + limit);
  const remaining = sorted.length - start - items.length;
  if (remaining <= 0) return { items };
  return { items, continue: encodeContinue(keyOf(items[items.length - 1]!)), remainingItemCount: remaining };
}
