/**
 * How an address given as an endpoint is read: as the running pod or node that holds it, with only that
 * address; never as a finished pod; a Service address refused (policy applies after the DNAT).
 */
import { describe, expect, it } from '@jest/globals';
import { thrownDomainError } from '../../../test/support/domain.js';
import type { KubeObject, NetworkPolicy, Pod, Service } from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { verdict } from './engine.js';

const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } as KubeObject;
function pod(name: string, ips: string[], o: Partial<Pod['status']> = {}, labels = { app: name }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'x', labels },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })), ...o },
  };
}
const policy = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'x' },
  spec,
});
function state(...objects: KubeObject[]): ClusterState {
  const s = new ClusterState();
  s.applyChanges(
    [ns, ...objects].map((object) => ({ type: 'ADDED' as const, object })),
    1,
  );
  return s;
}
const toB = { kind: 'pod' as const, pod: pod('b', ['10.0.0.9']), namespace: undefined };

describe('IP endpoints', () => {
  it('a dual-stack pod seen through one of its addresses carries only that address', () => {
    const onlyV4 = policy('from-v4', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }],
    });
    const s = state(pod('a', ['10.0.0.1', 'fd00::1']), pod('b', ['10.0.0.9']), onlyV4);
    expect(verdict(s, { kind: 'ip', ip: '10.0.0.1' }, toB, 80, 'TCP').allowed).toBe(true);
    expect(verdict(s, { kind: 'ip', ip: 'fd00::1' }, toB, 80, 'TCP').allowed).toBe(false);
  });

  it('a finished pod that still shows a reused address is not the sender; the running one is', () => {
    const fromA = policy('from-a', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }],
    });
    const s = state(
      pod('old', ['10.0.0.1'], { phase: 'Succeeded' }),
      pod('a', ['10.0.0.1']),
      pod('b', ['10.0.0.9']),
      fromA,
    );
    const v = verdict(s, { kind: 'ip', ip: '10.0.0.1' }, toB, 80, 'TCP');
    expect(v.allowed).toBe(true);
    expect(v.ingress.decidedBy).toBe('x/from-a ingress[0] from[0]');
  });

  it('a Service address is refused with its backends named', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'x' },
      spec: { selector: { app: 'b' }, clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] },
    };
    const s = state(pod('a', ['10.0.0.1']), pod('b', ['10.0.0.9']), svc);
    const a = { kind: 'pod' as const, pod: pod('a', ['10.0.0.1']), namespace: undefined };
    const err = thrownDomainError(() => verdict(s, a, { kind: 'ip', ip: '10.96.0.50' }, 80, 'TCP'));
    expect(err.code).toBe('BadRequest');
    expect(err.message).toBe(
      "10.96.0.50 is the clusterIP of Service x/web: NetworkPolicy applies after the Service's DNAT, to a backend pod; ask about one of them (x/b)",
    );
  });
});
