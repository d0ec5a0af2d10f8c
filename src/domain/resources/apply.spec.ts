import { describe, expect, it } from '@jest/globals';
import { aNamespace, aPod, aService } from '../../../test/factories/objects.js';
import type { ManifestDocument } from '../manifests/parse.js';
import type { KubeObject } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { commitWrites, testWriteContext, thrownDomainError } from '../../../test/support/domain.js';
import { planApply, type ApplyPlan } from './apply.js';
import type { WriteContext } from './lifecycle.js';

const context = (): WriteContext => testWriteContext({ randomSuffix: () => 'abcde' });

const docs = (...raws: unknown[]): ManifestDocument[] => raws.map((raw, index) => ({ index, raw }));

const commit = commitWrites;

/** A cluster that already went through one apply of these objects. */
function clusterWith(...objects: KubeObject[]): ClusterState {
  const state = new ClusterState();
  commit(state, planApply(state, docs(...objects), context(), { atomic: true }).writes, 1);
  return state;
}

const summary = (p: ApplyPlan) =>
  p.items.map((i) => `${i.index} ${i.action} ${i.kind} ${i.namespace}/${i.name}`);
const written = (p: ApplyPlan) =>
  p.writes.map(
    (w) => `${w.type} ${w.object.kind} ${w.object.metadata.namespace ?? ''}/${w.object.metadata.name}`,
  );

const applyError = thrownDomainError;

const ns = (name: string) => aNamespace({ metadata: { name } });

describe('planApply: ordering and actions', () => {
  it('creates a namespace before the pod in it even when the pod comes first', () => {
    const plan = planApply(
      new ClusterState(),
      docs(aPod({ metadata: { namespace: 'shop' } }), ns('shop')),
      context(),
      { atomic: true },
    );
    expect(summary(plan)).toEqual(['0 created Pod shop/web-0', '1 created Namespace /shop']);
    expect(written(plan)).toEqual(['ADDED Namespace /shop', 'ADDED Pod shop/web-0']);
  });

  it('orders by kind (namespaces, nodes, services, pods, ...) then by document position', () => {
    const plan = planApply(
      new ClusterState(),
      docs(aPod({ metadata: { name: 'p2' } }), aService(), aPod({ metadata: { name: 'p1' } }), ns('default')),
      context(),
      { atomic: true },
    );
    expect(written(plan)).toEqual([
      'ADDED Namespace /default',
      'ADDED Service default/web',
      'ADDED Pod default/p2',
      'ADDED Pod default/p1',
    ]);
  });

  it('reports created, updated and unchanged against what is stored', () => {
    const state = clusterWith(ns('default'), aPod(), aService());
    const plan = planApply(
      state,
      docs(aPod(), aService({ metadata: { labels: { tier: 'fe' } } }), aPod({ metadata: { name: 'web-1' } })),
      context(),
      { atomic: true },
    );
    expect(summary(plan)).toEqual([
      '0 unchanged Pod default/web-0',
      '1 updated Service default/web',
      '2 created Pod default/web-1',
    ]);
    expect(written(plan)).toEqual(['MODIFIED Service default/web', 'ADDED Pod default/web-1']);
    expect(plan.writes[0]!.previous).toBe(state.get('Service', 'default', 'web'));
  });

  it('ignores a stale resourceVersion in an applied manifest (apply is not a conditional update)', () => {
    const state = clusterWith(ns('default'), aService());
    const plan = planApply(
      state,
      docs(aService({ metadata: { resourceVersion: '0', labels: { v: '2' } } })),
      context(),
      { atomic: true },
    );
    expect(summary(plan)).toEqual(['0 updated Service default/web']);
  });

  it("puts namespaced objects without a namespace in 'default'", () => {
    const plan = planApply(
      clusterWith(ns('default')),
      docs(aPod({ metadata: { namespace: undefined } })),
      context(),
      { atomic: true },
    );
    expect(summary(plan)).toEqual(['0 created Pod default/web-0']);
    expect(plan.writes[0]!.object.metadata.namespace).toBe('default');
  });

  it('leaves cluster-scoped objects without a namespace', () => {
    const plan = planApply(new ClusterState(), docs(ns('x')), context(), { atomic: true });
    expect(plan.writes[0]!.object.metadata.namespace).toBeUndefined();
    expect(summary(plan)).toEqual(['0 created Namespace /x']);
  });

  it('reports the generated name of a generateName object', () => {
    const plan = planApply(
      clusterWith(ns('default')),
      docs(aPod({ metadata: { name: undefined, generateName: 'job-' } })),
      context(),
      { atomic: true },
    );
    expect(summary(plan)).toEqual(['0 created Pod default/job-abcde']);
  });

  it.each([
    {
      name: 'the same document twice',
      batch: [aPod(), aPod()],
      want: ['0 created Pod default/web-0', '1 unchanged Pod default/web-0'],
      writes: ['ADDED Pod default/web-0'],
    },
    {
      name: 'two versions of one object',
      batch: [aPod(), aPod({ metadata: { labels: { v: '2' } } })],
      want: ['0 created Pod default/web-0', '1 updated Pod default/web-0'],
      writes: ['ADDED Pod default/web-0', 'MODIFIED Pod default/web-0'],
    },
  ])('plans $name in one batch against the earlier document', ({ batch, want, writes }) => {
    const plan = planApply(clusterWith(ns('default')), docs(...batch), context(), { atomic: true });
    expect(summary(plan)).toEqual(want);
    expect(written(plan)).toEqual(writes);
    if (plan.writes.length === 2) {
      expect(plan.writes[1]!.previous).toBe(plan.writes[0]!.object);
      expect(plan.writes[1]!.object.metadata.uid).toBe(plan.writes[0]!.object.metadata.uid);
    }
  });
});

describe('planApply: skipped documents', () => {
  it.each([
    {
      name: 'a kind netmodel does not model',
      raw: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      message: 'apps/v1 Deployment is not modelled by netmodel',
    },
    {
      name: 'v1 Endpoints (derived from EndpointSlices)',
      raw: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' } },
      message: 'Endpoints are a view derived from EndpointSlices; apply EndpointSlices instead',
    },
    {
      name: 'a modelled kind under a version that is not served',
      raw: { apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', metadata: { name: 'web' } },
      message: 'networking.k8s.io/v1beta1 is not a served version of Ingress (use networking.k8s.io/v1)',
    },
    {
      name: 'a core kind under a group',
      raw: { apiVersion: 'apps/v1', kind: 'Pod', metadata: { name: 'p' } },
      message: 'apps/v1 is not a served version of Pod (use v1)',
    },
  ])('skips $name', ({ raw, message }) => {
    const plan = planApply(clusterWith(ns('default')), docs(raw, aPod()), context(), { atomic: true });
    expect(plan.items[0]).toMatchObject({
      index: 0,
      action: 'skipped',
      apiVersion: raw.apiVersion,
      kind: raw.kind,
      name: raw.metadata.name,
      message,
    });
    expect(plan.items[1]!.action).toBe('created');
    expect(written(plan)).toEqual(['ADDED Pod default/web-0']);
  });
});

describe('planApply: failures', () => {
  const badPod = aPod({ metadata: { name: 'Bad_Name' } });
  const batch = () =>
    docs(
      ns('shop'),
      aPod({ metadata: { namespace: 'shop' } }),
      badPod,
      aPod({ metadata: { namespace: 'missing' } }),
    );

  it('non-atomic: reports each failure with its reason and returns the valid writes', () => {
    const plan = planApply(new ClusterState(), batch(), context(), { atomic: false });
    expect(summary(plan)).toEqual([
      '0 created Namespace /shop',
      '1 created Pod shop/web-0',
      '2 failed Pod default/Bad_Name',
      '3 failed Pod missing/web-0',
    ]);
    expect(written(plan)).toEqual(['ADDED Namespace /shop', 'ADDED Pod shop/web-0']);
    expect(plan.items[2]!.message).toMatch(/^Pod "Bad_Name" is invalid: metadata\.name: /);
    expect(plan.items[2]!.causes).toEqual([
      expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' }),
    ]);
    expect(plan.items[3]).toMatchObject({ message: 'namespaces "missing" not found', causes: [] });
  });

  it('atomic: throws Invalid with causes per document and names each document', () => {
    const e = applyError(() => planApply(new ClusterState(), batch(), context(), { atomic: true }));
    expect(e.code).toBe('Invalid');
    expect(e.message).toMatch(
      /^apply failed: 2 of 4 documents are invalid, nothing was applied: Pod default\/Bad_Name: Pod "Bad_Name" is invalid: .*; Pod missing\/web-0: namespaces "missing" not found$/,
    );
    expect(e.details.kind).toBe('apply');
    expect(e.details.causes).toEqual([
      expect.objectContaining({
        field: 'items[2].metadata.name',
        reason: 'FieldValueInvalid',
        message: expect.stringMatching(/^Pod default\/Bad_Name: Invalid value: "Bad_Name": /),
      }),
      {
        field: 'items[3]',
        reason: 'FieldValueInvalid',
        message: 'Pod missing/web-0: namespaces "missing" not found',
      },
    ]);
    expect(e.details.report).toHaveLength(2);
  });

  it('atomic: a single failure is "1 of 1 document is invalid"', () => {
    const e = applyError(() => planApply(new ClusterState(), docs(badPod), context(), { atomic: true }));
    expect(e.message).toMatch(/^apply failed: 1 of 1 document is invalid, nothing was applied: /);
  });

  it('atomic: skipped documents do not fail the apply', () => {
    const plan = planApply(
      new ClusterState(),
      docs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, ns('x')),
      context(),
      { atomic: true },
    );
    expect(plan.items.map((i) => i.action)).toEqual(['skipped', 'created']);
  });

  it.each<{ name: string; raw: unknown; label: string }>([
    {
      name: 'a document without kind',
      raw: { apiVersion: 'v1', metadata: { name: 'x', namespace: 'a' } },
      label: '<no kind> a/x',
    },
    { name: 'a document without apiVersion', raw: { kind: 'Pod', metadata: { name: 'x' } }, label: 'Pod x' },
    { name: 'a scalar document', raw: 'just text', label: '<no kind> <no name>' },
    { name: 'an array document', raw: [1, 2], label: '<no kind> <no name>' },
  ])('fails $name', ({ raw, label }) => {
    const plan = planApply(new ClusterState(), docs(raw), context(), { atomic: false });
    expect(plan.items[0]).toMatchObject({
      action: 'failed',
      message: "Object 'Kind' and 'apiVersion' are required",
    });
    const e = applyError(() => planApply(new ClusterState(), docs(raw), context(), { atomic: true }));
    expect(e.details.causes).toEqual([
      {
        field: 'items[0]',
        reason: 'FieldValueInvalid',
        message: `${label}: Object 'Kind' and 'apiVersion' are required`,
      },
    ]);
  });

  it('prefixes an object-level cause (no field) with the bare item path', () => {
    const ctx: WriteContext = {
      ...context(),
      checkStructure: () => [{ type: 'FieldValueRequired', field: '', detail: 'body required' }],
    };
    const e = applyError(() => planApply(new ClusterState(), docs(ns('x')), ctx, { atomic: true }));
    expect(e.details.causes).toEqual([
      {
        field: 'items[0]',
        reason: 'FieldValueRequired',
        message: 'Namespace x: Required value: body required',
      },
    ]);
  });

  it('a later document fails when an earlier one it depends on failed', () => {
    const plan = planApply(
      new ClusterState(),
      docs(aNamespace({ metadata: { name: 'Bad' } }), aPod({ metadata: { namespace: 'Bad' } })),
      context(),
      {
        atomic: false,
      },
    );
    expect(plan.items.map((i) => i.action)).toEqual(['failed', 'failed']);
    expect(plan.writes).toEqual([]);
  });

  it('rethrows errors that are not DomainErrors (bugs are not reported as bad input)', () => {
    const ctx: WriteContext = {
      ...context(),
      newUid: () => {
        throw new TypeError('boom');
      },
    };
    expect(() => planApply(new ClusterState(), docs(ns('x')), ctx, { atomic: false })).toThrow(TypeError);
  });
});
