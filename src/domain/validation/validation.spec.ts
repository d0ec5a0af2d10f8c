/**
 * Table-driven validation cases. Each row is one object and the exact errors the API server would
 * report for it, rendered as `field: Type: value: detail` (formatFieldError), so both the field path
 * and the upstream wording are pinned. Valid rows also pass once defaulted.
 */
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
  aPeer,
  aPod,
  aService,
  aServicePort,
} from '../../../test/factories/objects.js';
import type { KubeObject } from '../model/types.js';
import { withDefaults } from '../resources/defaults.js';
import { formatFieldError } from './field-errors.js';
import { validateCreate, validateLabelSelector, validateUpdate } from './index.js';
import { nameValidator } from './metadata.js';

// Upstream detail texts (k8s.io/apimachinery/pkg/util/validation), written out so a wording change shows.
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const POD_UPDATE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

interface Row {
  readonly name: string;
  readonly obj: KubeObject;
  readonly errors: readonly string[];
}

interface UpdateRow extends Row {
  readonly old: KubeObject;
}

const errorsOf = (obj: KubeObject): string[] => validateCreate(obj).map(formatFieldError);

function table(rows: readonly Row[]): void {
  it.each(rows)('$name', ({ obj, errors }) => {
    expect(errorsOf(obj)).toEqual(errors);
    if (errors.length === 0) expect(errorsOf(withDefaults(obj))).toEqual([]);
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('ObjectMeta', () => {
  table([
    { name: 'a minimal service is valid', obj: aService(), errors: [] },
    {
      name: 'name is required',
      obj: aService({ metadata: { name: '' } }),
      errors: ['metadata.name: Required value: name or generateName is required'],
    },
    {
      name: 'generateName alone is not enough: the name is generated before validation',
      obj: aPod({ metadata: { name: '', generateName: 'web-' } }),
      errors: ['metadata.name: Required value: name or generateName is required'],
    },
    {
      name: 'service names are DNS-1035 labels',
      obj: aService({ metadata: { name: '1web' } }),
      errors: [`metadata.name: Invalid value: "1web": ${DNS1035_LABEL}`],
    },
    { name: 'pod names may contain dots', obj: aPod({ metadata: { name: 'web.v1' } }), errors: [] },
    {
      name: 'pod names are DNS-1123 subdomains',
      obj: aPod({ metadata: { name: 'Web' } }),
      errors: [`metadata.name: Invalid value: "Web": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'namespace names are DNS-1123 labels',
      obj: aNamespace({ metadata: { name: 'team.a' } }),
      errors: [`metadata.name: Invalid value: "team.a": ${DNS1123_LABEL}`],
    },
    {
      name: 'namespaced kinds need a namespace',
      obj: aPod({ metadata: { namespace: undefined } }),
      errors: ['metadata.namespace: Required value'],
    },
    {
      name: 'the namespace must be a DNS-1123 label',
      obj: aNetworkPolicy({ metadata: { namespace: 'Team_A' } }),
      errors: [`metadata.namespace: Invalid value: "Team_A": ${DNS1123_LABEL}`],
    },
    {
      name: 'cluster-scoped kinds take no namespace',
      obj: aNode({ metadata: { namespace: 'default' } }),
      errors: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'label values are checked',
      obj: aService({ metadata: { labels: { app: 'bad value!' } } }),
      errors: [`metadata.labels: Invalid value: "bad value!": ${LABEL_VALUE}`],
    },
    {
      name: 'label keys are qualified names',
      obj: aService({ metadata: { labels: { 'example.com/bad key': 'x' } } }),
      errors: [`metadata.labels: Invalid value: "example.com/bad key": ${NAME_PART}`],
    },
    {
      name: 'annotation keys ignore case',
      obj: aService({ metadata: { annotations: { 'Example.COM/Owner': 'Team A, with spaces!' } } }),
      errors: [],
    },
    {
      name: 'annotations may hold at most 256 KiB',
      obj: aService({ metadata: { annotations: { big: 'x'.repeat(262144) } } }),
      errors: ['metadata.annotations: Too long: must have at most 262144 bytes'],
    },
  ]);
});

describe('Service', () => {
  table([
    {
      name: 'NodePort with a node port',
      obj: aService({ spec: { type: 'NodePort', ports: [aServicePort({ nodePort: 30080 })] } }),
      errors: [],
    },
    { name: 'headless without ports', obj: aService({ spec: { clusterIP: 'None', ports: [] } }), errors: [] },
    {
      name: 'ExternalName with a fully qualified name',
      obj: aService({
        spec: { type: 'ExternalName', externalName: 'db.example.com.', ports: [], selector: undefined },
      }),
      errors: [],
    },
    {
      name: 'dual-stack clusterIPs',
      obj: aService({
        spec: {
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10', 'fd00::a'],
          ipFamilies: ['IPv4', 'IPv6'],
          ipFamilyPolicy: 'PreferDualStack',
        },
      }),
      errors: [],
    },
    {
      name: 'ClientIP affinity at the maximum timeout',
      obj: aService({
        spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } },
      }),
      errors: [],
    },
    {
      name: 'unsupported type',
      obj: aService({ spec: { type: 'Foo' as 'ClusterIP' } }),
      errors: [
        'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    },
    {
      name: 'ports are required',
      obj: aService({ spec: { ports: [] } }),
      errors: ['spec.ports: Required value'],
    },
    {
      name: 'port 0',
      obj: aService({ spec: { ports: [aServicePort({ port: 0 })] } }),
      errors: [`spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}`],
    },
    {
      name: 'port above 65535',
      obj: aService({ spec: { ports: [aServicePort({ port: 65536, targetPort: 80 })] } }),
      errors: [`spec.ports[0].port: Invalid value: 65536: ${PORT_RANGE}`],
    },
    {
      name: 'unsupported protocol',
      obj: aService({ spec: { ports: [aServicePort({ protocol: 'HTTP' as 'TCP' })] } }),
      errors: ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    },
    {
      name: 'names are required with several ports',
      obj: aService({ spec: { ports: [aServicePort(), aServicePort({ name: undefined, port: 443 })] } }),
      errors: ['spec.ports[1].name: Required value'],
    },
    {
      name: 'port names are unique',
      obj: aService({ spec: { ports: [aServicePort(), aServicePort({ port: 443 })] } }),
      errors: ['spec.ports[1].name: Duplicate value: "http"'],
    },
    {
      name: 'port names are DNS-1123 labels',
      obj: aService({ spec: { ports: [aServicePort({ name: 'HTTP' })] } }),
      errors: [`spec.ports[0].name: Invalid value: "HTTP": ${DNS1123_LABEL}`],
    },
    {
      name: 'numeric targetPort out of range',
      obj: aService({ spec: { ports: [aServicePort({ targetPort: 65536 })] } }),
      errors: [`spec.ports[0].targetPort: Invalid value: 65536: ${PORT_RANGE}`],
    },
    {
      name: 'named targetPort with consecutive hyphens',
      obj: aService({ spec: { ports: [aServicePort({ targetPort: 'http--alt' })] } }),
      errors: ['spec.ports[0].targetPort: Invalid value: "http--alt": must not contain consecutive hyphens'],
    },
    {
      name: 'named targetPort with an underscore',
      obj: aService({ spec: { ports: [aServicePort({ targetPort: 'web_http' })] } }),
      errors: [
        'spec.ports[0].targetPort: Invalid value: "web_http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    },
    {
      name: 'nodePort on a ClusterIP service',
      obj: aService({ spec: { ports: [aServicePort({ nodePort: 30080 })] } }),
      errors: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    },
    {
      name: 'allocateLoadBalancerNodePorts on a ClusterIP service',
      obj: aService({ spec: { allocateLoadBalancerNodePorts: false } }),
      errors: [
        "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
      ],
    },
    {
      name: 'the kubelet port on a LoadBalancer service',
      obj: aService({ spec: { type: 'LoadBalancer', ports: [aServicePort({ port: 10250 })] } }),
      errors: [
        'spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet',
      ],
    },
    {
      name: 'nodePort out of range',
      obj: aService({ spec: { type: 'NodePort', ports: [aServicePort({ nodePort: 70000 })] } }),
      errors: [`spec.ports[0].nodePort: Invalid value: 70000: ${PORT_RANGE}`],
    },
    {
      name: 'duplicate nodePort',
      obj: aService({
        spec: {
          type: 'NodePort',
          ports: [
            aServicePort({ nodePort: 30080 }),
            aServicePort({ name: 'alt', port: 81, nodePort: 30080 }),
          ],
        },
      }),
      errors: ['spec.ports[1].nodePort: Duplicate value: 30080'],
    },
    {
      name: 'ExternalName needs externalName',
      obj: aService({ spec: { type: 'ExternalName', ports: [] } }),
      errors: ['spec.externalName: Required value'],
    },
    {
      name: 'externalName must be a DNS subdomain',
      obj: aService({ spec: { type: 'ExternalName', externalName: 'Bad_Name' } }),
      errors: [`spec.externalName: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'ExternalName takes no clusterIP',
      obj: aService({
        spec: { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.5' },
      }),
      errors: ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
    },
    {
      name: 'None only for ClusterIP services',
      obj: aService({ spec: { type: 'NodePort', clusterIP: 'None' } }),
      errors: [`spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`],
    },
    {
      name: 'clusterIP must be an IP',
      obj: aService({ spec: { clusterIP: '10.96.0.300' } }),
      errors: [`spec.clusterIPs[0]: Invalid value: "10.96.0.300": ${IP}`],
    },
    {
      name: 'clusterIP with a leading zero',
      obj: aService({ spec: { clusterIP: '010.96.0.1' } }),
      errors: [`spec.clusterIPs[0]: Invalid value: "010.96.0.1": ${IP}`],
    },
    {
      name: 'clusterIP must equal clusterIPs[0]',
      obj: aService({ spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.2'] } }),
      errors: ['spec.clusterIPs: Invalid value: ["10.96.0.2"]: first value must match `clusterIP`'],
    },
    {
      name: 'one clusterIP per family',
      obj: aService({ spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1', '10.96.0.2'] } }),
      errors: [
        'spec.clusterIPs: Invalid value: ["10.96.0.1","10.96.0.2"]: may specify no more than one IP for each IP family',
      ],
    },
    {
      name: 'clusterIPs follow ipFamilies',
      obj: aService({ spec: { clusterIP: 'fd00::a', ipFamilies: ['IPv4'] } }),
      errors: [
        'spec.clusterIPs[0]: Invalid value: "fd00::a": expected an IPv4 value as indicated by `ipFamilies[0]`',
      ],
    },
    {
      name: 'unsupported ipFamilyPolicy',
      obj: aService({ spec: { ipFamilyPolicy: 'DualStack' } }),
      errors: [
        'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
      ],
    },
    {
      name: 'unsupported sessionAffinity',
      obj: aService({ spec: { sessionAffinity: 'Sticky' } }),
      errors: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    },
    {
      name: 'ClientIP timeout of 0',
      obj: aService({
        spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } },
      }),
      errors: [
        'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
      ],
    },
    {
      name: 'ClientIP timeout above a day',
      obj: aService({
        spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } },
      }),
      errors: [
        'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
      ],
    },
    {
      name: 'externalTrafficPolicy on an internal service',
      obj: aService({ spec: { externalTrafficPolicy: 'Local' } }),
      errors: [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
      ],
    },
    {
      name: 'unsupported externalTrafficPolicy',
      obj: aService({ spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Nearest' } }),
      errors: [
        'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"',
      ],
    },
    {
      name: 'unsupported internalTrafficPolicy',
      obj: aService({ spec: { internalTrafficPolicy: 'Node' } }),
      errors: ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
    },
    {
      name: 'selector values are label values',
      obj: aService({ spec: { selector: { app: 'web*' } } }),
      errors: [`spec.selector: Invalid value: "web*": ${LABEL_VALUE}`],
    },
    {
      name: 'externalIPs must be IPs',
      obj: aService({ spec: { externalIPs: ['203.0.113'] } }),
      errors: [`spec.externalIPs[0]: Invalid value: "203.0.113": ${IP}`],
    },
    {
      name: 'externalIPs may not be loopback',
      obj: aService({ spec: { externalIPs: ['127.0.0.1'] } }),
      errors: [
        'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
    },
  ]);
});

describe('Pod', () => {
  table([
    { name: 'a minimal pod', obj: aPod(), errors: [] },
    {
      name: 'DNS, aliases and dual-stack status',
      obj: aPod({
        spec: {
          hostname: 'web-0',
          subdomain: 'web',
          dnsPolicy: 'None',
          dnsConfig: {
            nameservers: ['10.96.0.10'],
            searches: ['svc.cluster.local.', 'cluster.local'],
            options: [{ name: 'ndots', value: '2' }],
          },
          hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar'] }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          nodeName: 'node-1',
        },
        status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] },
      }),
      errors: [],
    },
    {
      name: 'the same port name in two containers (upstream only warns)',
      obj: aPod({
        spec: {
          containers: [
            aContainer(),
            aContainer({ name: 'sidecar', ports: [aContainerPort({ containerPort: 9090 })] }),
          ],
        },
      }),
      errors: [],
    },
    {
      name: 'containers are required',
      obj: aPod({ spec: { containers: [] } }),
      errors: ['spec.containers: Required value'],
    },
    {
      name: 'container names are DNS-1123 labels',
      obj: aPod({ spec: { containers: [aContainer({ name: 'App' })] } }),
      errors: [`spec.containers[0].name: Invalid value: "App": ${DNS1123_LABEL}`],
    },
    {
      name: 'container names are unique',
      obj: aPod({ spec: { containers: [aContainer(), aContainer({ ports: [] })] } }),
      errors: ['spec.containers[1].name: Duplicate value: "app"'],
    },
    {
      name: 'init and regular containers share one name space',
      obj: aPod({ spec: { initContainers: [aContainer({ ports: [] })] } }),
      errors: ['spec.containers[0].name: Duplicate value: "app"'],
    },
    {
      name: 'containerPort is required',
      obj: aPod({ spec: { containers: [aContainer({ ports: [aContainerPort({ containerPort: 0 })] })] } }),
      errors: ['spec.containers[0].ports[0].containerPort: Required value'],
    },
    {
      name: 'containerPort out of range',
      obj: aPod({
        spec: { containers: [aContainer({ ports: [aContainerPort({ containerPort: 70000 })] })] },
      }),
      errors: [`spec.containers[0].ports[0].containerPort: Invalid value: 70000: ${PORT_RANGE}`],
    },
    {
      name: 'hostPort out of range',
      obj: aPod({ spec: { containers: [aContainer({ ports: [aContainerPort({ hostPort: 70000 })] })] } }),
      errors: [`spec.containers[0].ports[0].hostPort: Invalid value: 70000: ${PORT_RANGE}`],
    },
    {
      name: 'port name longer than 15',
      obj: aPod({
        spec: { containers: [aContainer({ ports: [aContainerPort({ name: 'metrics-endpoint' })] })] },
      }),
      errors: [
        'spec.containers[0].ports[0].name: Invalid value: "metrics-endpoint": must be no more than 15 characters',
      ],
    },
    {
      name: 'port name without a letter',
      obj: aPod({ spec: { containers: [aContainer({ ports: [aContainerPort({ name: '8080' })] })] } }),
      errors: [
        'spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)',
      ],
    },
    {
      name: 'port names are unique within a container',
      obj: aPod({
        spec: {
          containers: [aContainer({ ports: [aContainerPort(), aContainerPort({ containerPort: 8081 })] })],
        },
      }),
      errors: ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    },
    {
      name: 'unsupported container port protocol',
      obj: aPod({
        spec: { containers: [aContainer({ ports: [aContainerPort({ protocol: 'ICMP' as 'TCP' })] })] },
      }),
      errors: [
        'spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      ],
    },
    {
      name: 'hostPort must equal containerPort on the host network',
      obj: aPod({
        spec: { hostNetwork: true, containers: [aContainer({ ports: [aContainerPort({ hostPort: 80 })] })] },
      }),
      errors: [
        'spec.containers[0].ports[0].hostPort: Invalid value: 80: must match `containerPort` when `hostNetwork` is true',
      ],
    },
    {
      name: 'unsupported dnsPolicy',
      obj: aPod({ spec: { dnsPolicy: 'ClusterFirstly' } }),
      errors: [
        'spec.dnsPolicy: Unsupported value: "ClusterFirstly": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    },
    {
      name: 'dnsPolicy None needs dnsConfig',
      obj: aPod({ spec: { dnsPolicy: 'None' } }),
      errors: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    },
    {
      name: 'dnsPolicy None needs a nameserver',
      obj: aPod({ spec: { dnsPolicy: 'None', dnsConfig: { searches: ['cluster.local'] } } }),
      errors: [
        'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
      ],
    },
    {
      name: 'nameservers are IPs',
      obj: aPod({ spec: { dnsConfig: { nameservers: ['8.8.8'] } } }),
      errors: [`spec.dnsConfig.nameservers[0]: Invalid value: "8.8.8": ${IP}`],
    },
    {
      name: 'at most 3 nameservers',
      obj: aPod({ spec: { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', '8.8.4.4'] } } }),
      errors: [
        'spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","8.8.4.4"]: must not have more than 3 nameservers',
      ],
    },
    {
      name: 'at most 32 search domains',
      obj: aPod({ spec: { dnsConfig: { searches: range(33).map((i) => `d${i}.example`) } } }),
      errors: [
        `spec.dnsConfig.searches: Invalid value: ${JSON.stringify(range(33).map((i) => `d${i}.example`))}: must not have more than 32 search paths`,
      ],
    },
    {
      name: 'search domains are DNS subdomains',
      obj: aPod({ spec: { dnsConfig: { searches: ['Bad_Domain'] } } }),
      errors: [`spec.dnsConfig.searches[0]: Invalid value: "Bad_Domain": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'hostname is a DNS-1123 label',
      obj: aPod({ spec: { hostname: 'web.0' } }),
      errors: [`spec.hostname: Invalid value: "web.0": ${DNS1123_LABEL}`],
    },
    {
      name: 'subdomain is a DNS-1123 label',
      obj: aPod({ spec: { subdomain: 'my_svc' } }),
      errors: [`spec.subdomain: Invalid value: "my_svc": ${DNS1123_LABEL}`],
    },
    {
      name: 'hostAliases ip',
      obj: aPod({ spec: { hostAliases: [{ ip: 'not-an-ip', hostnames: ['foo'] }] } }),
      errors: [`spec.hostAliases[0].ip: Invalid value: "not-an-ip": ${IP}`],
    },
    {
      name: 'hostAliases hostnames',
      obj: aPod({ spec: { hostAliases: [{ ip: '10.1.2.3', hostnames: ['Foo_Bar'] }] } }),
      errors: [`spec.hostAliases[0].hostnames[0]: Invalid value: "Foo_Bar": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'unsupported restartPolicy',
      obj: aPod({ spec: { restartPolicy: 'Sometimes' } }),
      errors: [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    },
    {
      name: 'nodeSelector keys',
      obj: aPod({ spec: { nodeSelector: { 'disk type': 'ssd' } } }),
      errors: [`spec.nodeSelector: Invalid value: "disk type": ${NAME_PART}`],
    },
    {
      name: 'status.podIP is an IP',
      obj: aPod({ status: { podIP: '10.244.1.256' } }),
      errors: [`status.podIP: Invalid value: "10.244.1.256": ${IP}`],
    },
    {
      name: 'podIPs[0] is podIP',
      obj: aPod({ status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.6' }] } }),
      errors: ['status.podIPs: Invalid value: [{"ip":"10.244.1.6"}]: first value must match `podIP`'],
    },
    {
      name: 'one podIP per family',
      obj: aPod({ status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }] } }),
      errors: [
        'status.podIPs: Invalid value: [{"ip":"10.244.1.5"},{"ip":"10.244.1.6"}]: may specify no more than one IP for each IP family',
      ],
    },
  ]);
});

describe('Node', () => {
  table([
    { name: 'a minimal node', obj: aNode(), errors: [] },
    {
      name: 'dual-stack pod CIDRs',
      obj: aNode({ spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] } }),
      errors: [],
    },
    {
      name: 'podCIDR is a CIDR',
      obj: aNode({ spec: { podCIDR: '10.244.1.0', podCIDRs: undefined } }),
      errors: [`spec.podCIDRs[0]: Invalid value: "10.244.1.0": ${CIDR}`],
    },
    {
      name: 'podCIDR has no host bits',
      obj: aNode({ spec: { podCIDR: '10.244.1.1/24', podCIDRs: ['10.244.1.1/24'] } }),
      errors: [
        'spec.podCIDRs[0]: Invalid value: "10.244.1.1/24": must not have bits set beyond the prefix length',
      ],
    },
    {
      name: 'podCIDR equals podCIDRs[0]',
      obj: aNode({ spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.2.0/24'] } }),
      errors: ['spec.podCIDRs: Invalid value: ["10.244.2.0/24"]: first value must match `podCIDR`'],
    },
    {
      name: 'one pod CIDR per family',
      obj: aNode({ spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', '10.245.1.0/24'] } }),
      errors: [
        'spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.245.1.0/24"]: may specify no more than one CIDR for each IP family',
      ],
    },
    {
      name: 'at most two pod CIDRs',
      obj: aNode({
        spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00::/64', '10.245.0.0/24'] },
      }),
      errors: [
        'spec.podCIDRs: Invalid value: ["10.244.1.0/24","fd00::/64","10.245.0.0/24"]: may specify no more than one CIDR for each IP family',
      ],
    },
    {
      name: 'unsupported taint effect',
      obj: aNode({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoRun' }] } }),
      errors: [
        'spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    },
    {
      name: 'taint effect is required',
      obj: aNode({ spec: { taints: [{ key: 'dedicated', effect: '' }] } }),
      errors: ['spec.taints[0].effect: Required value'],
    },
    {
      name: 'taint keys are qualified names',
      obj: aNode({ spec: { taints: [{ key: 'bad key', effect: 'NoSchedule' }] } }),
      errors: [`spec.taints[0].key: Invalid value: "bad key": ${NAME_PART}`],
    },
    {
      name: 'taints are unique by key and effect',
      obj: aNode({
        spec: {
          taints: [
            { key: 'a', effect: 'NoSchedule' },
            { key: 'a', value: 'x', effect: 'NoSchedule' },
          ],
        },
      }),
      errors: [
        'spec.taints[1]: Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}: taints must be unique by key and effect pair',
      ],
    },
    {
      name: 'InternalIP addresses are IPs',
      obj: aNode({ status: { addresses: [{ type: 'InternalIP', address: '172.18.0' }] } }),
      errors: [`status.addresses[0].address: Invalid value: "172.18.0": ${IP}`],
    },
  ]);
});

describe('Namespace', () => {
  table([
    { name: 'a namespace', obj: aNamespace({ metadata: { name: 'team-a' } }), errors: [] },
    {
      name: 'a matching name label',
      obj: aNamespace({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } } }),
      errors: [],
    },
    {
      name: 'the name label must equal the name',
      obj: aNamespace({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-b' } } }),
      errors: [
        'metadata.labels[kubernetes.io/metadata.name]: Invalid value: "team-b": must equal the namespace name "team-a"',
      ],
    },
    {
      name: 'finalizers are standard or qualified',
      obj: aNamespace({ spec: { finalizers: ['custom'] } }),
      errors: [
        'spec.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    },
  ]);
});

describe('NetworkPolicy', () => {
  table([
    { name: 'a minimal policy', obj: aNetworkPolicy(), errors: [] },
    {
      name: 'ipBlock, named port, port range, namespace selector',
      obj: aNetworkPolicy({
        spec: {
          podSelector: {
            matchExpressions: [
              { key: 'tier', operator: 'In', values: ['web', 'api'] },
              { key: 'canary', operator: 'DoesNotExist' },
            ],
          },
          ingress: [
            {
              from: [
                aPeer({ namespaceSelector: { matchLabels: { team: 'a' } } }),
                { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
              ],
              ports: [
                { protocol: 'TCP', port: 'http' },
                { protocol: 'UDP', port: 5000, endPort: 5100 },
              ],
            },
          ],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
          policyTypes: ['Ingress', 'Egress'],
        },
      }),
      errors: [],
    },
    {
      name: 'ipBlock tolerates host bits',
      obj: aNetworkPolicy({ spec: { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/8' } }] }] } }),
      errors: [],
    },
    {
      name: 'unknown selector operator',
      obj: aNetworkPolicy({
        spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] } },
      }),
      errors: [
        'spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
      ],
    },
    {
      name: 'In needs values',
      obj: aNetworkPolicy({
        spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } },
      }),
      errors: [
        "spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    },
    {
      name: 'Exists takes no values',
      obj: aNetworkPolicy({
        spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] } },
      }),
      errors: [
        "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    },
    {
      name: 'selector expression values are label values',
      obj: aNetworkPolicy({
        spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a b'] }] } },
      }),
      errors: [`spec.podSelector.matchExpressions[0].values[0]: Invalid value: "a b": ${LABEL_VALUE}`],
    },
    {
      name: 'peer selector keys',
      obj: aNetworkPolicy({
        spec: { ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'a b': 'x' } } }] }] },
      }),
      errors: [`spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: "a b": ${NAME_PART}`],
    },
    {
      name: 'unsupported port protocol',
      obj: aNetworkPolicy({ spec: { ingress: [{ ports: [{ protocol: 'ICMP' as 'TCP', port: 80 }] }] } }),
      errors: [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      ],
    },
    {
      name: 'port 0',
      obj: aNetworkPolicy({ spec: { ingress: [{ ports: [{ port: 0 }] }] } }),
      errors: [`spec.ingress[0].ports[0].port: Invalid value: 0: ${PORT_RANGE}`],
    },
    {
      name: 'named port by the IANA rule',
      obj: aNetworkPolicy({ spec: { egress: [{ ports: [{ port: '-dns' }] }] } }),
      errors: ['spec.egress[0].ports[0].port: Invalid value: "-dns": must not begin or end with a hyphen'],
    },
    {
      name: 'endPort needs a numeric port',
      obj: aNetworkPolicy({ spec: { ingress: [{ ports: [{ port: 'http', endPort: 9000 }] }] } }),
      errors: [
        'spec.ingress[0].ports[0].endPort: Invalid value: 9000: may not be specified when `port` is non-numeric',
      ],
    },
    {
      name: 'endPort below port',
      obj: aNetworkPolicy({ spec: { ingress: [{ ports: [{ port: 8080, endPort: 8000 }] }] } }),
      errors: [
        'spec.ingress[0].ports[0].endPort: Invalid value: 8080: must be greater than or equal to `port`',
      ],
    },
    {
      name: 'endPort without port',
      obj: aNetworkPolicy({ spec: { ingress: [{ ports: [{ endPort: 8000 }] }] } }),
      errors: [
        'spec.ingress[0].ports[0].endPort: Invalid value: 8000: may not be specified when `port` is not specified',
      ],
    },
    {
      name: 'ipBlock is exclusive',
      obj: aNetworkPolicy({ spec: { ingress: [{ from: [aPeer({ ipBlock: { cidr: '10.0.0.0/8' } })] }] } }),
      errors: ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer'],
    },
    {
      name: 'a peer must say something',
      obj: aNetworkPolicy({ spec: { ingress: [{ from: [{}] }] } }),
      errors: ['spec.ingress[0].from[0]: Required value: must specify a peer'],
    },
    {
      name: 'ipBlock cidr is a CIDR',
      obj: aNetworkPolicy({ spec: { ingress: [{ from: [aPeer(), { ipBlock: { cidr: '10.0.0.0/33' } }] }] } }),
      errors: [`spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.0/33": ${CIDR}`],
    },
    {
      name: 'ipBlock cidr is required',
      obj: aNetworkPolicy({ spec: { egress: [{ to: [{ ipBlock: { cidr: '' } }] }] } }),
      errors: ['spec.egress[0].to[0].ipBlock.cidr: Required value'],
    },
    {
      name: 'except outside cidr',
      obj: aNetworkPolicy({
        spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] },
      }),
      errors: [
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`',
      ],
    },
    {
      name: 'except equal to cidr',
      obj: aNetworkPolicy({
        spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] },
      }),
      errors: [
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
      ],
    },
    {
      name: 'except is a CIDR',
      obj: aNetworkPolicy({
        spec: { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0'] } }] }] },
      }),
      errors: [`spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0": ${CIDR}`],
    },
    {
      name: 'unsupported policyType',
      obj: aNetworkPolicy({ spec: { policyTypes: ['Both'] } }),
      errors: ['spec.policyTypes[0]: Unsupported value: "Both": supported values: "Ingress", "Egress"'],
    },
    {
      name: 'at most two policyTypes',
      obj: aNetworkPolicy({ spec: { policyTypes: ['Ingress', 'Egress', 'Ingress'] } }),
      errors: [
        'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
      ],
    },
  ]);
});

describe('Ingress', () => {
  const path = (o: object) =>
    anIngress({ spec: { rules: [{ host: 'web.example.com', http: { paths: [o as never] } }] } });
  const svcBackend = { service: { name: 'web', port: { number: 80 } } };
  table([
    { name: 'a host rule', obj: anIngress(), errors: [] },
    {
      name: 'only a default backend',
      obj: anIngress({
        spec: { rules: undefined, defaultBackend: { service: { name: 'web', port: { name: 'http' } } } },
      }),
      errors: [],
    },
    {
      name: 'wildcard host, TLS and a resource backend',
      obj: anIngress({
        spec: {
          tls: [{ hosts: ['*.example.com'], secretName: 'wildcard-tls' }],
          rules: [
            {
              host: '*.example.com',
              http: {
                paths: [
                  {
                    path: '/static',
                    pathType: 'ImplementationSpecific',
                    backend: {
                      resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' },
                    },
                  },
                ],
              },
            },
          ],
        },
      }),
      errors: [],
    },
    {
      name: 'rules or a default backend',
      obj: anIngress({ spec: { rules: undefined } }),
      errors: ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified'],
    },
    {
      name: 'host is not an IP',
      obj: anIngress({
        spec: {
          rules: [
            { host: '10.0.0.1', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svcBackend }] } },
          ],
        },
      }),
      errors: ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    },
    {
      name: 'host is a DNS subdomain',
      obj: anIngress({ spec: { rules: [{ host: 'Web.Example.com' }] } }),
      errors: [`spec.rules[0].host: Invalid value: "Web.Example.com": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'wildcard only as the first label',
      obj: anIngress({ spec: { rules: [{ host: 'foo.*.example.com' }] } }),
      errors: [`spec.rules[0].host: Invalid value: "foo.*.example.com": ${WILDCARD}`],
    },
    {
      name: 'http needs paths',
      obj: anIngress({ spec: { rules: [{ host: 'web.example.com', http: { paths: [] } }] } }),
      errors: ['spec.rules[0].http.paths: Required value'],
    },
    {
      name: 'pathType is required',
      obj: path({ path: '/', backend: svcBackend }),
      errors: ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    },
    {
      name: 'unsupported pathType',
      obj: path({ path: '/', pathType: 'Regex', backend: svcBackend }),
      errors: [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ],
    },
    {
      name: 'Prefix paths are absolute',
      obj: path({ path: 'api', pathType: 'Prefix', backend: svcBackend }),
      errors: ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    },
    {
      name: 'Exact paths have no empty segments',
      obj: path({ path: '/api//v1', pathType: 'Exact', backend: svcBackend }),
      errors: ['spec.rules[0].http.paths[0].path: Invalid value: "/api//v1": must not contain \'//\''],
    },
    {
      name: 'service and resource backends exclude each other',
      obj: path({
        path: '/',
        pathType: 'Prefix',
        backend: { ...svcBackend, resource: { kind: 'Bucket', name: 'b' } },
      }),
      errors: [
        'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
      ],
    },
    {
      name: 'a backend is required',
      obj: path({ path: '/', pathType: 'Prefix', backend: {} }),
      errors: [
        'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required',
      ],
    },
    {
      name: 'port name and number exclude each other',
      obj: path({
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: 'web', port: { name: 'http', number: 80 } } },
      }),
      errors: [
        'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
      ],
    },
    {
      name: 'a port is required',
      obj: path({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web' } } }),
      errors: ['spec.rules[0].http.paths[0].backend: Required value: port name or number is required'],
    },
    {
      name: 'port number range',
      obj: path({
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: 'web', port: { number: 70000 } } },
      }),
      errors: [
        `spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: ${PORT_RANGE}`,
      ],
    },
    {
      name: 'port names by the IANA rule',
      obj: path({
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: 'web', port: { name: 'HTTP' } } },
      }),
      errors: [
        'spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    },
    {
      name: 'backend service names are DNS-1035 labels',
      obj: path({
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: '9web', port: { number: 80 } } },
      }),
      errors: [`spec.rules[0].http.paths[0].backend.service.name: Invalid value: "9web": ${DNS1035_LABEL}`],
    },
    {
      name: 'ingressClassName is a DNS subdomain',
      obj: anIngress({ spec: { ingressClassName: 'Nginx' } }),
      errors: [`spec.ingressClassName: Invalid value: "Nginx": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'TLS hosts are DNS names',
      obj: anIngress({ spec: { tls: [{ hosts: ['web example.com'] }] } }),
      errors: [`spec.tls[0].hosts[0]: Invalid value: "web example.com": ${DNS1123_SUBDOMAIN}`],
    },
  ]);
});

describe('IngressClass', () => {
  table([
    { name: 'an ingress class', obj: anIngressClass(), errors: [] },
    {
      name: 'namespaced parameters',
      obj: anIngressClass({
        spec: {
          parameters: {
            apiGroup: 'k8s.example.com',
            kind: 'IngressParameters',
            name: 'external',
            scope: 'Namespace',
            namespace: 'ingress',
          },
        },
      }),
      errors: [],
    },
    {
      name: 'controller is required',
      obj: anIngressClass({ spec: { controller: undefined } }),
      errors: ['spec.controller: Required value'],
    },
    {
      name: 'controller is domain-prefixed',
      obj: anIngressClass({ spec: { controller: 'nginx' } }),
      errors: [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
      ],
    },
    {
      name: 'controller domain is a DNS subdomain',
      obj: anIngressClass({ spec: { controller: 'Example.com/ingress' } }),
      errors: [`spec.controller: Invalid value: "Example.com": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'controller path characters',
      obj: anIngressClass({ spec: { controller: 'example.com/my ingress' } }),
      errors: [
        "spec.controller: Invalid value: \"my ingress\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      ],
    },
    {
      name: 'controller at most 250 characters',
      obj: anIngressClass({ spec: { controller: `example.com/${'a'.repeat(240)}` } }),
      errors: ['spec.controller: Too long: must have at most 250 bytes'],
    },
    {
      name: 'Namespace scope needs a namespace',
      obj: anIngressClass({
        spec: { parameters: { kind: 'IngressParameters', name: 'external', scope: 'Namespace' } },
      }),
      errors: ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    },
  ]);
});

describe('EndpointSlice', () => {
  table([
    { name: 'an IPv4 slice', obj: anEndpointSlice(), errors: [] },
    {
      name: 'an FQDN slice with an unnamed port',
      obj: anEndpointSlice({
        addressType: 'FQDN',
        endpoints: [{ addresses: ['db.example.com'] }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      }),
      errors: [],
    },
    {
      name: 'addressType is required',
      obj: anEndpointSlice({ addressType: '' }),
      errors: ['addressType: Required value'],
    },
    {
      name: 'unsupported addressType',
      obj: anEndpointSlice({ addressType: 'IP' }),
      errors: ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'],
    },
    {
      name: 'an endpoint needs an address',
      obj: anEndpointSlice({ endpoints: [{ addresses: [] }] }),
      errors: ['endpoints[0].addresses: Required value: must contain at least 1 address'],
    },
    {
      name: 'at most 100 addresses per endpoint',
      obj: anEndpointSlice({
        endpoints: [{ addresses: range(101).map((i) => `10.0.${i >> 8}.${(i % 250) + 1}`) }],
      }),
      errors: ['endpoints[0].addresses: Too many: 101: must have at most 100 items'],
    },
    {
      name: 'at most 1000 endpoints',
      obj: anEndpointSlice({ endpoints: range(1001).map(() => ({ addresses: ['10.0.0.1'] })) }),
      errors: ['endpoints: Too many: 1001: must have at most 1000 items'],
    },
    {
      name: 'addresses match the address type',
      obj: anEndpointSlice({ endpoints: [{ addresses: ['fd00::1'] }] }),
      errors: ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    },
    {
      name: 'no loopback endpoints',
      obj: anEndpointSlice({ addressType: 'IPv6', endpoints: [{ addresses: ['::1'] }] }),
      errors: [
        'endpoints[0].addresses[0]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      ],
    },
    {
      name: 'FQDN needs two labels',
      obj: anEndpointSlice({ addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] }),
      errors: [
        'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
      ],
    },
    {
      name: 'endpoint hostname is a DNS-1123 label',
      obj: anEndpointSlice({ endpoints: [{ addresses: ['10.244.1.5'], hostname: 'web.0' }] }),
      errors: [`endpoints[0].hostname: Invalid value: "web.0": ${DNS1123_LABEL}`],
    },
    {
      name: 'endpoint nodeName is a DNS subdomain',
      obj: anEndpointSlice({ endpoints: [{ addresses: ['10.244.1.5'], nodeName: 'Node_1' }] }),
      errors: [`endpoints[0].nodeName: Invalid value: "Node_1": ${DNS1123_SUBDOMAIN}`],
    },
    {
      name: 'port names are DNS-1123 labels',
      obj: anEndpointSlice({ ports: [{ name: 'HTTP', port: 80 }] }),
      errors: [`ports[0].name: Invalid value: "HTTP": ${DNS1123_LABEL}`],
    },
    {
      name: 'port names are unique, the empty name too',
      obj: anEndpointSlice({ ports: [{ port: 80 }, { port: 81 }] }),
      errors: ['ports[1].name: Duplicate value: ""'],
    },
    {
      name: 'at most 100 ports',
      obj: anEndpointSlice({ ports: range(101).map((i) => ({ name: `p${i}`, port: 1000 + i })) }),
      errors: ['ports: Too many: 101: must have at most 100 items'],
    },
    {
      name: 'unsupported port protocol',
      obj: anEndpointSlice({ ports: [{ name: 'http', port: 80, protocol: 'QUIC' as 'TCP' }] }),
      errors: ['ports[0].protocol: Unsupported value: "QUIC": supported values: "SCTP", "TCP", "UDP"'],
    },
  ]);
});

describe('validateLabelSelector', () => {
  it.each([
    { name: 'absent', sel: undefined, errors: [] },
    { name: 'empty selects everything', sel: {}, errors: [] },
    {
      name: 'NotIn without values',
      sel: { matchExpressions: [{ key: 'a', operator: 'NotIn' }] },
      errors: [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    },
    {
      name: 'DoesNotExist with values',
      sel: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      errors: [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    },
    {
      name: 'bad expression key',
      sel: { matchExpressions: [{ key: '-a', operator: 'Exists' }] },
      errors: [`spec.selector.matchExpressions[0].key: Invalid value: "-a": ${NAME_PART}`],
    },
  ])('$name', ({ sel, errors }) => {
    expect(validateLabelSelector(sel, 'spec.selector').map(formatFieldError)).toEqual(errors);
  });
});

describe('validateUpdate', () => {
  const svc = aService({ spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] } });
  const running = aPod({
    spec: { nodeName: 'node-1', activeDeadlineSeconds: 600, tolerations: [{ key: 'a', operator: 'Exists' }] },
  });
  const rows: UpdateRow[] = [
    { name: 'an unchanged service', old: svc, obj: svc, errors: [] },
    {
      name: 'clusterIP may not change',
      old: svc,
      obj: aService({ spec: { clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'] } }),
      errors: ['spec.clusterIPs[0]: Invalid value: ["10.96.0.2"]: may not change once set'],
    },
    {
      name: 'clusterIP may not be unset',
      old: svc,
      obj: aService(),
      errors: ['spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset'],
    },
    { name: 'clusterIP may be assigned', old: aService(), obj: svc, errors: [] },
    {
      name: 'a secondary clusterIP may be added',
      old: svc,
      obj: aService({
        spec: {
          clusterIP: '10.96.0.1',
          clusterIPs: ['10.96.0.1', 'fd00::1'],
          ipFamilyPolicy: 'PreferDualStack',
        },
      }),
      errors: [],
    },
    {
      name: 'turning into an ExternalName drops the IPs',
      old: svc,
      obj: aService({ spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [] } }),
      errors: [],
    },
    {
      name: 'the name is immutable',
      old: svc,
      obj: aService({
        metadata: { name: 'web2' },
        spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] },
      }),
      errors: ['metadata.name: Invalid value: "web2": field is immutable'],
    },
    {
      name: 'a pod image may change',
      old: running,
      obj: aPod({
        spec: {
          nodeName: 'node-1',
          activeDeadlineSeconds: 600,
          tolerations: [{ key: 'a', operator: 'Exists' }],
          containers: [aContainer({ image: 'nginx:1.28' })],
        },
      }),
      errors: [],
    },
    {
      name: 'tolerations may be added and the deadline shortened',
      old: running,
      obj: aPod({
        spec: {
          nodeName: 'node-1',
          activeDeadlineSeconds: 300,
          tolerations: [
            { key: 'a', operator: 'Exists' },
            { key: 'b', operator: 'Exists' },
          ],
        },
      }),
      errors: [],
    },
    {
      name: 'other pod fields are fixed',
      old: running,
      obj: aPod({
        spec: {
          nodeName: 'node-2',
          activeDeadlineSeconds: 600,
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      }),
      errors: [`spec: Forbidden: ${POD_UPDATE}\n  changed: spec.nodeName`],
    },
    {
      name: 'the deadline may not grow',
      old: running,
      obj: aPod({
        spec: {
          nodeName: 'node-1',
          activeDeadlineSeconds: 900,
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      }),
      errors: [
        'spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value',
      ],
    },
    {
      name: 'containers may not be added',
      old: aPod(),
      obj: aPod({ spec: { containers: [aContainer(), aContainer({ name: 'sidecar', ports: [] })] } }),
      errors: ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    },
    {
      name: 'a node gets its podCIDR',
      old: aNode({ spec: { podCIDR: undefined, podCIDRs: undefined } }),
      obj: aNode(),
      errors: [],
    },
    {
      name: 'podCIDR is then fixed',
      old: aNode(),
      obj: aNode({ spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'] } }),
      errors: ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'],
    },
    {
      name: 'a policy spec may change',
      old: aNetworkPolicy(),
      obj: aNetworkPolicy({ spec: { policyTypes: ['Ingress', 'Egress'] } }),
      errors: [],
    },
    {
      name: 'the ingress controller is immutable',
      old: anIngressClass(),
      obj: anIngressClass({ spec: { controller: 'example.com/other' } }),
      errors: ['spec.controller: Invalid value: "example.com/other": field is immutable'],
    },
    {
      name: 'the slice address type is immutable',
      old: anEndpointSlice(),
      obj: anEndpointSlice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::5'] }] }),
      errors: ['addressType: Invalid value: "IPv6": field is immutable'],
    },
  ];
  it.each(rows)('$name', ({ obj, old, errors }) => {
    expect(validateUpdate(obj, old).map(formatFieldError)).toEqual(errors);
  });
});

describe('generateName prefixes (upstream maskTrailingDash: name[:len-2] + "a")', () => {
  const ns = nameValidator('Namespace');
  it.each([
    {
      name: '63 letters and a dash: masked to 63 characters, valid',
      prefix: `${'a'.repeat(63)}-`,
      valid: true,
    },
    {
      name: '64 letters and a dash: masked to 64 characters, too long',
      prefix: `${'a'.repeat(64)}-`,
      valid: false,
    },
    { name: 'a single dash is not masked (and is invalid)', prefix: '-', valid: false },
    { name: 'a prefix without a dash is checked as it is', prefix: 'web', valid: true },
  ])('$name', ({ prefix, valid }) => {
    expect(ns(prefix, true).length === 0).toBe(valid);
  });
});
