/**
 * What a new cluster holds before anyone applies anything (as kubeadm/kind create it): the four system
 * namespaces, the `kubernetes` Service on the first address of the service range and `kube-dns` on the
 * tenth, with CoreDNS's ports and labels.
 */
import { DomainError } from '../errors.js';
import { addToIP, cidrContains, cidrFirst, formatIP, parseCIDR } from '../net/ip.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The n-th address of a service CIDR (1 = the first usable one after the network address). */
export function nthServiceIP(cidr: string, n: number): string {
  const c = parseCIDR(cidr);
  if (!c) throw new DomainError('BadRequest', `invalid service CIDR ${cidr}`);
  const ip = addToIP(cidrFirst(c), BigInt(n));
  // As kubeadm's GetIndexedIP: the address must lie inside the range, not just inside the address space.
  if (!ip || !cidrContains(c, ip))
    throw new DomainError('BadRequest', `service CIDR ${cidr} has no address number ${n}`);
  return formatIP(ip);
}

export function bootstrapObjects(serviceCidrs: readonly string[]): object[] {
  const families = serviceCidrs.map((c) => (c.includes(':') ? 'IPv6' : 'IPv4'));
  const ips = (n: number) => serviceCidrs.map((c) => nthServiceIP(c, n));
  const namespaces = SYSTEM_NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  const kubernetes = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ips(1)[0],
      clusterIPs: ips(1).slice(0, 1),
      ipFamilies: families.slice(0, 1),
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
    },
  };
  const kubeDns = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      selector: { 'k8s-app': 'kube-dns' },
      // Single-stack on the primary family even in a dual-stack cluster: kubeadm's manifest sets only
      // clusterIP, and kubelet's clusterDNS is that one address.
      clusterIP: ips(10)[0],
      clusterIPs: ips(10).slice(0, 1),
      ipFamilies: families.slice(0, 1),
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  };
  return [...namespaces, kubernetes, kubeDns];
}
