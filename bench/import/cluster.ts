/**
 * A synthetic but realistic cluster for the import bench: namespaces per team, nodes with /24 pod CIDRs,
 * Deployments' pods (pod-template-hash names, app/tier/version labels, container ports, pinned pod IPs
 * from each node's CIDR), one Service per Deployment selecting its pods (pinned clusterIPs well away from
 * the bootstrap's 10.96.0.1 and 10.96.0.10), and NetworkPolicies per namespace (default deny plus allow
 * rules with pod, namespace and port selectors). Deterministic: the same sizes give the same YAML.
 */
export interface ClusterSize {
  readonly pods: number;
  readonly services: number;
  readonly policies: number;
  readonly namespaces: number;
  readonly nodes: number;
}

export const DEFAULT_SIZE: ClusterSize = {
  pods: 10_000,
  services: 2_000,
  policies: 500,
  namespaces: 50,
  nodes: 50,
};

export interface GeneratedCluster {
  readonly yaml: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

const TIERS = ['web', 'api', 'worker', 'cache', 'db'] as const;
const PORTS: Record<(typeof TIERS)[number], { name: string; port: number; protocol: 'TCP' | 'UDP' }[]> = {
  web: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  api: [
    { name: 'grpc', port: 9090, protocol: 'TCP' },
    { name: 'metrics', port: 9102, protocol: 'TCP' },
  ],
  worker: [{ name: 'metrics', port: 9102, protocol: 'TCP' }],
  cache: [{ name: 'redis', port: 6379, protocol: 'TCP' }],
  db: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
};
const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function hash(n: number, len: number): string {
  let s = '';
  let x = (n * 2654435761) >>> 0;
  for (let i = 0; i < len; i++) {
    s += HASH_ALPHABET[x % HASH_ALPHABET.length];
    x = Math.floor(x / HASH_ALPHABET.length) + (i + 1) * 7919;
  }
  return s;
}

/** 10.244.<node>.<host> for the i-th pod on a node (hosts 2..251; .1 is the node's bridge). */
function podIp(node: number, slot: number): string {
  return `10.244.${node}.${slot + 2}`;
}

/** Service IPs from 10.97.0.1 upwards: inside 10.96.0.0/12, clear of the bootstrap's 10.96.0.x. */
function serviceIp(i: number): string {
  return `10.97.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

export function generateCluster(size: ClusterSize = DEFAULT_SIZE): GeneratedCluster {
  const docs: string[] = [];
  const counts: Record<string, number> = { Node: 0, Namespace: 0, Service: 0, Pod: 0, NetworkPolicy: 0 };
  const podsPerNode = Math.ceil(size.pods / size.nodes);
  if (podsPerNode > 250) throw new Error(`${podsPerNode} pods per node do not fit a /24`);

  for (let n = 0; n < size.nodes; n++) {
    const name = `node-${String(n).padStart(3, '0')}`;
    docs.push(`apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    topology.kubernetes.io/zone: zone-${'abc'[n % 3]}
spec:
  podCIDR: 10.244.${n}.0/24
  podCIDRs:
  - 10.244.${n}.0/24
status:
  addresses:
  - type: InternalIP
    address: 172.18.${Math.floor((n + 2) / 256)}.${(n + 2) % 256}
  - type: Hostname
    address: ${name}
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady`);
    counts.Node++;
  }

  const nsName = (i: number) => `team-${String(i).padStart(2, '0')}`;
  for (let i = 0; i < size.namespaces; i++) {
    docs.push(`apiVersion: v1
kind: Namespace
metadata:
  name: ${nsName(i)}
  labels:
    kubernetes.io/metadata.name: ${nsName(i)}
    team: ${nsName(i)}
    env: ${i % 4 === 0 ? 'staging' : 'production'}`);
    counts.Namespace++;
  }

  // One Deployment (and its Service) per service slot; pods spread over the Deployments round-robin.
  const apps = Array.from({ length: size.services }, (_, i) => {
    const tier = TIERS[i % TIERS.length];
    return {
      ns: nsName(i % size.namespaces),
      app: `${tier}-${i}`,
      tier,
      rs: hash(i, 10),
      ports: PORTS[tier],
    };
  });
  const nodeSlots = new Array<number>(size.nodes).fill(0);
  for (let p = 0; p < size.pods; p++) {
    const a = apps[p % apps.length];
    const node = p % size.nodes;
    const slot = nodeSlots[node]++;
    const ip = podIp(node, slot);
    const ports = a.ports
      .map((pt) => `    - name: ${pt.name}\n      containerPort: ${pt.port}\n      protocol: ${pt.protocol}`)
      .join('\n');
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: ${a.app}-${a.rs}-${hash(p, 5)}
  namespace: ${a.ns}
  labels:
    app: ${a.app}
    tier: ${a.tier}
    version: v${(p % 3) + 1}
    pod-template-hash: ${a.rs}
spec:
  nodeName: node-${String(node).padStart(3, '0')}
  containers:
  - name: main
    image: registry.example/${a.tier}:1.${p % 7}
    ports:
${ports}
status:
  phase: Running
  hostIP: 172.18.${Math.floor((node + 2) / 256)}.${(node + 2) % 256}
  podIP: ${ip}
  podIPs:
  - ip: ${ip}
  conditions:
  - type: Ready
    status: "True"
  - type: ContainersReady
    status: "True"`);
    counts.Pod++;
  }

  apps.forEach((a, i) => {
    const ip = serviceIp(i);
    const ports = a.ports
      .map(
        (pt) =>
          `  - name: ${pt.name}\n    port: ${pt.port === 8080 ? 80 : pt.port}\n    targetPort: ${pt.name}\n    protocol: ${pt.protocol}`,
      )
      .join('\n');
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${a.app}
  namespace: ${a.ns}
  labels:
    app: ${a.app}
    tier: ${a.tier}
spec:
  type: ClusterIP
  selector:
    app: ${a.app}
  clusterIP: ${ip}
  clusterIPs:
  - ${ip}
  ports:
${ports}`);
    counts.Service++;
  });

  // Per namespace: a default deny, then allow rules between tiers, from monitoring, and DNS egress.
  for (let i = 0; i < size.policies; i++) {
    const ns = nsName(i % size.namespaces);
    const round = Math.floor(i / size.namespaces);
    const tier = TIERS[round % TIERS.length];
    let body: string;
    if (round === 0) {
      body = `  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes:
  - Ingress`;
    } else if (round % 3 === 1) {
      body = `  name: allow-dns-egress-${round}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      tier: ${tier}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53`;
    } else {
      const from = TIERS[(round + 4) % TIERS.length];
      body = `  name: allow-${from}-to-${tier}-${round}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      tier: ${tier}
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [${from}, ${tier}]
    - namespaceSelector:
        matchLabels:
          env: production
      podSelector:
        matchLabels:
          app: prometheus
    - ipBlock:
        cidr: 10.0.0.0/8
        except:
        - 10.0.${round}.0/24
    ports:
    - protocol: TCP
      port: ${PORTS[tier][0].port}
    - protocol: TCP
      port: ${PORTS[tier][0].name}`;
    }
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
${body}`);
    counts.NetworkPolicy++;
  }

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { yaml: docs.map((d) => `---\n${d}\n`).join(''), counts, total };
}
