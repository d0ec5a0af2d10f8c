import { describe, expect, it } from '@jest/globals';
import { aNamespace, aNode, aPod } from '../../../test/factories/objects.js';
import type {
  Container,
  KubeObject,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Pod,
  Protocol,
} from '../model/types.js';
import { ClusterState } from '../state/cluster-state.js';
import { DomainError } from '../errors.js';
import {
  effectivePolicyTypes,
  policiesFor,
  reachability,
  reachabilityNaive,
  selectedPods,
  verdict,
  type EngineOptions,
  type Endpoint,
} from './engine.js';

// ---- the upstream e2e model: namespaces x, y, z x pods a, b, c ----------------------------------

const NS = ['x', 'y', 'z'] as const;
const PODS = ['a', 'b', 'c'] as const;
const ORDER = NS.flatMap((n) => PODS.map((p) => `${n}/${p}`));
const MD_NAME = 'kubernetes.io/metadata.name';

/** Pod IPs: x/a 10.244.1.1 ... z/c 10.244.3.3 (all in 0.0.0.0/4, as S35 assumes). */
function ipOf(ns: string, pod: string): string {
  return `10.244.${NS.indexOf(ns as never) + 1}.${PODS.indexOf(pod as never) + 1}`;
}

function namespace(name: string, extra: Record<string, string> = {}): Namespace {
  return aNamespace({ metadata: { name, labels: { ns: name, [MD_NAME]: name, ...extra } } });
}

const ALL_PORTS: [number, Protocol][] = [
  [80, 'TCP'],
  [80, 'UDP'],
  [81, 'TCP'],
  [81, 'UDP'],
  [80, 'SCTP'],
  [81, 'SCTP'],
];

function containers(ports: [number, Protocol][]): Container[] {
  return ports.map(([port, proto]) => {
    const p = proto.toLowerCase();
    return {
      name: `cont-${port}-${p}`,
      image: 'agnhost',
      ports: [{ name: `serve-${port}-${p}`, containerPort: port, protocol: proto }],
    };
  });
}

function modelPod(
  ns: string,
  name: string,
  labels: Record<string, string> = { pod: name },
  ports: [number, Protocol][] = ALL_PORTS,
): Pod {
  const ip = ipOf(ns, name);
  const p = aPod({
    metadata: { name, namespace: ns },
    spec: { containers: containers(ports), nodeName: 'node-1' },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '172.18.0.2' },
  });
  return { ...p, metadata: { ...p.metadata, labels } };
}

function model(policies: NetworkPolicy[], replace: KubeObject[] = []): ClusterState {
  const objects: KubeObject[] = [
    ...NS.map((n) => namespace(n)),
    ...NS.flatMap((n) => PODS.map((p) => modelPod(n, p))),
    ...policies,
  ];
  const s = new ClusterState();
  s.applyChanges(
    objects.map((object) => ({ type: 'ADDED' as const, object })),
    1,
  );
  s.applyChanges(
    replace.map((object) => ({ type: 'MODIFIED' as const, object })),
    2,
  );
  return s;
}

function podsOf(s: ClusterState): Pod[] {
  return [...s.list('Pod')];
}

// ---- policy builders --------------------------------------------------------------------------

type Spec = NetworkPolicy['spec'];
function np(name: string, spec: Spec, ns = 'x'): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  };
}
const pod = (name: string) => ({ matchLabels: { pod: name } });
const nsName = (name: string) => ({ matchLabels: { [MD_NAME]: name } });
const notInNs = (...names: string[]) => ({
  matchExpressions: [{ key: MD_NAME, operator: 'NotIn', values: names }],
});
const ING = ['Ingress'];
const EGR = ['Egress'];

// ---- named matrices (rows = from, columns = to, order x/a x/b x/c y/a ... z/c) ---------------------

type Matrix = readonly string[];
const row = (s: string) => s.replace(/ /g, '');
const M: Record<string, Matrix> = {
  ALL: Array(9).fill('...  ...  ...'),
  DENY_INGRESS_X: Array(9).fill('XXX  ...  ...'),
  DENY_ALL_X: [...Array(3).fill('XXX  XXX  XXX'), ...Array(6).fill('XXX  ...  ...')],
  X_NO_EGRESS: [...Array(3).fill('XXX  XXX  XXX'), ...Array(6).fill('...  ...  ...')],
  XA_CLOSED: Array(9).fill('X..  ...  ...'),
  XA_FROM_XB: ['X..  ...  ...', '...  ...  ...', ...Array(7).fill('X..  ...  ...')],
  XA_FROM_XB_XC: ['X..  ...  ...', '...  ...  ...', '...  ...  ...', ...Array(6).fill('X..  ...  ...')],
  ONLY_XA_OPEN: Array(9).fill('.XX  ...  ...'),
  XA_FROM_NS_Y: [
    ...Array(3).fill('X..  ...  ...'),
    ...Array(3).fill('...  ...  ...'),
    ...Array(3).fill('X..  ...  ...'),
  ],
  XA_FROM_NOTX_OR_XB: ['X..  ...  ...', '...  ...  ...', 'X..  ...  ...', ...Array(6).fill('...  ...  ...')],
  XA_FROM_NOTX_AND_B: [
    'X..  ...  ...',
    'X..  ...  ...',
    'X..  ...  ...',
    'X..  ...  ...',
    '...  ...  ...',
    'X..  ...  ...',
    'X..  ...  ...',
    '...  ...  ...',
    'X..  ...  ...',
  ],
  XA_FROM_NOTX_AND_BC: [
    'X..  ...  ...',
    'X..  ...  ...',
    'X..  ...  ...',
    'X..  ...  ...',
    '...  ...  ...',
    '...  ...  ...',
    'X..  ...  ...',
    '...  ...  ...',
    '...  ...  ...',
  ],
  XA_FROM_YA: [...Array(3).fill('X..  ...  ...'), '...  ...  ...', ...Array(5).fill('X..  ...  ...')],
  X_ONLY_FROM_X: [...Array(3).fill('...  ...  ...'), ...Array(6).fill('XXX  ...  ...')],
  XA_NO_EGRESS: ['XXX  XXX  XXX', ...Array(8).fill('...  ...  ...')],
  IE_TOGETHER_81: ['XXX  XXX  XXX', '...  ...  ...', ...Array(7).fill('X..  ...  ...')],
  CLIENT_SIDE_EGRESS_DENY: ['XXX  .XX  XXX', ...Array(8).fill('...  XX.  ...')],
  XA_EGRESS_ONLY_YA: ['XXX  .XX  XXX', ...Array(8).fill('...  ...  ...')],
  XA_EGRESS_ONLY_YB: ['XXX  X.X  XXX', ...Array(8).fill('...  ...  ...')],
  XA_NOT_TO_XB: ['.X.  ...  ...', ...Array(8).fill('...  ...  ...')],
  XA_EGRESS_ONLY_XB: ['X.X  XXX  XXX', ...Array(8).fill('...  ...  ...')],
  XA_NOT_TO_NS_Y: ['...  XXX  ...', ...Array(8).fill('...  ...  ...')],
  // not upstream: D11 (x egress closed, y ingress closed)
  D11: [...Array(3).fill('XXX  XXX  XXX'), ...Array(6).fill('...  XXX  ...')],
};

function render(r: { pods: string[]; allowed: boolean[][] }): string[] {
  expect(r.pods).toEqual(ORDER);
  return r.allowed.map((cells) => cells.map((c) => (c ? '.' : 'X')).join(''));
}

// ---- upstream scenarios (research §2.4) -------------------------------------------------------------

interface Scenario {
  readonly id: string;
  readonly policies: NetworkPolicy[];
  readonly port: number;
  readonly protocol: Protocol;
  readonly expected: keyof typeof M;
  readonly replace?: KubeObject[];
  readonly opts?: EngineOptions;
}

const denyIngress = (name = 'deny-ingress', ns = 'x') =>
  np(name, { podSelector: {}, policyTypes: ING, ingress: [] }, ns);
const denyAll = np('deny-all', {
  podSelector: {},
  policyTypes: ['Ingress', 'Egress'],
  ingress: [],
  egress: [],
});
const fromNsY81 = np('allow-client-a-via-ns-selector', {
  podSelector: pod('a'),
  policyTypes: ING,
  ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [{ port: 81, protocol: 'TCP' }] }],
});
const fromNsY80 = np('allow-client-a-via-ns-selector-80', {
  podSelector: pod('a'),
  policyTypes: ING,
  ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [{ port: 80, protocol: 'TCP' }] }],
});
const s13 = np('allow-ns-y-pod-a-via-namespace-pod-selector', {
  podSelector: pod('a'),
  policyTypes: ING,
  ingress: [{ from: [{ namespaceSelector: nsName('y'), podSelector: pod('a') }] }],
});
const s27 = np('allow-client-a-via-pod-selector', {
  podSelector: pod('a'),
  policyTypes: ['Egress', 'Ingress'],
  ingress: [{ from: [{ podSelector: pod('b') }] }],
  egress: [{ ports: [{ port: 80 }] }],
});
const toYA = np('allow-to-ns-y-pod-a', {
  podSelector: pod('a'),
  policyTypes: EGR,
  egress: [{ to: [{ namespaceSelector: nsName('y'), podSelector: pod('a') }] }],
});
const cidrExcept = np('allow-client-a-via-cidr-egress-rule', {
  podSelector: pod('a'),
  policyTypes: EGR,
  egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/4', except: [`${ipOf('x', 'b')}/32`] } }] }],
});
const cidrXB = np('allow-client-a-via-cidr-egress-rule', {
  podSelector: pod('a'),
  policyTypes: EGR,
  egress: [{ to: [{ ipBlock: { cidr: `${ipOf('x', 'b')}/32` } }] }],
});
const allowAllIngress = np('allow-all', {
  podSelector: { matchLabels: {} },
  policyTypes: ING,
  ingress: [{}],
});

const SCENARIOS: Scenario[] = [
  {
    id: 'S1 default-deny-ingress',
    policies: [denyIngress()],
    port: 80,
    protocol: 'TCP',
    expected: 'DENY_INGRESS_X',
  },
  { id: 'S2 default-deny-all', policies: [denyAll], port: 80, protocol: 'TCP', expected: 'DENY_ALL_X' },
  {
    id: 'S3 allow from pods in server namespace by PodSelector',
    policies: [
      np('x-a-allows-x-b', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: pod('b') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_XB',
  },
  {
    id: 'S4 allow ingress traffic for a target (union of two policies)',
    policies: [
      denyIngress('deny-all'),
      np('allow-all-to-a', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'ONLY_XA_OPEN',
  },
  {
    id: 'S5 allow from pods in all namespaces',
    policies: [
      np('allow-from-another-ns', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'S6 allow only from a different namespace by NamespaceSelector',
    policies: [
      np('allow-client-a-via-ns-selector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  {
    id: 'S7 PodSelector with MatchExpressions',
    policies: [
      np('x-a-allows-x-b', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] },
        ],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_XB',
  },
  {
    id: 'S8 NamespaceSelector with MatchExpressions',
    policies: [
      np('allow-ns-y-match-selector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [
          {
            from: [
              { namespaceSelector: { matchExpressions: [{ key: MD_NAME, operator: 'In', values: ['y'] }] } },
            ],
          },
        ],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  {
    id: 'S9 PodSelector OR NamespaceSelector',
    policies: [
      np('allow-ns-y-match-selector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: notInNs('x') }, { podSelector: pod('b') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NOTX_OR_XB',
  },
  {
    id: 'S10 PodSelector AND NamespaceSelector',
    policies: [
      np('allow-ns-y-podselector-and-nsselector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: notInNs('x'), podSelector: pod('b') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NOTX_AND_B',
  },
  {
    id: 'S11 multiple PodSelectors and NamespaceSelectors',
    policies: [
      np('allow-ns-y-z-pod-b-c', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [
          {
            from: [
              {
                namespaceSelector: notInNs('x'),
                podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
              },
            ],
          },
        ],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NOTX_AND_BC',
  },
  {
    id: 'S12 any PodSelectors',
    policies: [
      np('allow-ns-x-pod-b-c', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: pod('b') }, { podSelector: pod('c') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_XB_XC',
  },
  {
    id: 'S13 pod in a different namespace (pod AND ns selector)',
    policies: [s13],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_YA',
  },
  {
    id: 'S14 Ports (81 allowed from y)',
    policies: [fromNsY81],
    port: 81,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  {
    id: 'S15 stacked policies, step 1, TCP/81',
    policies: [fromNsY81],
    port: 81,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  {
    id: 'S15 stacked policies, step 1, TCP/80',
    policies: [fromNsY81],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'S15 stacked policies, step 2, TCP/80',
    policies: [fromNsY81, fromNsY80],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  { id: 'S16 allow-all, TCP/80', policies: [allowAllIngress], port: 80, protocol: 'TCP', expected: 'ALL' },
  { id: 'S16 allow-all, TCP/81', policies: [allowAllIngress], port: 81, protocol: 'TCP', expected: 'ALL' },
  ...(
    [
      [81, 'ALL'],
      [80, 'DENY_INGRESS_X'],
    ] as const
  ).map(([port, expected]): Scenario => ({
    id: `S17 ingress on one named port, TCP/${port}`,
    policies: [
      np('allow-all', {
        podSelector: {},
        policyTypes: ING,
        ingress: [{ ports: [{ port: 'serve-81-tcp' }] }],
      }),
    ],
    port,
    protocol: 'TCP',
    expected,
  })),
  ...(
    [
      [80, 'XA_FROM_NS_Y'],
      [81, 'XA_CLOSED'],
    ] as const
  ).map(([port, expected]): Scenario => ({
    id: `S18 ingress from namespace on one named port, TCP/${port}`,
    policies: [
      np('allow-client-a-via-ns-selector-80', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [
          { from: [{ namespaceSelector: nsName('y') }], ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }] },
        ],
      }),
    ],
    port,
    protocol: 'TCP',
    expected,
  })),
  ...(
    [
      [80, 'ALL'],
      [81, 'X_NO_EGRESS'],
    ] as const
  ).map(([port, expected]): Scenario => ({
    id: `S19 egress on one named port, TCP/${port}`,
    policies: [
      np('allow-egress', {
        podSelector: {},
        policyTypes: EGR,
        egress: [{ ports: [{ port: 'serve-80-tcp' }] }],
      }),
    ],
    port,
    protocol: 'TCP',
    expected,
  })),
  {
    id: 'S20 updated policy, before',
    policies: [np('allow-all-mutate-to-deny-all', { podSelector: {}, policyTypes: ING, ingress: [{}] })],
    port: 81,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'S20 updated policy, after',
    policies: [np('allow-all-mutate-to-deny-all', { podSelector: {}, policyTypes: ING, ingress: [{}] })],
    replace: [np('allow-all-mutate-to-deny-all', { podSelector: {}, policyTypes: ING, ingress: [] })],
    port: 81,
    protocol: 'TCP',
    expected: 'DENY_INGRESS_X',
  },
  ...[false, true].map((after): Scenario => ({
    id: `S21 ingress from updated namespace, ${after ? 'after' : 'before'}`,
    policies: [
      np('allow-client-a-via-ns-selector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }],
      }),
    ],
    replace: after ? [namespace('y', { ns2: 'updated' })] : [],
    port: 80,
    protocol: 'TCP',
    expected: after ? 'XA_FROM_NS_Y' : 'XA_CLOSED',
  })),
  ...[false, true].map((after): Scenario => ({
    id: `S22 ingress from updated pod, ${after ? 'after' : 'before'}`,
    policies: [
      np('allow-client-a-via-pod-selector', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }],
      }),
    ],
    replace: after ? [modelPod('x', 'b', { pod: 'b', pod2: 'updated' })] : [],
    port: 80,
    protocol: 'TCP',
    expected: after ? 'XA_FROM_XB' : 'XA_CLOSED',
  })),
  {
    id: 'S23 deny ingress from pods on other namespaces',
    policies: [
      np('deny-empty-policy', {
        podSelector: {},
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'X_ONLY_FROM_X',
  },
  ...[false, true].map((after): Scenario => ({
    id: `S24 deny ingress to updated pod, ${after ? 'after' : 'before'}`,
    policies: [
      np('deny-ingress-via-label-selector', {
        podSelector: { matchLabels: { target: 'isolated' } },
        policyTypes: ING,
        ingress: [],
      }),
    ],
    replace: after ? [modelPod('x', 'a', { pod: 'a', target: 'isolated' })] : [],
    port: 80,
    protocol: 'TCP',
    expected: after ? 'XA_CLOSED' : 'ALL',
  })),
  {
    id: 'S25 deny egress by PodSelector',
    policies: [np('deny-egress-pod-a', { podSelector: pod('a'), policyTypes: EGR, egress: [] })],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_NO_EGRESS',
  },
  {
    id: 'S26 deny egress from all pods in a namespace',
    policies: [np('deny-egress-ns-x', { podSelector: {}, policyTypes: EGR, egress: [] })],
    port: 80,
    protocol: 'TCP',
    expected: 'X_NO_EGRESS',
  },
  {
    id: 'S27 Ingress and Egress together, TCP/80',
    policies: [s27],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_XB',
  },
  {
    id: 'S27 Ingress and Egress together, TCP/81',
    policies: [s27],
    port: 81,
    protocol: 'TCP',
    expected: 'IE_TOGETHER_81',
  },
  {
    id: 'S28 client-side egress deny wins over server allow',
    policies: [
      toYA,
      np(
        'allow-from-xa-on-ya-match-selector',
        {
          podSelector: pod('a'),
          policyTypes: ING,
          ingress: [{ from: [{ namespaceSelector: nsName('x'), podSelector: pod('a') }] }],
        },
        'y',
      ),
      np(
        'allow-from-xa-on-yb-match-selector',
        {
          podSelector: pod('b'),
          policyTypes: ING,
          ingress: [{ from: [{ namespaceSelector: nsName('x'), podSelector: pod('a') }] }],
        },
        'y',
      ),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'CLIENT_SIDE_EGRESS_DENY',
  },
  {
    id: 'S29 egress to a server in another namespace',
    policies: [toYA],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_EGRESS_ONLY_YA',
  },
  ...(
    [
      ['TCP', 'ALL'],
      ['UDP', 'XA_CLOSED'],
    ] as const
  ).map(([protocol, expected]): Scenario => ({
    id: `S30 any port on a specific protocol, ${protocol}/80`,
    policies: [
      np('allow-ingress-by-proto', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ protocol: 'TCP' }] }],
      }),
    ],
    port: 80,
    protocol,
    expected,
  })),
  {
    id: 'S31 ingress policies, step 1',
    policies: [
      np('allow-ingress-port-80', {
        podSelector: {},
        policyTypes: ING,
        ingress: [{ ports: [{ port: 80 }] }],
      }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'DENY_INGRESS_X',
  },
  {
    id: 'S31 ingress allow-all takes precedence, step 2',
    policies: [
      np('allow-ingress-port-80', {
        podSelector: {},
        policyTypes: ING,
        ingress: [{ ports: [{ port: 80 }] }],
      }),
      np('allow-ingress', { podSelector: {}, policyTypes: ING, ingress: [{}] }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'S32 egress policies, step 1',
    policies: [
      np('allow-egress-port-80', { podSelector: {}, policyTypes: EGR, egress: [{ ports: [{ port: 80 }] }] }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'X_NO_EGRESS',
  },
  {
    id: 'S32 egress allow-all takes precedence, step 2',
    policies: [
      np('allow-egress-port-80', { podSelector: {}, policyTypes: EGR, egress: [{ ports: [{ port: 80 }] }] }),
      np('allow-egress', { podSelector: {}, policyTypes: EGR, egress: [{}] }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'ALL',
  },
  { id: 'S33 before deletion', policies: [denyAll], port: 80, protocol: 'TCP', expected: 'DENY_ALL_X' },
  { id: 'S33 after deletion', policies: [], port: 80, protocol: 'TCP', expected: 'ALL' },
  {
    id: 'S34 egress to server in CIDR block',
    policies: [
      np('allow-client-a-via-cidr-egress-rule', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ to: [{ ipBlock: { cidr: `${ipOf('y', 'b')}/32` } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_EGRESS_ONLY_YB',
  },
  {
    id: 'S35 except clause in CIDR block',
    policies: [cidrExcept],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_NOT_TO_XB',
  },
  {
    id: 'S36 CIDR/except overlap, step 1',
    policies: [cidrExcept],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_NOT_TO_XB',
  },
  {
    id: 'S36 CIDR/except overlap, step 2 (policy updated)',
    policies: [cidrExcept],
    replace: [cidrXB],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_EGRESS_ONLY_XB',
  },
  {
    id: 'S37 ingress and egress controlled independently, step 1',
    policies: [np('allow-egress-for-target', { podSelector: pod('a'), policyTypes: EGR, egress: [{}] })],
    port: 80,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'S37 ingress and egress controlled independently, step 2',
    policies: [
      np('allow-egress-for-target', { podSelector: pod('a'), policyTypes: EGR, egress: [{}] }),
      np('deny-ingress-via-label-selector', { podSelector: pod('a'), policyTypes: ING, ingress: [] }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'S38 SCTP is not TCP',
    policies: [
      denyIngress(),
      np('allow-only-sctp-ingress-on-port-81', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }],
      }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'DENY_INGRESS_X',
  },
  {
    id: 'S39 a policy allowing SCTP isolates its pods',
    policies: [
      np('allow-only-sctp-ingress-on-port-80', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }],
      }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'S40 UDP-only policy does not allow TCP',
    policies: [
      np('allow-only-udp-ingress-on-port-81', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }],
      }),
    ],
    port: 81,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'S41 NamespaceSelector MatchLabels with the default namespace label',
    policies: [
      np('allow-client-a-via-ns-selector-for-immutable-ns-label', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: nsName('y') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_FROM_NS_Y',
  },
  {
    id: 'S42 egress NamespaceSelector MatchExpressions NotIn with the default label',
    policies: [
      np('allow-ns-y-match-selector-for-immutable-ns-label', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ to: [{ namespaceSelector: notInNs('y') }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_NOT_TO_NS_Y',
  },
  ...(['UDP', 'SCTP'] as const).flatMap((protocol): Scenario[] => [
    {
      id: `${protocol === 'UDP' ? 'U1' : 'C1'} default-deny-ingress over ${protocol}`,
      policies: [denyIngress('deny-all')],
      port: 80,
      protocol,
      expected: 'DENY_INGRESS_X',
    },
    {
      id: `${protocol === 'UDP' ? 'U2' : 'C2'} Ports over ${protocol}`,
      policies: [
        np('allow-ingress-on-port-81-ns-x', {
          podSelector: pod('a'),
          policyTypes: ING,
          ingress: [{ from: [{ namespaceSelector: nsName('y') }], ports: [{ port: 81, protocol }] }],
        }),
      ],
      port: 81,
      protocol,
      expected: 'XA_FROM_NS_Y',
    },
    {
      id: `${protocol === 'UDP' ? 'U3' : 'C3'} pod AND namespace selector over ${protocol}`,
      policies: [s13],
      port: 80,
      protocol,
      expected: 'XA_FROM_YA',
    },
  ]),
  // ---- additional cases (research §2.5, not upstream) ----
  ...([80, 81] as const).map((port): Scenario => ({
    id: `D1 endPort inclusive range, TCP/${port}`,
    policies: [
      np('range', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }],
      }),
    ],
    port,
    protocol: 'TCP',
    expected: 'ALL',
  })),
  ...(
    [
      [80, 'XA_CLOSED'],
      [81, 'ALL'],
    ] as const
  ).map(([port, expected]): Scenario => ({
    id: `D2 endPort range 81-90, TCP/${port}`,
    policies: [
      np('range', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 81, endPort: 90 }] }],
      }),
    ],
    port,
    protocol: 'TCP',
    expected,
  })),
  ...(['TCP', 'UDP'] as const).map((protocol): Scenario => ({
    id: `D3 named port with the wrong protocol never matches, ${protocol}/80`,
    policies: [
      np('wrong-proto', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 'serve-80-tcp', protocol: 'UDP' }] }],
      }),
    ],
    port: 80,
    protocol,
    expected: 'XA_CLOSED',
  })),
  {
    id: 'D4 named port not declared on the destination',
    policies: [
      np('no-such-name', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 'serve-99-tcp' }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'D5 defaulting: egress-only rules still isolate ingress',
    policies: [np('egress-only', { podSelector: pod('a'), egress: [{}] })],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'D6 defaulting: empty egress list means [Ingress] only',
    policies: [np('empty-egress', { podSelector: pod('a'), egress: [] })],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'D7 empty from = all sources',
    policies: [np('empty-from', { podSelector: pod('a'), policyTypes: ING, ingress: [{ from: [] }] })],
    port: 80,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'D9 ipBlock 0.0.0.0/0 matches pod IPs (default)',
    policies: [
      np('cidr-all', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'ALL',
  },
  {
    id: 'D9 ipBlock does not match pod IPs (Cilium mode)',
    policies: [
      np('cidr-all', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
    opts: { ipBlockMatchesPodIPs: false },
  },
  {
    id: 'D10 protocol-only port of another protocol',
    policies: [
      np('sctp-only', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'SCTP' }] }],
      }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'XA_CLOSED',
  },
  {
    id: 'D11 egress of the source AND ingress of the destination',
    policies: [
      denyIngress('deny-ingress', 'y'),
      np('deny-egress', { podSelector: {}, policyTypes: EGR, egress: [] }),
    ],
    port: 80,
    protocol: 'TCP',
    expected: 'D11',
  },
];

describe('upstream e2e scenarios: full 9x9 matrices', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    const snap = model(s.policies, s.replace);
    const r = reachability(snap, podsOf(snap), s.port, s.protocol, { allowSelf: false, ...s.opts });
    expect(render(r)).toEqual(M[s.expected]!.map(row));
  });
});

describe('self traffic', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))(
    '%s: allowed by default, off-diagonal unchanged',
    (_id, s) => {
      const snap = model(s.policies, s.replace);
      const got = render(reachability(snap, podsOf(snap), s.port, s.protocol, s.opts));
      const want = M[s.expected]!.map(row).map((r, i) => r.slice(0, i) + '.' + r.slice(i + 1));
      expect(got).toEqual(want);
    },
  );
});

describe('reachability (equivalence classes) equals reachabilityNaive', () => {
  const variants: EngineOptions[] = [{}, { allowSelf: false }, { ipBlockMatchesPodIPs: false }];
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    const snap = model(s.policies, s.replace);
    for (const v of variants) {
      const opts = { ...s.opts, ...v };
      expect(reachability(snap, podsOf(snap), s.port, s.protocol, opts)).toEqual(
        reachabilityNaive(snap, podsOf(snap), s.port, s.protocol, opts),
      );
    }
    // The explaining path (verdict) agrees with the matrix path cell by cell.
    const r = reachability(snap, podsOf(snap), s.port, s.protocol, s.opts);
    r.pods.forEach((from, i) =>
      r.pods.forEach((to, j) => {
        const v = verdict(snap, podEp(snap, from), podEp(snap, to), s.port, s.protocol, s.opts);
        expect([from, to, v.allowed]).toEqual([from, to, r.allowed[i]![j]]);
      }),
    );
  });
});

// ---- unit rows --------------------------------------------------------------------------------------

function podEp(snap: ClusterState, id: string): Endpoint {
  const [ns, name] = id.split('/') as [string, string];
  return { kind: 'pod', pod: snap.get('Pod', ns, name)!, namespace: snap.get('Namespace', '', ns) };
}

describe('effectivePolicyTypes', () => {
  const base = { podSelector: {} };
  it.each([
    ['no types, no rules', { ...base }, ['Ingress']],
    ['no types, ingress only', { ...base, ingress: [{}] }, ['Ingress']],
    ['no types, empty egress list', { ...base, egress: [] }, ['Ingress']],
    ['no types, egress rules', { ...base, egress: [{}] }, ['Ingress', 'Egress']],
    ['empty types list, egress rules', { ...base, policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress with ingress rules', { ...base, policyTypes: ['Egress'], ingress: [{}] }, ['Egress']],
    ['explicit Ingress with egress rules', { ...base, policyTypes: ['Ingress'], egress: [{}] }, ['Ingress']],
    ['explicit both', { ...base, policyTypes: ['Egress', 'Ingress'] }, ['Egress', 'Ingress']],
  ] as [string, Spec, string[]][])('%s', (_n, spec, want) => {
    expect(effectivePolicyTypes(np('p', spec))).toEqual(want);
  });
});

interface Row {
  readonly name: string;
  readonly policies: NetworkPolicy[];
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly opts?: EngineOptions;
  readonly allowed: boolean;
  readonly egress?: string;
  readonly ingress?: string;
}

const ROWS: Row[] = [
  {
    name: 'no policies',
    policies: [],
    from: 'x/a',
    to: 'y/a',
    allowed: true,
    egress: 'not isolated',
    ingress: 'not isolated',
  },
  {
    name: 'ingress: [] isolates and allows nothing',
    policies: [denyIngress()],
    from: 'y/a',
    to: 'x/b',
    allowed: false,
    ingress: 'no rule matched',
    egress: 'not isolated',
  },
  {
    name: 'ingress: [{}] allows all (no peer index)',
    policies: [np('all', { podSelector: {}, policyTypes: ING, ingress: [{}] })],
    from: 'y/a',
    to: 'x/b',
    allowed: true,
    ingress: 'x/all ingress[0]',
  },
  {
    name: 'from: [] is all peers',
    policies: [np('p', { podSelector: {}, policyTypes: ING, ingress: [{ from: [] }] })],
    from: 'z/c',
    to: 'x/a',
    allowed: true,
    ingress: 'x/p ingress[0]',
  },
  {
    name: 'ports: [] is all ports',
    policies: [
      np('p', { podSelector: {}, policyTypes: ING, ingress: [{ from: [{ podSelector: {} }], ports: [] }] }),
    ],
    from: 'x/b',
    to: 'x/a',
    port: 4242,
    protocol: 'UDP',
    allowed: true,
    ingress: 'x/p ingress[0] from[0]',
  },
  {
    name: 'decidedBy names the first matching rule and peer',
    policies: [
      np('allow-from-y', {
        podSelector: {},
        policyTypes: ING,
        ingress: [
          { from: [{ podSelector: pod('c') }], ports: [{ port: 81 }] },
          { from: [{ podSelector: pod('zzz') }, { namespaceSelector: nsName('y') }] },
        ],
      }),
    ],
    from: 'y/b',
    to: 'x/a',
    allowed: true,
    ingress: 'x/allow-from-y ingress[1] from[1]',
  },
  {
    name: 'decidedBy follows policy name order',
    policies: [
      np('b-second', { podSelector: {}, policyTypes: ING, ingress: [{}] }),
      np('a-first', { podSelector: {}, policyTypes: ING, ingress: [{ from: [{ podSelector: {} }] }] }),
    ],
    from: 'x/b',
    to: 'x/a',
    allowed: true,
    ingress: 'x/a-first ingress[0] from[0]',
  },
  {
    name: 'podSelector-only peer does not match pods of other namespaces',
    policies: [
      np('p', { podSelector: {}, policyTypes: ING, ingress: [{ from: [{ podSelector: pod('b') }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    allowed: false,
  },
  {
    name: 'policy in y does not select pods in x',
    policies: [denyIngress('deny', 'y')],
    from: 'x/b',
    to: 'x/a',
    allowed: true,
    ingress: 'not isolated',
  },
  {
    name: 'named port resolved on the destination for egress',
    policies: [
      np('e', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/b',
    port: 81,
    protocol: 'UDP',
    allowed: true,
    egress: 'x/e egress[0]',
  },
  {
    name: 'named port: number of the name must be the traffic port',
    policies: [
      np('i', { podSelector: pod('a'), policyTypes: ING, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    allowed: false,
  },
  {
    name: 'named SCTP port',
    policies: [
      np('i', {
        podSelector: pod('a'),
        policyTypes: ING,
        ingress: [{ ports: [{ port: 'serve-80-sctp', protocol: 'SCTP' }] }],
      }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'SCTP',
    allowed: true,
  },
  {
    name: 'endPort upper bound is inclusive, above is not',
    policies: [
      np('i', { podSelector: pod('a'), policyTypes: ING, ingress: [{ ports: [{ port: 70, endPort: 80 }] }] }),
    ],
    from: 'y/b',
    to: 'x/a',
    port: 81,
    allowed: false,
  },
  {
    name: 'UDP traffic vs a rule without protocol (TCP default)',
    policies: [np('i', { podSelector: pod('a'), policyTypes: ING, ingress: [{ ports: [{ port: 80 }] }] })],
    from: 'y/b',
    to: 'x/a',
    port: 80,
    protocol: 'UDP',
    allowed: false,
  },
  {
    name: 'egress denied although ingress allows',
    policies: [
      np('deny-egress', { podSelector: pod('a'), policyTypes: EGR, egress: [] }),
      np('allow', {
        podSelector: pod('b'),
        policyTypes: ING,
        ingress: [{ from: [{ podSelector: pod('a') }] }],
      }),
    ],
    from: 'x/a',
    to: 'x/b',
    allowed: false,
    egress: 'no rule matched',
    ingress: 'x/allow ingress[0] from[0]',
  },
  {
    name: 'ipBlock except',
    policies: [
      np('e', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ to: [{ ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.2/32'] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/b',
    allowed: false,
  },
  {
    name: 'ipBlock cidr hit',
    policies: [
      np('e', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ to: [{ ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.2/32'] } }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/c',
    allowed: true,
    egress: 'x/e egress[0] to[0]',
  },
  {
    name: 'ipBlock in Cilium mode does not match a pod',
    policies: [
      np('e', {
        podSelector: pod('a'),
        policyTypes: EGR,
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      }),
    ],
    from: 'x/a',
    to: 'y/c',
    opts: { ipBlockMatchesPodIPs: false },
    allowed: false,
  },
  {
    name: 'invalid empty peer matches nothing',
    policies: [np('p', { podSelector: {}, policyTypes: ING, ingress: [{ from: [{}] }] })],
    from: 'x/b',
    to: 'x/a',
    allowed: false,
  },
  {
    name: 'self traffic allowed by default',
    policies: [denyIngress()],
    from: 'x/a',
    to: 'x/a',
    allowed: true,
    ingress: 'self traffic',
  },
  {
    name: 'self traffic judged by policy with allowSelf: false',
    policies: [denyIngress()],
    from: 'x/a',
    to: 'x/a',
    opts: { allowSelf: false },
    allowed: false,
    ingress: 'no rule matched',
  },
];

describe('verdict rows', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_n, r) => {
    const snap = model(r.policies);
    const v = verdict(
      snap,
      podEp(snap, r.from),
      podEp(snap, r.to),
      r.port ?? 80,
      r.protocol ?? 'TCP',
      r.opts,
    );
    expect(v.allowed).toBe(r.allowed);
    expect(v.allowed).toBe(v.egress.allowed && v.ingress.allowed);
    if (r.egress) expect(v.egress.decidedBy).toBe(r.egress);
    if (r.ingress) expect(v.ingress.decidedBy).toBe(r.ingress);
  });
});

describe('verdict details', () => {
  it('lists every selecting policy per direction, sorted', () => {
    const snap = model([
      np('z-last', { podSelector: {}, policyTypes: ING, ingress: [{}] }),
      np('a-first', { podSelector: pod('a'), policyTypes: ['Ingress', 'Egress'] }),
      np('other', { podSelector: pod('b'), policyTypes: ING }),
    ]);
    const v = verdict(snap, podEp(snap, 'x/a'), podEp(snap, 'x/a'), 80, 'TCP');
    expect(v.ingress).toEqual({
      allowed: true,
      isolated: true,
      policies: ['x/a-first', 'x/z-last'],
      decidedBy: 'x/z-last ingress[0]',
    });
    expect(v.egress).toEqual({
      allowed: true,
      isolated: true,
      policies: ['x/a-first'],
      decidedBy: 'self traffic',
    });
  });

  it('an external IP side is "not a pod"; only ipBlock or empty peers match it', () => {
    const snap = model([
      np('e', {
        podSelector: pod('a'),
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: {} }] }],
        egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }],
      }),
    ]);
    const ext: Endpoint = { kind: 'ip', ip: '192.0.2.7' };
    const out = verdict(snap, podEp(snap, 'x/a'), ext, 443, 'TCP');
    expect(out.allowed).toBe(true);
    expect(out.ingress.decidedBy).toBe('not a pod');
    expect(out.egress.decidedBy).toBe('x/e egress[0] to[0]');
    const inbound = verdict(snap, ext, podEp(snap, 'x/a'), 80, 'TCP');
    expect(inbound.allowed).toBe(false);
    expect(inbound.egress).toEqual({ allowed: true, isolated: false, policies: [], decidedBy: 'not a pod' });
    expect(verdict(snap, podEp(snap, 'x/a'), { kind: 'ip', ip: '198.51.100.1' }, 443, 'TCP').allowed).toBe(
      false,
    );
  });

  it.each([
    { restartPolicy: 'Always', allowed: true },
    { restartPolicy: undefined, allowed: false },
  ])(
    'a named port declared on an init container matches when it is a sidecar ($restartPolicy)',
    ({ restartPolicy, allowed }) => {
      const a = modelPod('x', 'a');
      const withSidecar: Pod = {
        ...a,
        spec: {
          ...a.spec,
          initContainers: [
            {
              name: 'proxy',
              image: 'envoy',
              ...(restartPolicy ? { restartPolicy } : {}),
              ports: [{ name: 'metrics', containerPort: 15090, protocol: 'TCP' }],
            } as Container,
          ],
        },
      };
      const snap = model(
        [np('i', { podSelector: pod('a'), policyTypes: ING, ingress: [{ ports: [{ port: 'metrics' }] }] })],
        [withSidecar],
      );
      expect(verdict(snap, podEp(snap, 'y/b'), podEp(snap, 'x/a'), 15090, 'TCP').allowed).toBe(allowed);
    },
  );

  it("refuses a node address on a Service's NodePort (kube-proxy's DNAT comes first), as a ClusterIP", () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'x' },
      spec: {
        type: 'NodePort',
        selector: { pod: 'b' },
        clusterIP: '10.96.0.50',
        ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: 'TCP' }],
      },
    } as KubeObject;
    const snap = model([denyIngress()], [aNode(), svc]);
    const nodeIp: Endpoint = { kind: 'ip', ip: '172.18.0.2' };
    let err: unknown;
    try {
      verdict(snap, podEp(snap, 'x/a'), nodeIp, 30080, 'TCP');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('BadRequest');
    expect((err as DomainError).message).toBe(
      "172.18.0.2:30080 is NodePort 30080/TCP of Service x/web: NetworkPolicy applies after kube-proxy's DNAT, to a backend pod; ask about one of them (x/b)",
    );
    // Other ports of the node, and the same number over UDP, are the node's own.
    expect(verdict(snap, podEp(snap, 'x/a'), nodeIp, 22, 'TCP').egress.decidedBy).toBe('not isolated');
    expect(() => verdict(snap, podEp(snap, 'x/a'), nodeIp, 30080, 'UDP')).not.toThrow();
  });

  it('a named-port egress rule never matches an external address', () => {
    const snap = model([
      np('e', { podSelector: pod('a'), policyTypes: EGR, egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }),
    ]);
    expect(verdict(snap, podEp(snap, 'x/a'), { kind: 'ip', ip: '192.0.2.7' }, 80, 'TCP').allowed).toBe(false);
    expect(verdict(snap, podEp(snap, 'x/a'), podEp(snap, 'y/a'), 80, 'TCP').allowed).toBe(true);
  });

  it('an ip endpoint holding a pod IP is evaluated as that pod unless resolveIPs is false', () => {
    const snap = model([
      np('i', { podSelector: pod('a'), policyTypes: ING, ingress: [{ from: [{ podSelector: pod('b') }] }] }),
    ]);
    const xb: Endpoint = { kind: 'ip', ip: ipOf('x', 'b') };
    expect(verdict(snap, xb, podEp(snap, 'x/a'), 80, 'TCP').allowed).toBe(true);
    expect(verdict(snap, xb, podEp(snap, 'x/a'), 80, 'TCP', { resolveIPs: false }).allowed).toBe(false);
  });

  it('the local node may always reach its pods; another node may not', () => {
    const snap = model(
      [denyIngress()],
      [
        aNode(),
        aNode({
          metadata: { name: 'node-2' },
          status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] },
        }),
      ],
    );
    const v = verdict(snap, { kind: 'ip', ip: '172.18.0.2' }, podEp(snap, 'x/a'), 80, 'TCP');
    expect(v.ingress.decidedBy).toBe('local node');
    expect(verdict(snap, { kind: 'ip', ip: '172.18.0.3' }, podEp(snap, 'x/a'), 80, 'TCP').allowed).toBe(
      false,
    );
    expect(
      verdict(snap, { kind: 'ip', ip: '172.18.0.2' }, podEp(snap, 'x/a'), 80, 'TCP', {
        allowFromLocalNode: false,
      }).allowed,
    ).toBe(false);
  });

  it('a pod may always reach its own node (egress), not another node, unless allowToLocalNode is false', () => {
    const denyEgress = np('deny-egress', { podSelector: {}, policyTypes: EGR });
    const snap = model(
      [denyEgress],
      [
        aNode(),
        aNode({
          metadata: { name: 'node-2' },
          status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] },
        }),
      ],
    );
    const own = verdict(snap, podEp(snap, 'x/a'), { kind: 'ip', ip: '172.18.0.2' }, 53, 'UDP');
    expect(own.allowed).toBe(true);
    expect(own.egress.decidedBy).toBe('local node');
    expect(verdict(snap, podEp(snap, 'x/a'), { kind: 'ip', ip: '172.18.0.3' }, 53, 'UDP').allowed).toBe(
      false,
    );
    expect(
      verdict(snap, podEp(snap, 'x/a'), { kind: 'ip', ip: '172.18.0.2' }, 53, 'UDP', {
        allowToLocalNode: false,
      }).allowed,
    ).toBe(false);
  });

  it('hostNetwork pods: as-node are never selected; as-pod are ordinary pods with the node IP', () => {
    const hn = {
      ...modelPod('x', 'h', { pod: 'h' }),
      spec: { ...modelPod('x', 'h').spec, hostNetwork: true, nodeName: 'node-9' },
    };
    const snap = model(
      [
        denyIngress(),
        np('from-h', {
          podSelector: pod('b'),
          policyTypes: ING,
          ingress: [{ from: [{ podSelector: pod('h') }] }],
        }),
      ],
      [hn],
    );
    const h: Endpoint = { kind: 'pod', pod: hn, namespace: undefined };
    const asNode = verdict(snap, podEp(snap, 'y/a'), h, 80, 'TCP');
    expect(asNode.allowed).toBe(true);
    expect(asNode.ingress.decidedBy).toBe('host network pod (as node)');
    expect(verdict(snap, podEp(snap, 'y/a'), h, 80, 'TCP', { hostNetworkPods: 'as-pod' }).allowed).toBe(
      false,
    );
    expect(verdict(snap, h, podEp(snap, 'x/b'), 80, 'TCP').allowed).toBe(false);
    expect(verdict(snap, h, podEp(snap, 'x/b'), 80, 'TCP', { hostNetworkPods: 'as-pod' }).allowed).toBe(true);
    expect(selectedPods(snap, denyIngress()).map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(policiesFor(snap, hn)).toEqual([]);
  });

  it('rejects unsupported protocols and ports', () => {
    const snap = model([]);
    expect(() => verdict(snap, podEp(snap, 'x/a'), podEp(snap, 'x/b'), 80, 'ICMP' as Protocol)).toThrow(
      /unsupported protocol/,
    );
    expect(() => verdict(snap, podEp(snap, 'x/a'), podEp(snap, 'x/b'), 0, 'TCP')).toThrow(
      /between 1 and 65535/,
    );
  });
});

describe('selectedPods and policiesFor', () => {
  it('selects pods of the policy namespace only', () => {
    const p = np('p', { podSelector: pod('a'), egress: [{}] });
    const snap = model([
      p,
      np('q', { podSelector: {}, policyTypes: ING }),
      np('r', { podSelector: {} }, 'y'),
    ]);
    expect(selectedPods(snap, p).map((x) => `${x.metadata.namespace}/${x.metadata.name}`)).toEqual(['x/a']);
    expect(policiesFor(snap, snap.get('Pod', 'x', 'a')!)).toEqual([
      { policy: 'x/p', types: ['Ingress', 'Egress'] },
      { policy: 'x/q', types: ['Ingress'] },
    ]);
    expect(policiesFor(snap, snap.get('Pod', 'x', 'b')!)).toEqual([{ policy: 'x/q', types: ['Ingress'] }]);
  });
});

describe('D12 egress named port resolved per destination', () => {
  it('only the pod declaring the name is reachable', () => {
    const yb = modelPod('y', 'b');
    const web = {
      ...yb,
      spec: {
        ...yb.spec,
        containers: [{ name: 'web', ports: [{ name: 'web', containerPort: 80, protocol: 'TCP' as const }] }],
      },
    };
    const snap = model(
      [np('e', { podSelector: pod('a'), policyTypes: EGR, egress: [{ ports: [{ port: 'web' }] }] })],
      [web],
    );
    const r = reachability(snap, podsOf(snap), 80, 'TCP', { allowSelf: false });
    expect(render(r)[0]).toBe('XXXX.XXXX');
    expect(r).toEqual(reachabilityNaive(snap, podsOf(snap), 80, 'TCP', { allowSelf: false }));
  });
});

describe('reachability equals reachabilityNaive on generated clusters', () => {
  /** A small deterministic generator (LCG), so failures reproduce. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  function generated(seed: number): ClusterState {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const objects: KubeObject[] = [];
    const nss = ['n0', 'n1', 'n2', 'n3'];
    nss.forEach((n, i) => objects.push(namespace(n, { tier: i % 2 ? 'back' : 'front' })));
    for (let i = 0; i < 40; i++) {
      const ns = pick(nss);
      const labels: Record<string, string> = { app: pick(['web', 'db', 'cache']) };
      if (r() < 0.5) labels.role = pick(['client', 'server']);
      const ports: [number, Protocol][] =
        r() < 0.5
          ? [[80, 'TCP']]
          : [
              [80, 'UDP'],
              [81, 'TCP'],
            ];
      const p = modelPod(ns, `p${i}`, labels, ports);
      const ip = `10.${i % 3}.${i}.${(i * 7) % 250}`;
      const hostNetwork = r() < 0.1;
      objects.push({
        ...p,
        spec: { ...p.spec, hostNetwork, nodeName: pick(['node-1', 'node-2']) },
        status: { ...p.status, podIP: ip, podIPs: [{ ip }], hostIP: pick(['172.18.0.2', '172.18.0.3']) },
      });
    }
    const peers: NetworkPolicyPeer[] = [
      { podSelector: { matchLabels: { app: 'web' } } },
      { namespaceSelector: { matchLabels: { tier: 'back' } } },
      { namespaceSelector: {}, podSelector: { matchLabels: { role: 'client' } } },
      { ipBlock: { cidr: '10.1.0.0/16', except: ['10.1.4.0/24'] } },
      { ipBlock: { cidr: '172.18.0.0/30' } },
    ];
    const portSets: (NetworkPolicyPort[] | undefined)[] = [
      undefined,
      [{ port: 80 }],
      [{ port: 'serve-80-tcp' }],
      [{ port: 'serve-81-tcp' }],
      [{ protocol: 'UDP' as const }],
      [{ port: 79, endPort: 81 }],
    ];
    for (let i = 0; i < 8; i++) {
      const rules = () =>
        Array.from({ length: Math.floor(r() * 3) }, () => ({
          peers: r() < 0.2 ? undefined : [pick(peers), pick(peers)],
          ports: pick(portSets),
        }));
      const types = pick([undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
      const spec: Spec = {
        podSelector: pick<LabelSelector>([
          {},
          { matchLabels: { app: 'web' } },
          { matchLabels: { role: 'server' } },
        ]),
        ...(types ? { policyTypes: types } : {}),
        ingress: rules().map((x) => ({ from: x.peers, ports: x.ports })),
        egress: rules().map((x) => ({ to: x.peers, ports: x.ports })),
      };
      objects.push(np(`pol-${i}`, spec, pick(nss)));
    }
    objects.push(
      aNode(),
      aNode({
        metadata: { name: 'node-2' },
        status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] },
      }),
    );
    const s = new ClusterState();
    s.applyChanges(
      objects.map((object) => ({ type: 'ADDED' as const, object })),
      1,
    );
    return s;
  }

  const OPTIONS: EngineOptions[] = [
    {},
    { allowSelf: false, ipBlockMatchesPodIPs: false },
    { hostNetworkPods: 'as-pod' },
  ];
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const snap = generated(seed);
    const pods = podsOf(snap);
    for (const [port, protocol] of [
      [80, 'TCP'],
      [81, 'TCP'],
      [80, 'UDP'],
    ] as const)
      for (const opts of OPTIONS)
        expect(reachability(snap, pods, port, protocol, opts)).toEqual(
          reachabilityNaive(snap, pods, port, protocol, opts),
        );
  });
});

describe('explicit policyTypes win over rule presence', () => {
  it('ingress rules of an Egress-only policy neither isolate nor allow', () => {
    const snap = model([
      np('egress-only', { podSelector: pod('a'), policyTypes: EGR, ingress: [], egress: [{}] }),
    ]);
    const v = verdict(snap, podEp(snap, 'y/a'), podEp(snap, 'x/a'), 80, 'TCP');
    expect(v.ingress).toEqual({ allowed: true, isolated: false, policies: [], decidedBy: 'not isolated' });
    const out = verdict(snap, podEp(snap, 'x/a'), podEp(snap, 'y/a'), 80, 'TCP');
    expect(out.egress).toEqual({
      allowed: true,
      isolated: true,
      policies: ['x/egress-only'],
      decidedBy: 'x/egress-only egress[0]',
    });
  });

  it('a namespace without a stored object still carries kubernetes.io/metadata.name', () => {
    const lone = modelPod('ghost', 'a');
    const snap = model(
      [
        np('from-ghost', {
          podSelector: pod('a'),
          policyTypes: ING,
          ingress: [{ from: [{ namespaceSelector: nsName('ghost') }] }],
        }),
      ],
      [lone],
    );
    const from: Endpoint = { kind: 'pod', pod: lone, namespace: undefined };
    expect(verdict(snap, from, podEp(snap, 'x/a'), 80, 'TCP').ingress.decidedBy).toBe(
      'x/from-ghost ingress[0] from[0]',
    );
    expect(verdict(snap, podEp(snap, 'y/a'), podEp(snap, 'x/a'), 80, 'TCP').allowed).toBe(false);
  });
});
