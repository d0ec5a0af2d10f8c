import { describe, expect, it } from '@jest/globals';
import { aNamespace, aNetworkPolicy, aNode, aPod, aService } from '../../../test/factories/objects.js';
import type { KindName } from '../model/kinds.js';
import type { KubeObject, Pod, Service } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { commitWrites, testWriteContext, TEST_NOW, thrownDomainError } from '../../../test/support/domain.js';
import { deepFreeze } from './json.js';
import {
  OverlayView,
  PROTECTED_NAMESPACES,
  planCreate,
  planDelete,
  planPatch,
  planUpdate,
  stampResourceVersion,
} from './lifecycle.js';

const NOW = TEST_NOW;
const context = testWriteContext;
const commit = commitWrites;

let rv = 0;
/** A cluster holding the given objects, created through planCreate so they carry server fields. */
function clusterWith(...objects: KubeObject[]): ClusterState {
  const state = new ClusterState();
  const ctx = context({ newUid: () => `uid-${++rv}` });
  for (const o of objects) commit(state, [planCreate(state, o, ctx)], ++rv);
  return state;
}

const thrown = thrownDomainError;

const ns = (name: string) => aNamespace({ metadata: { name } });

describe('planCreate', () => {
  it('drops server fields the client sent and sets uid, creationTimestamp and generation 1', () => {
    const state = clusterWith(ns('default'));
    const input = aPod({
      metadata: {
        uid: 'forged',
        resourceVersion: '77',
        generation: 9,
        creationTimestamp: '2000-01-01T00:00:00Z',
        deletionTimestamp: '2000-01-01T00:00:00Z',
        ...({ selfLink: '/api/v1/x', managedFields: [{ manager: 'kubectl' }] } as object),
      },
    });
    const w = planCreate(state, input, context());
    expect(w.type).toBe('ADDED');
    expect(w.previous).toBeUndefined();
    expect(w.object.metadata).toEqual({
      name: 'web-0',
      namespace: 'default',
      labels: { app: 'web' },
      uid: 'uid-1',
      creationTimestamp: NOW,
      generation: 1,
    });
  });

  it.each([
    { kind: 'Namespace', input: () => ns('shop'), generation: undefined },
    { kind: 'Node', input: () => aNode(), generation: undefined },
    { kind: 'Service', input: () => aService(), generation: undefined },
    { kind: 'Pod', input: () => aPod(), generation: 1 },
    { kind: 'NetworkPolicy', input: () => aNetworkPolicy(), generation: 1 },
  ])(
    'sets metadata.generation only where the API server does: $kind -> $generation',
    ({ input, generation }) => {
      const state = clusterWith(ns('default'));
      expect(planCreate(state, input(), context()).object.metadata.generation).toBe(generation);
    },
  );

  it.each<{ name: string; input: KubeObject; check: (o: KubeObject) => void }>([
    {
      name: 'pod dnsPolicy, restartPolicy and port protocol',
      input: aPod({ spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] } }),
      check: (o) => {
        const p = o as Pod;
        expect(p.spec.dnsPolicy).toBe('ClusterFirst');
        expect(p.spec.restartPolicy).toBe('Always');
        expect(p.spec.containers[0]!.ports![0]!.protocol).toBe('TCP');
      },
    },
    {
      name: 'service type, sessionAffinity and targetPort',
      input: aService({ spec: { ports: [{ port: 80 }] } }),
      check: (o) => {
        const s = o as Service;
        expect(s.spec.type).toBe('ClusterIP');
        expect(s.spec.sessionAffinity).toBe('None');
        expect(s.spec.ports![0]).toMatchObject({ port: 80, targetPort: 80, protocol: 'TCP' });
      },
    },
    {
      name: 'namespace name label',
      input: ns('shop'),
      check: (o) => expect(o.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' }),
    },
  ])('applies defaults: $name', ({ input, check }) => {
    check(planCreate(clusterWith(ns('default')), input, context()).object);
  });

  it.each([
    { name: 'a pod', input: aPod(), message: 'pods "web-0" already exists', kind: 'pods', group: '' },
    {
      name: 'a namespace',
      input: ns('default'),
      message: 'namespaces "default" already exists',
      kind: 'namespaces',
      group: '',
    },
    {
      name: 'a network policy',
      input: aNetworkPolicy(),
      message: 'networkpolicies.networking.k8s.io "allow-clients" already exists',
      kind: 'networkpolicies',
      group: 'networking.k8s.io',
    },
  ])('refuses $name that exists with AlreadyExists', ({ input, message, kind, group }) => {
    const state = input.kind === 'Namespace' ? clusterWith(input) : clusterWith(ns('default'), input);
    const e = thrown(() => planCreate(state, input, context()));
    expect(e.code).toBe('AlreadyExists');
    expect(e.message).toBe(message);
    expect(e.details).toMatchObject({ kind, group, name: input.metadata.name });
  });

  it('refuses an object in a namespace that does not exist', () => {
    const e = thrown(() =>
      planCreate(clusterWith(ns('default')), aPod({ metadata: { namespace: 'x' } }), context()),
    );
    expect(e.code).toBe('NotFound');
    expect(e.message).toBe('namespaces "x" not found');
    expect(e.details).toMatchObject({ kind: 'namespaces', name: 'x' });
  });

  it('sees a namespace created earlier in the same overlay', () => {
    const view = new OverlayView(new ClusterState());
    view.record(planCreate(view, ns('shop'), context()));
    expect(planCreate(view, aPod({ metadata: { namespace: 'shop' } }), context()).type).toBe('ADDED');
  });

  it('creates cluster-scoped objects without any namespace', () => {
    expect(planCreate(new ClusterState(), aNode(), context()).object.metadata.namespace).toBeUndefined();
  });

  it('names a named-group kind by its GroupKind in the 422, as errors.NewInvalid does', () => {
    const state = clusterWith(ns('default'));
    const e = thrown(() =>
      planCreate(state, aNetworkPolicy({ spec: { policyTypes: ['Sideways'] } }), context()),
    );
    expect(e.message).toMatch(
      /^NetworkPolicy\.networking\.k8s\.io "allow-clients" is invalid: spec\.policyTypes\[0\]: Unsupported value: "Sideways"/,
    );
    expect(e.details).toMatchObject({
      kind: 'NetworkPolicy',
      group: 'networking.k8s.io',
      name: 'allow-clients',
    });
  });

  it('refuses an invalid object with Invalid and one cause per field error', () => {
    const e = thrown(() =>
      planCreate(clusterWith(ns('default')), aPod({ metadata: { name: 'Web_0' } }), context()),
    );
    expect(e.code).toBe('Invalid');
    expect(e.message).toMatch(/^Pod "Web_0" is invalid: metadata\.name: Invalid value: "Web_0": /);
    // errors.NewInvalid: details.kind is the Kind (NotFound and Conflict use the plural resource).
    expect(e.details).toMatchObject({ kind: 'Pod', group: '', name: 'Web_0' });
    expect(e.details.causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.name' }),
    ]);
  });

  it('validates before it looks for the namespace', () => {
    const e = thrown(() =>
      planCreate(
        new ClusterState(),
        aPod({ metadata: { name: 'Bad_Name', namespace: 'missing' } }),
        context(),
      ),
    );
    expect(e.code).toBe('Invalid');
  });

  it('lists several field errors in brackets', () => {
    const bad = aService({ metadata: { name: 'Web' }, spec: { ports: [{ name: 'http', port: 0 }] } });
    const e = thrown(() => planCreate(clusterWith(ns('default')), bad, context()));
    expect(e.code).toBe('Invalid');
    expect(e.message).toMatch(/^Service "Web" is invalid: \[.*, .*\]$/);
    expect(e.details.causes!.map((c) => c.field)).toEqual(
      expect.arrayContaining(['metadata.name', 'spec.ports[0].port']),
    );
  });

  it.each([
    {
      name: 'generateName alone makes the name',
      meta: { name: undefined, generateName: 'web-' },
      want: 'web-x7k2p',
    },
    { name: 'a name wins over generateName', meta: { name: 'fixed', generateName: 'web-' }, want: 'fixed' },
  ])('$name', ({ meta, want }) => {
    const w = planCreate(clusterWith(ns('default')), aPod({ metadata: meta }), context());
    expect(w.object.metadata.name).toBe(want);
    expect(w.object.metadata.generateName).toBe('web-');
  });

  it('requires a name or generateName', () => {
    const e = thrown(() =>
      planCreate(clusterWith(ns('default')), aPod({ metadata: { name: undefined } }), context()),
    );
    expect(e.code).toBe('Invalid');
    expect(e.details.causes!.map((c) => c.field)).toContain('metadata.name');
  });

  it('does not touch its input', () => {
    const input = deepFreeze(aPod({ metadata: { uid: 'forged' } }));
    const copy = structuredClone(input);
    planCreate(clusterWith(ns('default')), input, context());
    expect(input).toEqual(copy);
  });
});

describe('planUpdate', () => {
  const svc = aService({ spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] } });
  const stored = () => {
    const state = clusterWith(
      ns('default'),
      svc,
      aPod({ status: { phase: 'Running', podIP: '10.244.1.5' } }),
    );
    return {
      state,
      old: state.get('Service', 'default', 'web')!,
      oldPod: state.get('Pod', 'default', 'web-0')!,
    };
  };
  const withRv = <T extends KubeObject>(o: T, resourceVersion: string): T => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion },
  });

  it.each([
    { name: 'the stored object itself', body: (old: Service) => old },
    { name: 'the applied manifest again (no server fields, no defaults)', body: () => svc },
    { name: 'the manifest without the allocated clusterIP', body: () => aService() },
    { name: 'a stale resourceVersion when it is not checked', body: () => withRv(svc, '1') },
  ])('plans nothing for $name', ({ body }) => {
    const { state, old } = stored();
    expect(planUpdate(state, body(old), context(), { checkPreconditions: false })).toBeUndefined();
  });

  it('keeps uid and creationTimestamp from the stored object, and gives a Service no generation', () => {
    const { state, old } = stored();
    const body = aService({
      metadata: { labels: { v: '2' }, creationTimestamp: '1999-01-01T00:00:00Z', generation: 40 },
      spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] },
    });
    const w = planUpdate(state, body, context(), { checkPreconditions: true })!;
    expect(w.type).toBe('MODIFIED');
    expect(w.previous).toBe(old);
    expect(w.object.metadata).toMatchObject({
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
    });
    // As the API server: Services (like Namespaces and Nodes) carry no metadata.generation.
    expect(old.metadata.generation).toBeUndefined();
    expect(w.object.metadata.generation).toBeUndefined();
  });

  it('refuses a body whose uid names another object (the uid is immutable)', () => {
    const { state } = stored();
    const body = aService({
      metadata: { uid: 'forged' },
      spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] },
    });
    const e = thrown(() => planUpdate(state, body, context(), { checkPreconditions: true }));
    expect(e.code).toBe('Invalid');
    expect(e.message).toBe(
      'Service "web" is invalid: metadata.uid: Invalid value: "forged": field is immutable',
    );
  });

  describe('generation (kinds whose registry tracks it, e.g. NetworkPolicy)', () => {
    const np = aNetworkPolicy();
    const storedPolicy = () => {
      const state = clusterWith(ns('default'), np);
      return { state, old: state.get('NetworkPolicy', 'default', 'allow-clients')! };
    };

    it('keeps the stored generation over one the client sends', () => {
      const { state, old } = storedPolicy();
      const body = aNetworkPolicy({ metadata: { labels: { v: '2' }, generation: 40 } });
      const w = planUpdate(state, body, context(), { checkPreconditions: true })!;
      expect(old.metadata.generation).toBe(1);
      expect(w.object.metadata.generation).toBe(1);
    });

    it.each([
      {
        name: 'a label change keeps generation',
        patch: { metadata: { labels: { tier: 'fe' } } },
        generation: 1,
      },
      {
        name: 'an annotation change keeps generation',
        patch: { metadata: { annotations: { note: 'x' } } },
        generation: 1,
      },
      {
        name: 'a spec change bumps generation',
        patch: { spec: { policyTypes: ['Ingress', 'Egress'] } },
        generation: 2,
      },
      {
        name: 'a selector change bumps generation',
        patch: { spec: { podSelector: { matchLabels: { app: 'api' } } } },
        generation: 2,
      },
    ])('$name', ({ patch, generation }) => {
      const { state } = storedPolicy();
      const body = {
        ...np,
        metadata: { ...np.metadata, ...(patch as { metadata?: object }).metadata },
        spec: { ...np.spec, ...(patch as { spec?: object }).spec },
      } as KubeObject;
      expect(
        planUpdate(state, body, context(), { checkPreconditions: false })!.object.metadata.generation,
      ).toBe(generation);
    });

    it('counts generation up from the stored one', () => {
      const { state, old } = storedPolicy();
      const first = planUpdate(
        state,
        aNetworkPolicy({ spec: { podSelector: { matchLabels: { app: 'a' } } } }),
        context(),
        { checkPreconditions: false },
      )!;
      commit(state, [first], 100);
      const second = planUpdate(
        state,
        aNetworkPolicy({ spec: { podSelector: { matchLabels: { app: 'b' } } } }),
        context(),
        { checkPreconditions: false },
      )!;
      expect([
        old.metadata.generation,
        first.object.metadata.generation,
        second.object.metadata.generation,
      ]).toEqual([1, 2, 3]);
    });
  });

  it('refuses a stale resourceVersion with Conflict when it is checked', () => {
    const { state } = stored();
    const e = thrown(() =>
      planUpdate(state, withRv(aService({ metadata: { labels: { v: '2' } } }), '1'), context(), {
        checkPreconditions: true,
      }),
    );
    expect(e.code).toBe('Conflict');
    expect(e.message).toBe(
      'Operation cannot be fulfilled on services "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it.each([
    { name: 'the current resourceVersion', rv: (old: KubeObject) => old.metadata.resourceVersion },
    { name: 'no resourceVersion (unconditional update)', rv: () => undefined },
  ])('accepts $name when it is checked', ({ rv: pick }) => {
    const { state, old } = stored();
    const body = aService({ metadata: { labels: { v: '2' }, resourceVersion: pick(old) } });
    expect(planUpdate(state, body, context(), { checkPreconditions: true })?.type).toBe('MODIFIED');
  });

  it('ignores a stale resourceVersion when it is not checked', () => {
    const { state } = stored();
    const body = withRv(aService({ metadata: { labels: { v: '2' } } }), '1');
    expect(planUpdate(state, body, context(), { checkPreconditions: false })?.type).toBe('MODIFIED');
  });

  it('refuses an object that does not exist with NotFound', () => {
    const e = thrown(() =>
      planUpdate(clusterWith(ns('default')), aService({ metadata: { name: 'gone' } }), context(), {
        checkPreconditions: false,
      }),
    );
    expect(e.code).toBe('NotFound');
    expect(e.message).toBe('services "gone" not found');
  });

  it('keeps the stored status when the body has none', () => {
    const { state } = stored();
    const w = planUpdate(state, aPod({ metadata: { labels: { v: '2' } } }), context(), {
      checkPreconditions: false,
    })!;
    expect((w.object as Pod).status).toEqual({ phase: 'Running', podIP: '10.244.1.5' });
  });

  it('replaces the status when the body has one', () => {
    const { state } = stored();
    const w = planUpdate(state, aPod({ status: { phase: 'Succeeded' } }), context(), {
      checkPreconditions: false,
    })!;
    expect((w.object as Pod).status).toEqual({ phase: 'Succeeded' });
    expect(w.object.metadata.generation).toBe(1);
  });

  it('refuses a change to an immutable field with Invalid', () => {
    const { state } = stored();
    const body = aService({ spec: { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] } });
    const e = thrown(() => planUpdate(state, body, context(), { checkPreconditions: false }));
    expect(e.code).toBe('Invalid');
    expect(e.message).toMatch(
      /^Service "web" is invalid: spec\.clusterIPs\[0\]: Invalid value: .*may not change once set/,
    );
    expect(e.details.causes!.map((c) => c.field)).toEqual(['spec.clusterIPs[0]']);
  });

  it('refuses to add a container to a pod', () => {
    const { state } = stored();
    const body = aPod({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } });
    const e = thrown(() => planUpdate(state, body, context(), { checkPreconditions: false }));
    expect(e.code).toBe('Invalid');
    expect(e.details.causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueForbidden', field: 'spec.containers' }),
    ]);
  });
});

describe('planPatch (RFC 7386 merge patch)', () => {
  const setup = () => {
    const state = clusterWith(
      ns('default'),
      aService({ metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { clusterIP: '10.96.0.20' } }),
    );
    return { state, old: state.get('Service', 'default', 'web')! };
  };
  const patch = (state: ClusterState, p: unknown, ctx = context()) =>
    planPatch(state, 'Service', 'default', 'web', p, ctx);

  it.each<{ name: string; patch: unknown; labels: Record<string, string> | undefined }>([
    {
      name: 'adds a label',
      patch: { metadata: { labels: { env: 'prod' } } },
      labels: { app: 'web', tier: 'fe', env: 'prod' },
    },
    {
      name: 'replaces a label',
      patch: { metadata: { labels: { tier: 'be' } } },
      labels: { app: 'web', tier: 'be' },
    },
    { name: 'null deletes a label', patch: { metadata: { labels: { tier: null } } }, labels: { app: 'web' } },
    { name: 'null deletes all labels', patch: { metadata: { labels: null } }, labels: undefined },
  ])('$name', ({ patch: p, labels }) => {
    const { state } = setup();
    expect(patch(state, p)!.object.metadata.labels).toEqual(labels);
  });

  it('replaces arrays whole and bumps generation for a spec change', () => {
    const { state } = setup();
    const w = patch(state, { spec: { ports: [{ name: 'https', port: 443 }] } })!;
    const s = w.object as Service;
    expect(s.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }]);
    expect(s.spec.clusterIP).toBe('10.96.0.20');
    expect(w.object.metadata.generation).toBeUndefined(); // Services carry no generation
  });

  it('plans nothing for a patch that changes nothing', () => {
    const { state } = setup();
    expect(patch(state, { metadata: { labels: { app: 'web' } } })).toBeUndefined();
    expect(patch(state, {})).toBeUndefined();
  });

  it('treats a resourceVersion in the patch as a precondition', () => {
    const { state, old } = setup();
    const stale = thrown(() => patch(state, { metadata: { resourceVersion: '1', labels: { x: 'y' } } }));
    expect(stale.code).toBe('Conflict');
    expect(
      patch(state, { metadata: { resourceVersion: old.metadata.resourceVersion, labels: { x: 'y' } } })?.type,
    ).toBe('MODIFIED');
  });

  it('does not treat the stored resourceVersion as a precondition', () => {
    const { state } = setup();
    commit(state, [patch(state, { metadata: { labels: { x: '1' } } })!], 500);
    expect(patch(state, { metadata: { labels: { x: '2' } } })?.type).toBe('MODIFIED');
  });

  it.each<{ name: string; patch: unknown; message: RegExp }>([
    { name: 'a rename', patch: { metadata: { name: 'other' } }, message: /may not change metadata\.name/ },
    {
      name: 'a namespace move',
      patch: { metadata: { namespace: 'kube-system' } },
      message: /may not change metadata\.name or metadata\.namespace/,
    },
    {
      name: 'removing the name',
      patch: { metadata: { name: null } },
      message: /may not change metadata\.name/,
    },
    {
      name: 'a kind change',
      patch: { kind: 'Pod' },
      message: /may not change apiVersion or kind \(v1 Service\)/,
    },
    {
      name: 'an apiVersion change',
      patch: { apiVersion: 'v2' },
      message: /may not change apiVersion or kind/,
    },
    { name: 'an array body', patch: [{ op: 'add' }], message: /^the patch must be a JSON object$/ },
    { name: 'a string body', patch: 'x', message: /^the patch must be a JSON object$/ },
    { name: 'a null body', patch: null, message: /^the patch must be a JSON object$/ },
  ])('refuses $name with BadRequest', ({ patch: p, message }) => {
    const { state } = setup();
    const e = thrown(() => patch(state, p));
    expect(e.code).toBe('BadRequest');
    expect(e.message).toMatch(message);
  });

  it('refuses a patch that makes the object invalid', () => {
    const { state } = setup();
    const e = thrown(() => patch(state, { spec: { ports: [{ name: 'http', port: 0 }] } }));
    expect(e.code).toBe('Invalid');
    expect(e.details.causes!.map((c) => c.field)).toContain('spec.ports[0].port');
  });

  it('reports a body of the wrong shape as BadRequest through checkStructure', () => {
    const { state } = setup();
    const ctx = context({
      checkStructure: () => [
        { type: 'FieldValueTypeInvalid', field: 'spec.ports', value: 'x', detail: 'must be an array' },
      ],
    });
    const e = thrown(() => patch(state, { spec: { ports: 'x' } }, ctx));
    expect(e.code).toBe('BadRequest');
    expect(e.message).toBe(
      'Service in version "v1" cannot be handled as a Service: spec.ports: Invalid value: "x": must be an array',
    );
  });

  it('refuses a patch of an object that does not exist', () => {
    const e = thrown(() => planPatch(clusterWith(ns('default')), 'Pod', 'default', 'nope', {}, context()));
    expect(e.code).toBe('NotFound');
    expect(e.message).toBe('pods "nope" not found');
  });
});

describe('planDelete', () => {
  it.each(PROTECTED_NAMESPACES)('refuses to delete namespace %s', (name) => {
    const state = clusterWith(ns(name));
    const e = thrown(() => planDelete(state, 'Namespace', '', name));
    expect(e.code).toBe('Forbidden');
    expect(e.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    expect(e.details).toMatchObject({ kind: 'namespaces', name });
  });

  it('deletes a namespace with everything in it, and the namespace last', () => {
    const state = clusterWith(
      ns('default'),
      ns('shop'),
      aNode(),
      aPod({ metadata: { namespace: 'shop' } }),
      aService({ metadata: { namespace: 'shop' } }),
      aNetworkPolicy({ metadata: { namespace: 'shop' } }),
      aPod({ metadata: { namespace: 'default' } }),
    );
    const writes = planDelete(state, 'Namespace', '', 'shop');
    expect(writes.every((w) => w.type === 'DELETED' && w.previous === w.object)).toBe(true);
    expect(
      writes
        .map((w) => `${w.object.kind}/${w.object.metadata.namespace ?? ''}/${w.object.metadata.name}`)
        .sort(),
    ).toEqual(['Namespace//shop', 'NetworkPolicy/shop/allow-clients', 'Pod/shop/web-0', 'Service/shop/web']);
    expect(writes.at(-1)!.object.kind).toBe('Namespace');
  });

  it('deletes one object', () => {
    const state = clusterWith(ns('default'), aPod());
    const old = state.get('Pod', 'default', 'web-0');
    expect(planDelete(state, 'Pod', 'default', 'web-0')).toEqual([
      { type: 'DELETED', object: old, previous: old },
    ]);
  });

  it('refuses an object that does not exist', () => {
    const e = thrown(() => planDelete(clusterWith(ns('default')), 'Service', 'default', 'x'));
    expect(e.code).toBe('NotFound');
    expect(e.message).toBe('services "x" not found');
  });

  it.each<{
    name: string;
    opts: (o: KubeObject) => { uid?: string; resourceVersion?: string };
    ok: boolean;
    message?: RegExp;
  }>([
    { name: 'matching uid', opts: (o) => ({ uid: o.metadata.uid }), ok: true },
    {
      name: 'matching resourceVersion',
      opts: (o) => ({ resourceVersion: o.metadata.resourceVersion }),
      ok: true,
    },
    {
      name: 'both matching',
      opts: (o) => ({ uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion }),
      ok: true,
    },
    {
      name: 'other uid',
      opts: () => ({ uid: 'nope' }),
      ok: false,
      message:
        /^Operation cannot be fulfilled on pods "web-0": Precondition failed: UID in precondition: nope, UID in object meta: uid-/,
    },
    {
      name: 'stale resourceVersion',
      opts: () => ({ resourceVersion: '1' }),
      ok: false,
      message:
        /^Operation cannot be fulfilled on pods "web-0": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: \d+$/,
    },
  ])('precondition: $name', ({ opts, ok, message }) => {
    const state = clusterWith(ns('default'), aPod());
    const old = state.get('Pod', 'default', 'web-0')!;
    if (ok) {
      expect(planDelete(state, 'Pod', 'default', 'web-0', opts(old))).toHaveLength(1);
    } else {
      const e = thrown(() => planDelete(state, 'Pod', 'default', 'web-0', opts(old)));
      expect(e.code).toBe('Conflict');
      expect(e.message).toMatch(message!);
    }
  });
});

describe('OverlayView', () => {
  const base = clusterWith(
    ns('default'),
    ns('shop'),
    aPod({ metadata: { name: 'a' } }),
    aPod({ metadata: { name: 'b', namespace: 'shop' } }),
  );
  const names = (kind: KindName, v: OverlayView, namespace?: string) =>
    v
      .list(kind, namespace === undefined ? {} : { namespace })
      .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`)
      .sort();

  it('reads through to the base until something is recorded', () => {
    const v = new OverlayView(base);
    expect(v.get('Pod', 'default', 'a')).toBe(base.get('Pod', 'default', 'a'));
    expect(names('Pod', v)).toEqual(['default/a', 'shop/b']);
  });

  it('sees recorded additions, updates and deletions without changing the base', () => {
    const v = new OverlayView(base);
    const c = aPod({ metadata: { name: 'c' } });
    const a2 = aPod({ metadata: { name: 'a', labels: { v: '2' } } });
    v.record({ type: 'ADDED', object: c });
    v.record({ type: 'MODIFIED', object: a2 });
    v.record({ type: 'DELETED', object: base.get('Pod', 'shop', 'b')! });
    expect(v.get('Pod', 'default', 'c')).toBe(c);
    expect(v.get('Pod', 'default', 'a')).toBe(a2);
    expect(v.get('Pod', 'shop', 'b')).toBeUndefined();
    expect(names('Pod', v)).toEqual(['default/a', 'default/c']);
    expect(names('Pod', v, 'shop')).toEqual([]);
    expect(names('Pod', v, 'default')).toEqual(['default/a', 'default/c']);
    expect(v.list('Pod', { namespace: 'default' }).find((p) => p.metadata.name === 'a')).toBe(a2);
    expect(base.count('Pod')).toBe(2);
  });

  it('keeps kinds apart', () => {
    const v = new OverlayView(base);
    v.record({ type: 'ADDED', object: aService({ metadata: { name: 'a' } }) });
    v.record({ type: 'ADDED', object: ns('extra') });
    expect(names('Pod', v)).toEqual(['default/a', 'shop/b']);
    expect(names('Service', v)).toEqual(['default/a']);
    expect(names('Namespace', v)).toEqual(['/default', '/extra', '/shop']);
  });

  it('lets a later add bring back an object deleted earlier in the batch', () => {
    const v = new OverlayView(base);
    const a = base.get('Pod', 'default', 'a')!;
    v.record({ type: 'DELETED', object: a });
    v.record({ type: 'ADDED', object: a });
    expect(v.get('Pod', 'default', 'a')).toBe(a);
  });
});

describe('stampResourceVersion', () => {
  it('stamps a fresh planned object in place and freezes it all the way down', () => {
    const state = clusterWith(aNamespace({ metadata: { name: 'team-a' } }));
    const w = planCreate(state, aPod({ metadata: { name: 'web', namespace: 'team-a' } }), context());
    const stored = stampResourceVersion(w.object, '42');
    expect(stored).toBe(w.object);
    expect(stored.metadata.resourceVersion).toBe('42');
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored.metadata)).toBe(true);
    expect(Object.isFrozen((stored as Pod).spec.containers[0])).toBe(true);
  });

  it('copies a frozen object and leaves it as it was', () => {
    const committed = deepFreeze(aService({ metadata: { name: 'api', resourceVersion: '7' } }));
    const stored = stampResourceVersion(committed, '8');
    expect(stored).not.toBe(committed);
    expect(stored.metadata.resourceVersion).toBe('8');
    expect(committed.metadata.resourceVersion).toBe('7');
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.keys(stored.metadata)).toEqual(Object.keys(committed.metadata));
  });

  it('copies metadata an earlier write of the batch already stamped, so that write keeps its version', () => {
    const meta = { name: 'shared', namespace: 'default' };
    const first = { ...aService(), metadata: meta } as Service;
    const second = { ...first, spec: { ...first.spec, ports: [{ port: 81, protocol: 'TCP' as const }] } };
    const a = stampResourceVersion(first, '10');
    const b = stampResourceVersion(second, '11');
    expect(a.metadata.resourceVersion).toBe('10');
    expect(b.metadata.resourceVersion).toBe('11');
    expect(b).not.toBe(second);
    expect(b.metadata).not.toBe(a.metadata);
  });

  it('keeps the key order a copy would have (resourceVersion where the metadata had it, else last)', () => {
    const fresh = { ...aService(), metadata: { name: 'order', resourceVersion: '1', labels: {} } };
    expect(Object.keys(stampResourceVersion(fresh, '2').metadata)).toEqual([
      'name',
      'resourceVersion',
      'labels',
    ]);
    const without = { ...aService(), metadata: { name: 'order2', labels: {} } };
    expect(Object.keys(stampResourceVersion(without, '3').metadata)).toEqual([
      'name',
      'labels',
      'resourceVersion',
    ]);
  });
});
