import { describe, expect, it } from '@jest/globals';
import type { KindName } from '../../../domain/model/kinds.js';
import { formatFieldError, type FieldError } from '../../../domain/validation/field-errors.js';
import { KIND_NAMES } from '../../../domain/model/kinds.js';
import { checkStructure, checkWithClassValidator, DTO_CLASSES, passesFastCheck } from './decode.js';
import { compileDto } from './fast-check.js';

type Obj = Record<string, unknown>;

const meta = (name: string, extra: Obj = {}): Obj => ({ name, namespace: 'default', ...extra });

const namespace = (extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a' },
  ...extra,
});

const node = (spec: Obj = {}, status: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
  spec: {
    podCIDR: '10.244.1.0/24',
    podCIDRs: ['10.244.1.0/24'],
    taints: [{ key: 'k', effect: 'NoSchedule' }],
    ...spec,
  },
  status: {
    addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
    capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    ...status,
  },
});

const pod = (spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta('web-0', { labels: { app: 'web' }, ...metadata }),
  spec: {
    containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    ...spec,
  },
});

const service = (spec: Obj = {}, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('web'),
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  ...extra,
});

const endpointSlice = (extra: Obj = {}): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: meta('web-abc12', { labels: { 'kubernetes.io/service-name': 'web' } }),
  addressType: 'IPv4',
  endpoints: [
    {
      addresses: ['10.244.1.5'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'worker-1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' },
    },
  ],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ...extra,
});

const networkPolicy = (spec: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: meta('allow-web'),
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [
          { podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['fe'] }] } },
          { namespaceSelector: {} },
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }, { port: 'http' }, { port: 30000, endPort: 32767 }],
      },
    ],
    egress: [{ to: [{ podSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }],
    ...spec,
  },
});

const ingress = (spec: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: meta('web'),
  spec: {
    ingressClassName: 'nginx',
    defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
    tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
    rules: [
      {
        host: 'web.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
    ...spec,
  },
  status: { loadBalancer: { ingress: [{ ip: '172.18.255.1' }] } },
});

const ingressClass = (spec: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
  spec: {
    controller: 'k8s.io/ingress-nginx',
    parameters: { kind: 'IngressParameters', name: 'external-lb' },
    ...spec,
  },
});

interface ValidRow {
  name: string;
  kind: KindName;
  raw: Obj;
}

const validRows: ValidRow[] = [
  { name: 'Namespace with only metadata', kind: 'Namespace', raw: namespace() },
  {
    name: 'Namespace with spec, status and null labels',
    kind: 'Namespace',
    raw: namespace({
      metadata: { name: 'x', labels: null },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }),
  },
  {
    name: 'Node with CIDRs, taints, addresses and capacity',
    kind: 'Node',
    raw: node({}, { nodeInfo: { kubeletVersion: 'v1.31.0' } }),
  },
  {
    name: 'Pod with unknown fields (volumes, env, managedFields) and a null creationTimestamp',
    kind: 'Pod',
    raw: pod(
      {
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [
          {
            name: 'app',
            image: 'nginx',
            env: [{ name: 'A', value: '1' }],
            resources: { limits: { cpu: 1 } },
          },
        ],
        tolerations: [{ key: 'k', operator: 'Exists' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
        terminationGracePeriodSeconds: 30,
      },
      { creationTimestamp: null, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] },
    ),
  },
  {
    name: 'Pod with status as a snapshot has it',
    kind: 'Pod',
    raw: {
      ...pod(),
      status: {
        phase: 'Running',
        podIP: '10.244.1.5',
        podIPs: [{ ip: '10.244.1.5' }],
        hostIPs: [{ ip: '172.18.0.2' }],
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }],
      },
    },
  },
  {
    name: 'Service with a named targetPort, clusterIPs and LoadBalancer status',
    kind: 'Service',
    raw: service(
      {
        type: 'LoadBalancer',
        ports: [{ port: 443, targetPort: 'https', nodePort: 31443, protocol: 'TCP' }],
        clusterIPs: ['10.96.0.10', 'fd00::10'],
        ipFamilies: ['IPv4', 'IPv6'],
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        allocateLoadBalancerNodePorts: true,
      },
      { status: { loadBalancer: { ingress: [{ ip: '172.18.255.10', ipMode: 'VIP', ports: [] }] } } },
    ),
  },
  {
    name: 'Service without spec.ports[0].port (Required is the domain’s)',
    kind: 'Service',
    raw: service({ ports: [{ name: 'x' }] }),
  },
  {
    name: 'Pod without spec (Required is the domain’s)',
    kind: 'Pod',
    raw: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
  },
  { name: 'EndpointSlice with top-level endpoints and ports', kind: 'EndpointSlice', raw: endpointSlice() },
  {
    name: 'NetworkPolicy with int and named ports, peers and ipBlock',
    kind: 'NetworkPolicy',
    raw: networkPolicy(),
  },
  { name: 'Ingress with rules, TLS and a resource backend', kind: 'Ingress', raw: ingress() },
  { name: 'IngressClass with parameters', kind: 'IngressClass', raw: ingressClass() },
];

interface InvalidRow {
  name: string;
  kind: KindName;
  raw: unknown;
  errors: FieldError[];
}

const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field,
  value,
  detail,
});

const invalidRows: InvalidRow[] = [
  {
    name: 'Service port as a string',
    kind: 'Service',
    raw: service({ ports: [{ port: 'abc' }] }),
    errors: [typeInvalid('spec.ports[0].port', 'abc', 'must be an integer')],
  },
  {
    name: 'Service targetPort as a float',
    kind: 'Service',
    raw: service({ ports: [{ port: 80 }, { port: 81, targetPort: 80.5 }] }),
    errors: [typeInvalid('spec.ports[1].targetPort', 80.5, 'must be an integer or a string')],
  },
  {
    name: 'Service selector as a string',
    kind: 'Service',
    raw: service({ selector: 'app=web' }),
    errors: [typeInvalid('spec.selector', 'app=web', 'must be a map of string keys to string values')],
  },
  {
    name: 'Service clusterIPs with a number item',
    kind: 'Service',
    raw: service({ clusterIPs: ['10.96.0.10', 7] }),
    errors: [typeInvalid('spec.clusterIPs[1]', 7, 'must be a string')],
  },
  {
    name: 'Service spec.ports as an object',
    kind: 'Service',
    raw: service({ ports: { port: 80 } }),
    errors: [typeInvalid('spec.ports', { port: 80 }, 'must be an array')],
  },
  {
    name: 'label value as a number (YAML `version: 1`)',
    kind: 'Pod',
    raw: pod({}, { labels: { app: 'web', version: 1 } }),
    errors: [
      typeInvalid(
        'metadata.labels',
        { app: 'web', version: 1 },
        'must be a map of string keys to string values',
      ),
    ],
  },
  {
    name: 'annotations as an array',
    kind: 'Namespace',
    raw: namespace({ metadata: { name: 'x', annotations: ['a'] } }),
    errors: [typeInvalid('metadata.annotations', ['a'], 'must be a map of string keys to string values')],
  },
  {
    name: 'metadata.name as a number',
    kind: 'Namespace',
    raw: namespace({ metadata: { name: 42 } }),
    errors: [typeInvalid('metadata.name', 42, 'must be a string')],
  },
  {
    name: 'metadata.generation as a string',
    kind: 'Pod',
    raw: pod({}, { generation: '1' }),
    errors: [typeInvalid('metadata.generation', '1', 'must be an integer')],
  },
  {
    name: 'Pod spec.containers as an object',
    kind: 'Pod',
    raw: pod({ containers: { name: 'app' } }),
    errors: [typeInvalid('spec.containers', { name: 'app' }, 'must be an array')],
  },
  {
    name: 'Pod container item as a string',
    kind: 'Pod',
    raw: pod({ containers: [{ name: 'a' }, 'nginx'] }),
    errors: [typeInvalid('spec.containers[1]', 'nginx', 'must be an object')],
  },
  {
    name: 'Pod containers nested one array too deep',
    kind: 'Pod',
    raw: pod({ containers: [[{ name: 'a' }]] }),
    errors: [typeInvalid('spec.containers[0]', [{ name: 'a' }], 'must be an object')],
  },
  {
    name: 'Pod containerPort as a numeric string',
    kind: 'Pod',
    raw: pod({ containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: '8080' }] }] }),
    errors: [typeInvalid('spec.containers[0].ports[1].containerPort', '8080', 'must be an integer')],
  },
  {
    name: 'Pod hostNetwork as a string',
    kind: 'Pod',
    raw: pod({ hostNetwork: 'true' }),
    errors: [typeInvalid('spec.hostNetwork', 'true', 'must be a boolean')],
  },
  {
    name: 'Pod tolerations item as a string',
    kind: 'Pod',
    raw: pod({ tolerations: ['NoSchedule'] }),
    errors: [typeInvalid('spec.tolerations[0]', 'NoSchedule', 'must be an object')],
  },
  {
    name: 'Node unschedulable as a string and capacity with a number',
    kind: 'Node',
    raw: node({ unschedulable: 'yes' }, { capacity: { cpu: 4 } }),
    errors: [
      typeInvalid('spec.unschedulable', 'yes', 'must be a boolean'),
      typeInvalid('status.capacity', { cpu: 4 }, 'must be a map of string keys to string values'),
    ],
  },
  {
    name: 'EndpointSlice addresses as a string, ready as a string, port as a name',
    kind: 'EndpointSlice',
    raw: endpointSlice({
      endpoints: [{ addresses: '10.244.1.5', conditions: { ready: 'yes' } }],
      ports: [{ port: 'http' }],
    }),
    errors: [
      typeInvalid('endpoints[0].addresses', '10.244.1.5', 'must be an array'),
      typeInvalid('endpoints[0].conditions.ready', 'yes', 'must be a boolean'),
      typeInvalid('ports[0].port', 'http', 'must be an integer'),
    ],
  },
  {
    name: 'EndpointSlice addressType as a number',
    kind: 'EndpointSlice',
    raw: endpointSlice({ addressType: 4 }),
    errors: [typeInvalid('addressType', 4, 'must be a string')],
  },
  {
    name: 'NetworkPolicy peer matchLabels with a boolean value',
    kind: 'NetworkPolicy',
    raw: networkPolicy({ ingress: [{ from: [{ podSelector: { matchLabels: { web: true } } }] }] }),
    errors: [
      typeInvalid(
        'spec.ingress[0].from[0].podSelector.matchLabels',
        { web: true },
        'must be a map of string keys to string values',
      ),
    ],
  },
  {
    name: 'NetworkPolicy port as a float and endPort as a string',
    kind: 'NetworkPolicy',
    raw: networkPolicy({ egress: [{ ports: [{ port: 1.5, endPort: '90' }] }] }),
    errors: [
      typeInvalid('spec.egress[0].ports[0].port', 1.5, 'must be an integer or a string'),
      typeInvalid('spec.egress[0].ports[0].endPort', '90', 'must be an integer'),
    ],
  },
  {
    name: 'NetworkPolicy podSelector as an array',
    kind: 'NetworkPolicy',
    raw: networkPolicy({ podSelector: [{ matchLabels: { a: 'b' } }] }),
    errors: [typeInvalid('spec.podSelector', [{ matchLabels: { a: 'b' } }], 'must be an object')],
  },
  {
    name: 'NetworkPolicy matchExpressions values as a string',
    kind: 'NetworkPolicy',
    raw: networkPolicy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] } }),
    errors: [typeInvalid('spec.podSelector.matchExpressions[0].values', 'x', 'must be an array')],
  },
  {
    name: 'Ingress backend port number as a string',
    kind: 'Ingress',
    raw: ingress({
      rules: [
        { http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: '80' } } } }] } },
      ],
    }),
    errors: [
      typeInvalid('spec.rules[0].http.paths[0].backend.service.port.number', '80', 'must be an integer'),
    ],
  },
  {
    name: 'Ingress tls hosts as a string',
    kind: 'Ingress',
    raw: ingress({ tls: [{ hosts: 'web.example.com' }] }),
    errors: [typeInvalid('spec.tls[0].hosts', 'web.example.com', 'must be an array')],
  },
  {
    name: 'IngressClass parameters as a string',
    kind: 'IngressClass',
    raw: ingressClass({ parameters: 'external-lb' }),
    errors: [typeInvalid('spec.parameters', 'external-lb', 'must be an object')],
  },
  {
    name: 'top level not an object',
    kind: 'Pod',
    raw: [pod()],
    errors: [typeInvalid('', [pod()], 'must be an object')],
  },
  {
    name: 'top level without kind, with a numeric apiVersion and a string metadata',
    kind: 'Service',
    raw: { apiVersion: 1, metadata: 'web', spec: { ports: [] } },
    errors: [
      typeInvalid('apiVersion', 1, 'must be a string'),
      { type: 'FieldValueRequired', field: 'kind', detail: '' },
      typeInvalid('metadata', 'web', 'must be an object'),
    ],
  },
  {
    name: 'top level with null metadata',
    kind: 'Namespace',
    raw: { apiVersion: 'v1', kind: 'Namespace', metadata: null },
    errors: [{ type: 'FieldValueRequired', field: 'metadata', detail: '' }],
  },
  {
    name: 'spec as a string',
    kind: 'Service',
    raw: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: 'ClusterIP' },
    errors: [typeInvalid('spec', 'ClusterIP', 'must be an object')],
  },
];

describe('checkStructure', () => {
  it.each(validRows)('accepts: $name', ({ kind, raw }) => {
    expect(checkStructure(kind, raw)).toEqual([]);
  });

  it.each(invalidRows)('reports: $name', ({ kind, raw, errors }) => {
    expect(checkStructure(kind, raw)).toEqual(errors);
  });

  it('leaves the raw object as it was, unknown fields included', () => {
    const raw = pod({ volumes: [{ name: 'v', emptyDir: {} }] }, { managedFields: [{ manager: 'kubectl' }] });
    const before = structuredClone(raw);
    checkStructure('Pod', raw);
    expect(raw).toEqual(before);
  });

  it('renders as the API server words a field error', () => {
    const [e] = checkStructure('Service', service({ ports: [{ port: 'abc' }] }));
    expect(formatFieldError(e!)).toBe('spec.ports[0].port: Invalid value: "abc": must be an integer');
  });
});

describe('the compiled fast path', () => {
  it.each([...KIND_NAMES])('compiles the %s DTO (no constraint it does not know)', (kind) => {
    expect(compileDto(DTO_CLASSES[kind])).not.toBeNull();
  });

  it.each(validRows)('takes every well-formed object without class-validator: $name', ({ kind, raw }) => {
    expect(passesFastCheck(kind, raw)).toBe(true);
  });

  it.each(invalidRows)('never passes what class-validator refuses: $name', ({ kind, raw }) => {
    expect(passesFastCheck(kind, raw)).toBe(false);
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      expect(checkWithClassValidator(kind, raw as Record<string, unknown>)).toEqual(
        checkStructure(kind, raw),
      );
    }
  });
});
