/** Helpers for specs of the pure domain write path (no Nest, no database). */
import { DomainError } from '../../src/domain/errors.js';
import type { KubeObject } from '../../src/domain/model/types.js';
import type { PlannedWrite, WriteContext } from '../../src/domain/resources/lifecycle.js';
import type { ClusterState } from '../../src/domain/state/cluster-state.js';

export const TEST_NOW = '2026-01-02T03:04:05Z';

/** A deterministic write context: fixed time, uid-1, uid-2, ... and a fixed generateName suffix. */
export function testWriteContext(overrides: Partial<WriteContext> = {}): WriteContext {
  let n = 0;
  return { now: TEST_NOW, newUid: () => `uid-${++n}`, randomSuffix: () => 'x7k2p', ...overrides };
}

/** Commits planned writes the way ResourceStore does: each stored object gets the batch's resourceVersion. */
export function commitWrites(state: ClusterState, writes: readonly PlannedWrite[], rv: number): void {
  state.applyChanges(
    writes.map((w) => ({
      type: w.type,
      object:
        w.type === 'DELETED'
          ? w.object
          : ({ ...w.object, metadata: { ...w.object.metadata, resourceVersion: String(rv) } } as KubeObject),
    })),
    rv,
  );
}

/** The DomainError `f` throws (anything else fails the spec). */
export function thrownDomainError(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
