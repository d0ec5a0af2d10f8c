import { describe, expect, it } from '@jest/globals';
import type { Service } from '../model/types.js';
import { prepareForUpdate } from './carry-over.js';

function svc(spec: Partial<Service['spec']>): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { ports: [], ...spec },
  };
}

describe('prepareForUpdate (Service updates keep what was allocated)', () => {
  const old = svc({
    type: 'LoadBalancer',
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32000,
    ports: [
      { name: 'http', port: 80, nodePort: 30080 },
      { name: 'https', port: 443, nodePort: 30443 },
    ],
  });

  it.each([
    {
      name: 'clusterIP, clusterIPs and families copied when the body has none',
      next: svc({
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ports: [{ name: 'http', port: 80 }],
      }),
      expect: (s: Service) => {
        expect(s.spec.clusterIP).toBe('10.96.0.20');
        expect(s.spec.clusterIPs).toEqual(['10.96.0.20']);
        expect(s.spec.ipFamilies).toEqual(['IPv4']);
        expect(s.spec.ipFamilyPolicy).toBe('SingleStack');
      },
    },
    {
      name: 'nodePorts copied by port name',
      next: svc({
        type: 'LoadBalancer',
        ports: [
          { name: 'https', port: 8443 },
          { name: 'http', port: 80 },
        ],
      }),
      expect: (s: Service) => expect(s.spec.ports!.map((p) => p.nodePort)).toEqual([30443, 30080]),
    },
    {
      name: 'an old nodePort already used by another port of the new body is not copied',
      next: svc({
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443, nodePort: 30080 },
        ],
      }),
      expect: (s: Service) => expect(s.spec.ports!.map((p) => p.nodePort)).toEqual([undefined, 30080]),
    },
    {
      name: 'healthCheckNodePort kept for LoadBalancer + Local',
      next: svc({
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ports: [{ name: 'http', port: 80 }],
      }),
      expect: (s: Service) => expect(s.spec.healthCheckNodePort).toBe(32000),
    },
    {
      name: 'nothing copied into an ExternalName service',
      next: svc({ type: 'ExternalName', externalName: 'example.com' }),
      expect: (s: Service) => {
        expect(s.spec.clusterIP).toBeUndefined();
        expect(s.spec.clusterIPs).toBeUndefined();
      },
    },
    {
      name: 'nodePorts not copied when the new type is ClusterIP',
      next: svc({ type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] }),
      expect: (s: Service) => {
        expect(s.spec.ports![0]!.nodePort).toBeUndefined();
        expect(s.spec.clusterIP).toBe('10.96.0.20');
      },
    },
    {
      name: 'values the body sets win',
      next: svc({
        type: 'LoadBalancer',
        clusterIP: '10.96.0.99',
        clusterIPs: ['10.96.0.99'],
        ports: [{ name: 'http', port: 80, nodePort: 31000 }],
      }),
      expect: (s: Service) => {
        expect(s.spec.clusterIP).toBe('10.96.0.99');
        expect(s.spec.ports![0]!.nodePort).toBe(31000);
      },
    },
  ])('$name', ({ next, expect: check }) => {
    check(prepareForUpdate(next, old));
  });
});

describe('dropTypeDependentFields (a type change drops what only the old type used, if left unchanged)', () => {
  const nodePort = svc({
    type: 'NodePort',
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ports: [{ name: 'http', port: 80, nodePort: 30080 }],
  });
  const lb = svc({
    ...nodePort.spec,
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 32000,
    allocateLoadBalancerNodePorts: true,
    loadBalancerClass: 'example.com/lb',
  });

  it('NodePort -> ClusterIP by patching only the type drops nodePorts and externalTrafficPolicy, keeps the clusterIP', () => {
    const next = prepareForUpdate(svc({ ...nodePort.spec, type: 'ClusterIP' }), nodePort);
    expect(next.spec.ports).toEqual([{ name: 'http', port: 80 }]);
    expect(next.spec.externalTrafficPolicy).toBeUndefined();
    expect(next.spec.clusterIP).toBe('10.96.0.20');
  });

  it('an explicitly changed nodePort stays (and meets validation)', () => {
    const next = prepareForUpdate(
      svc({ ...nodePort.spec, type: 'ClusterIP', ports: [{ name: 'http', port: 80, nodePort: 30099 }] }),
      nodePort,
    );
    expect(next.spec.ports![0]!.nodePort).toBe(30099);
  });

  it('ClusterIP/NodePort -> ExternalName drops clusterIPs, families, family policy and internalTrafficPolicy', () => {
    const next = prepareForUpdate(
      svc({ ...nodePort.spec, type: 'ExternalName', externalName: 'example.com' }),
      nodePort,
    );
    expect(next.spec).not.toHaveProperty('clusterIP');
    expect(next.spec).not.toHaveProperty('clusterIPs');
    expect(next.spec).not.toHaveProperty('ipFamilies');
    expect(next.spec).not.toHaveProperty('ipFamilyPolicy');
    expect(next.spec).not.toHaveProperty('internalTrafficPolicy');
  });

  it('LoadBalancer -> NodePort drops healthCheckNodePort, allocateLoadBalancerNodePorts and loadBalancerClass, keeps nodePorts', () => {
    const next = prepareForUpdate(svc({ ...lb.spec, type: 'NodePort' }), lb);
    expect(next.spec.healthCheckNodePort).toBeUndefined();
    expect(next.spec.allocateLoadBalancerNodePorts).toBeUndefined();
    expect(next.spec.loadBalancerClass).toBeUndefined();
    expect(next.spec.ports![0]!.nodePort).toBe(30080);
    expect(next.spec.externalTrafficPolicy).toBe('Local');
  });

  it('LoadBalancer with externalTrafficPolicy Local -> Cluster drops the health-check port (same type)', () => {
    const next = prepareForUpdate(svc({ ...lb.spec, externalTrafficPolicy: 'Cluster' }), lb);
    expect(next.spec.type).toBe('LoadBalancer');
    expect(next.spec.healthCheckNodePort).toBeUndefined();
    expect(next.spec.ports![0]!.nodePort).toBe(30080);
  });

  it('externalTrafficPolicy Local -> Cluster with a new health-check port in the body keeps it (validation decides)', () => {
    const next = prepareForUpdate(
      svc({ ...lb.spec, externalTrafficPolicy: 'Cluster', healthCheckNodePort: 32001 }),
      lb,
    );
    expect(next.spec.healthCheckNodePort).toBe(32001);
  });

  it('the same type drops nothing', () => {
    expect(prepareForUpdate(nodePort, nodePort)).toEqual(nodePort);
  });

  it('a body without spec is treated as an empty spec, not a crash', () => {
    const bare = { ...nodePort, spec: undefined } as unknown as Service;
    expect(() => prepareForUpdate(bare, nodePort)).not.toThrow();
  });
});

describe('Namespace updates keep finalizers and status (namespaceStrategy.PrepareForUpdate)', () => {
  it('ignores finalizers and status in the body', () => {
    const old = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    } as const;
    const next = prepareForUpdate(
      {
        ...old,
        metadata: { name: 'shop', labels: { a: 'b' } },
        spec: { finalizers: [] },
        status: { phase: 'Terminating' },
      },
      old,
    );
    expect(next.spec?.finalizers).toEqual(['kubernetes']);
    expect(next.status).toEqual({ phase: 'Active' });
    expect(next.metadata.labels).toEqual({ a: 'b' });
  });
});
