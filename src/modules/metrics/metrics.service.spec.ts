import { describe, expect, it } from '@jest/globals';
import { ClusterState } from '../../domain/state/cluster-state.js';
import type { ResourceStore } from '../persistence/resource-store.js';
import { MetricsService } from './metrics.service.js';

const store = { snapshot: () => new ClusterState() } as unknown as ResourceStore;

describe('MetricsService.operationLabel (GraphQL operation names are client-chosen)', () => {
  it('keeps well-formed names, maps missing ones to anonymous and malformed ones to other', () => {
    const m = new MetricsService(store);
    expect(m.operationLabel('Services')).toBe('Services');
    expect(m.operationLabel(undefined)).toBe('anonymous');
    expect(m.operationLabel('not a name!')).toBe('other');
  });

  it('caps the label set at 200 names', () => {
    const m = new MetricsService(store);
    for (let i = 0; i < 200; i++) expect(m.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(m.operationLabel('OneMore')).toBe('other');
    expect(m.operationLabel('Op7')).toBe('Op7');
  });
});
