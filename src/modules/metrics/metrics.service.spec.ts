import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ClusterState } from '../../domain/state/cluster-state.js';
import type { ResourceStore } from '../persistence/resource-store.js';
import { MetricsService } from './metrics.service.js';

const store = { snapshot: () => new ClusterState(), ipPools: () => [] } as unknown as ResourceStore;

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

describe('MetricsService.scrape', () => {
  it("serves the process's metrics and its own from every instance", async () => {
    for (const m of [new MetricsService(store), new MetricsService(store)]) {
      const { body, contentType } = await m.scrape();
      expect(contentType).toMatch(/^text\/plain/);
      expect(body).toMatch(/^process_cpu_seconds_total \d/m);
      expect(body).toMatch(/^netmodel_objects\{kind="Pod"\} 0$/m);
      expect(body.match(/^# TYPE process_cpu_seconds_total /gm)).toHaveLength(1);
    }
  });

  it('lets a dropped instance and the state it reads be collected (no process-wide collector holds it)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let refs: WeakRef<object>[] = [];
    (() => {
      const own = { snapshot: () => new ClusterState(), ipPools: () => [] } as unknown as ResourceStore;
      new MetricsService(own);
      refs = [new WeakRef(own)];
    })();
    for (let i = 0; i < 5 && refs[0]!.deref(); i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(refs[0]!.deref()).toBeUndefined();
  });
});
