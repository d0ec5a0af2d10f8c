/**
 * The kinds netmodel models, with the API coordinates Kubernetes serves them under. This table drives
 * the REST paths, discovery, apply ordering and export, so adding a kind starts here.
 */
export const KIND_NAMES = [
  'Namespace',
  'Node',
  'IngressClass',
  'Service',
  'Pod',
  'EndpointSlice',
  'NetworkPolicy',
  'Ingress',
] as const;

export type KindName = (typeof KIND_NAMES)[number];

export interface KindInfo {
  readonly kind: KindName;
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly apiVersion: string; // "v1" or "group/version"
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Order in which apply creates objects of this kind (namespaces before what lives in them). */
  readonly applyOrder: number;
  /** How metadata.name is validated for this kind (upstream's ValidateXName). */
  readonly nameRule: 'dns1123Label' | 'dns1123Subdomain' | 'dns1035Label';
  /**
   * Whether the API server keeps metadata.generation for this kind (its registry strategy sets 1 on
   * create and bumps it on spec changes). Namespaces, Nodes and Services have none.
   */
  readonly tracksGeneration: boolean;
}

function info(
  kind: KindName,
  group: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  applyOrder: number,
  nameRule: KindInfo['nameRule'],
  tracksGeneration: boolean,
): KindInfo {
  const version = 'v1';
  return {
    kind,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    applyOrder,
    nameRule,
    tracksGeneration,
  };
}

export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  Namespace: info('Namespace', '', 'namespaces', false, ['ns'], 0, 'dns1123Label', false),
  Node: info('Node', '', 'nodes', false, ['no'], 1, 'dns1123Subdomain', false),
  IngressClass: info(
    'IngressClass',
    'networking.k8s.io',
    'ingressclasses',
    false,
    [],
    2,
    'dns1123Subdomain',
    true,
  ),
  Service: info('Service', '', 'services', true, ['svc'], 3, 'dns1035Label', false),
  // Pods carry a generation since PodObservedGenerationTracking (Kubernetes 1.33, on by default in 1.34).
  Pod: info('Pod', '', 'pods', true, ['po'], 4, 'dns1123Subdomain', true),
  EndpointSlice: info(
    'EndpointSlice',
    'discovery.k8s.io',
    'endpointslices',
    true,
    [],
    5,
    'dns1123Subdomain',
    true,
  ),
  NetworkPolicy: info(
    'NetworkPolicy',
    'networking.k8s.io',
    'networkpolicies',
    true,
    ['netpol'],
    6,
    'dns1123Subdomain',
    true,
  ),
  Ingress: info('Ingress', 'networking.k8s.io', 'ingresses', true, ['ing'], 7, 'dns1123Subdomain', true),
};

export function isKindName(s: string): s is KindName {
  return (KIND_NAMES as readonly string[]).includes(s);
}

/** Finds a kind by its apiVersion + kind pair as written in a manifest. */
export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  if (!isKindName(kind)) return undefined;
  const k = KINDS[kind];
  return k.apiVersion === apiVersion ? k : undefined;
}

/** Finds a kind by REST coordinates (group '' for core, plural resource name). */
export function kindForResource(group: string, version: string, plural: string): KindInfo | undefined {
  return KIND_NAMES.map((n) => KINDS[n]).find(
    (k) => k.group === group && k.version === version && k.plural === plural,
  );
}
