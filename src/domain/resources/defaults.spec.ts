import { describe, expect, it } from '@jest/globals';
import {
  aContainer,
  aContainerPort,
  aNamespace,
  aNetworkPolicy,
  aNode,
  anEndpointSlice,
  anIngress,
  anIngressClass,
  aPod,
  aService,
  aServicePort,
} from '../../../test/factories/objects.js';
import type { KubeObject, Namespace, NetworkPolicy, Pod, Service } from '../model/types.js';
import { withDefaults } from './defaults.js';

/** Deep-freezes a value so any mutation by withDefaults throws. */
function frozen<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    Object.values(v).forEach(frozen);
    Object.freeze(v);
  }
  return v;
}

describe('withDefaults: Service', () => {
  const bare = (spec: Partial<Service['spec']>): Service =>
    frozen({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec });

  it.each([
    {
      name: 'ClusterIP with a bare port',
      input: bare({ ports: [{ port: 80 }] }),
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      },
    },
    {
      name: 'targetPort 0 and "" mean unset',
      input: bare({
        ports: [
          { name: 'a', port: 80, targetPort: 0 },
          { name: 'b', port: 81, targetPort: '' },
        ],
      }),
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        ports: [
          { name: 'a', port: 80, protocol: 'TCP', targetPort: 80 },
          { name: 'b', port: 81, protocol: 'TCP', targetPort: 81 },
        ],
      },
    },
    {
      name: 'NodePort gets an external traffic policy',
      input: bare({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http', protocol: 'UDP' }] }),
      spec: {
        type: 'NodePort',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        externalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, protocol: 'UDP', targetPort: 'http' }],
      },
    },
    {
      name: 'LoadBalancer keeps a set policy and allocates node ports',
      input: bare({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 443 }] }),
      spec: {
        type: 'LoadBalancer',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        externalTrafficPolicy: 'Local',
        allocateLoadBalancerNodePorts: true,
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
      },
    },
    {
      name: 'ExternalName gets no traffic policies',
      input: bare({ type: 'ExternalName', externalName: 'db.example.com' }),
      spec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' },
    },
    {
      name: 'ClientIP affinity gets the 3 hour timeout',
      input: bare({ sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }),
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        internalTrafficPolicy: 'Cluster',
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      },
    },
    {
      name: 'a set ClientIP timeout is kept',
      input: bare({
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        internalTrafficPolicy: 'Local',
      }),
      spec: {
        type: 'ClusterIP',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        internalTrafficPolicy: 'Local',
      },
    },
  ])('$name', ({ input, spec }) => {
    expect(withDefaults(input).spec).toEqual(spec);
  });

  it('assigns no addresses', () => {
    const out = withDefaults(frozen(aService({ spec: { type: 'LoadBalancer' } })));
    expect(out.spec.clusterIP).toBeUndefined();
    expect(out.spec.clusterIPs).toBeUndefined();
    expect(out.spec.ipFamilies).toBeUndefined();
    expect(out.spec.ports?.[0]?.nodePort).toBeUndefined();
  });
});

describe('withDefaults: Pod', () => {
  const bare = (spec: Pod['spec']): Pod =>
    frozen({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

  it.each([
    {
      name: 'policies and port protocols',
      input: bare({
        containers: [{ name: 'app', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }],
      }),
      spec: {
        containers: [
          {
            name: 'app',
            ports: [
              { containerPort: 80, protocol: 'TCP' },
              { containerPort: 53, protocol: 'UDP' },
            ],
          },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
      },
    },
    {
      name: 'set policies are kept; init containers too',
      input: bare({
        containers: [{ name: 'app' }],
        initContainers: [{ name: 'init', ports: [{ containerPort: 9000 }] }],
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['1.1.1.1'] },
        restartPolicy: 'Never',
      }),
      spec: {
        containers: [{ name: 'app' }],
        initContainers: [{ name: 'init', ports: [{ containerPort: 9000, protocol: 'TCP' }] }],
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['1.1.1.1'] },
        restartPolicy: 'Never',
      },
    },
    {
      name: 'host network ports get hostPort = containerPort',
      input: bare({ hostNetwork: true, containers: [{ name: 'app', ports: [{ containerPort: 10250 }] }] }),
      spec: {
        hostNetwork: true,
        containers: [{ name: 'app', ports: [{ containerPort: 10250, protocol: 'TCP', hostPort: 10250 }] }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
      },
    },
  ])('$name', ({ input, spec }) => {
    expect(withDefaults(input).spec).toEqual(spec);
  });

  it('leaves status (pod IPs) alone', () => {
    const pod = frozen(
      aPod({ spec: { containers: [aContainer({ ports: [aContainerPort({ protocol: undefined })] })] } }),
    );
    const out = withDefaults(pod);
    expect(out.status).toBeUndefined();
    expect(out.spec.containers[0]!.ports![0]!.protocol).toBe('TCP');
  });
});

describe('withDefaults: NetworkPolicy', () => {
  const np = (spec: Partial<NetworkPolicy['spec']>): NetworkPolicy =>
    frozen(aNetworkPolicy({ spec: { podSelector: {}, ingress: undefined, ...spec } }));

  it.each([
    { name: 'no rules isolates ingress', input: np({}), policyTypes: ['Ingress'] },
    { name: 'ingress rules only', input: np({ ingress: [{}] }), policyTypes: ['Ingress'] },
    {
      name: 'egress rules add Egress',
      input: np({ egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
      policyTypes: ['Ingress', 'Egress'],
    },
    { name: 'an empty egress list adds nothing', input: np({ egress: [] }), policyTypes: ['Ingress'] },
    { name: 'set policyTypes are kept', input: np({ policyTypes: ['Egress'] }), policyTypes: ['Egress'] },
  ])('$name', ({ input, policyTypes }) => {
    expect(withDefaults(input).spec.policyTypes).toEqual(policyTypes);
  });

  it('defaults port protocols in both directions', () => {
    const out = withDefaults(
      np({ ingress: [{ ports: [{ port: 80 }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }, {}] }] }),
    );
    expect(out.spec.ingress?.[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(out.spec.egress?.[0]?.ports).toEqual([{ port: 53, protocol: 'UDP' }, { protocol: 'TCP' }]);
  });
});

describe('withDefaults: Namespace', () => {
  it.each([
    {
      name: 'name label, finalizer and phase',
      input: aNamespace({ metadata: { name: 'team-a' } }),
      want: {
        metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
    },
    {
      name: 'the name label is forced over a wrong value',
      input: aNamespace({
        metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'x', team: 'a' } },
        spec: { finalizers: [] },
      }),
      want: {
        metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a', team: 'a' } },
        spec: { finalizers: [] },
        status: { phase: 'Active' },
      },
    },
  ])('$name', ({ input, want }) => {
    expect(withDefaults(frozen(input) as Namespace)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      ...want,
    });
  });
});

describe('withDefaults: other kinds', () => {
  it('EndpointSlice port protocols', () => {
    const out = withDefaults(
      frozen(
        anEndpointSlice({
          ports: [
            { name: 'dns', port: 53 },
            { name: 'x', protocol: 'UDP' },
          ],
        }),
      ),
    );
    expect(out.ports).toEqual([
      { name: 'dns', port: 53, protocol: 'TCP' },
      { name: 'x', protocol: 'UDP' },
    ]);
  });

  it('IngressClass parameters scope defaults to Cluster', () => {
    const out = withDefaults(frozen(anIngressClass({ spec: { parameters: { kind: 'P', name: 'p' } } })));
    expect(out.spec.parameters).toEqual({ kind: 'P', name: 'p', scope: 'Cluster' });
  });

  it.each([
    { name: 'Node', obj: aNode() },
    { name: 'Ingress', obj: anIngress() },
  ])('$name is returned as it is', ({ obj }) => {
    expect(withDefaults(frozen(obj as KubeObject))).toEqual(obj);
  });

  it.each([
    {
      name: 'Service',
      obj: aService({ spec: { ports: [aServicePort({ protocol: undefined, targetPort: undefined })] } }),
    },
    { name: 'Pod', obj: aPod() },
    { name: 'NetworkPolicy', obj: aNetworkPolicy() },
    { name: 'Namespace', obj: aNamespace() },
    { name: 'EndpointSlice', obj: anEndpointSlice() },
  ])('$name: defaulting twice changes nothing more', ({ obj }) => {
    const once = withDefaults(frozen(obj as KubeObject));
    expect(withDefaults(frozen(structuredClone(once)))).toEqual(once);
  });
});
