/**
 * Typed configuration, read once from the environment and validated at boot. A bad value stops the
 * process with a message naming the variable, rather than failing later in a request.
 */
import { parseCIDR } from '../domain/net/ip.js';

export type DatabaseConfig =
  | { readonly type: 'better-sqlite3'; readonly database: string; readonly url: string }
  | { readonly type: 'postgres'; readonly url: string };

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  /** 'demo' | 'none' | a path to a manifest file; applied only to an empty database. */
  readonly seed: string;
  /** One, or two (one per family) for dual-stack; podCIDRs are carved from them. */
  readonly clusterCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  /** The podCIDR prefix length per cluster CIDR, in the same order. */
  readonly nodeCidrMasks: readonly number[];
  readonly nodePortRange: { readonly min: number; readonly max: number };
  readonly clusterDomain: string;
  readonly nodeNetwork: string;
  readonly lbCidr: string | undefined;
  readonly dnsPort: number | undefined;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  /** GraphQL limits: maximum selection depth and maximum cost of one operation. */
  readonly graphqlMaxDepth: number;
  readonly graphqlMaxComplexity: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function checkCidr(name: string, value: string): string {
  // The domain's parser (Go's net.ParseCIDR rules), so config accepts exactly what IPAM can use.
  if (parseCIDR(value)) return value;
  throw new ConfigError(
    `${name}: invalid CIDR ${JSON.stringify(value)} (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)`,
  );
}

function int(
  env: Record<string, string | undefined>,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}: expected an integer, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name}: ${n} is out of range ${min}-${max}`);
  return n;
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { type: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const database = url.slice('sqlite:'.length);
    if (!database)
      throw new ConfigError(
        `DATABASE_URL: sqlite URL needs a path or :memory: (e.g. sqlite:./data/netmodel.sqlite)`,
      );
    return { type: 'better-sqlite3', database, url };
  }
  throw new ConfigError(
    `DATABASE_URL: unsupported URL ${JSON.stringify(url)} (use sqlite:<path>, sqlite::memory: or postgres://...)`,
  );
}

/** One CIDR, or two of different families (kube-apiserver and kube-controller-manager refuse more). */
function cidrList(name: string, raw: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((c) => checkCidr(name, c));
  const families = new Set(list.map((c) => parseCIDR(c)!.family));
  if (list.length === 0 || list.length > 2 || families.size !== list.length) {
    throw new ConfigError(`${name}: expected one CIDR, or two (one per family) for dual-stack`);
  }
  return list;
}

/** kube-apiserver's limit on a service range: at most 20 host bits (the bitmap allocator's size). */
function checkServiceCidrSize(c: string): void {
  const p = parseCIDR(c)!;
  const bits = p.family === 4 ? 32 : 128;
  if (bits - p.prefix > 20) {
    throw new ConfigError(
      `NETMODEL_SERVICE_CIDR: specified ${c} is too large; for ${bits}-bit addresses, the mask must be >= ${bits - 20}`,
    );
  }
}

/**
 * The node podCIDR sizes: kube-controller-manager's defaults are /24 (IPv4) and /64 (IPv6); one value
 * sets the first cluster CIDR's, two set each. A node subnet must fit in its cluster CIDR, at most 16
 * bits longer than it (cidrset's limit).
 */
function nodeMasks(raw: string | undefined, clusterCidrs: readonly string[]): number[] {
  const given = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (given.length > clusterCidrs.length) {
    throw new ConfigError(
      `NETMODEL_NODE_CIDR_MASK: expected one value per cluster CIDR, got ${given.length}`,
    );
  }
  return clusterCidrs.map((c, i) => {
    const p = parseCIDR(c)!;
    const bits = p.family === 4 ? 32 : 128;
    const text = given[i];
    let mask = p.family === 4 ? 24 : 64;
    if (text !== undefined) {
      if (!/^\d+$/.test(text))
        throw new ConfigError(`NETMODEL_NODE_CIDR_MASK: expected an integer, got ${JSON.stringify(text)}`);
      mask = Number(text);
      if (mask < 1 || mask > 128)
        throw new ConfigError(`NETMODEL_NODE_CIDR_MASK: ${mask} is out of range 1-128`);
    }
    if (mask > bits || mask < p.prefix) {
      throw new ConfigError(
        `NETMODEL_NODE_CIDR_MASK: /${mask} does not fit the cluster CIDR ${c} (expected ${p.prefix}-${bits})`,
      );
    }
    if (mask - p.prefix > 16) {
      throw new ConfigError(
        `NETMODEL_NODE_CIDR_MASK: /${mask} is more than 16 bits longer than the cluster CIDR ${c}; the node CIDR size is too big`,
      );
    }
    return mask;
  });
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const serviceCidrs = cidrList('NETMODEL_SERVICE_CIDR', env.NETMODEL_SERVICE_CIDR ?? '10.96.0.0/12');
  serviceCidrs.forEach(checkServiceCidrSize);
  const clusterCidrs = cidrList('NETMODEL_CLUSTER_CIDR', env.NETMODEL_CLUSTER_CIDR ?? '10.244.0.0/16');
  const range = env.NETMODEL_NODEPORT_RANGE ?? '30000-32767';
  const m = /^(\d+)-(\d+)$/.exec(range);
  if (!m) throw new ConfigError(`NETMODEL_NODEPORT_RANGE: expected "min-max", got ${JSON.stringify(range)}`);
  const nodePortRange = { min: Number(m[1]), max: Number(m[2]) };
  if (nodePortRange.min < 1 || nodePortRange.max > 65535 || nodePortRange.min > nodePortRange.max) {
    throw new ConfigError(`NETMODEL_NODEPORT_RANGE: ${range} is not a valid port range`);
  }
  const domain = env.NETMODEL_CLUSTER_DOMAIN ?? 'cluster.local';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
    throw new ConfigError(`NETMODEL_CLUSTER_DOMAIN: ${JSON.stringify(domain)} is not a valid DNS domain`);
  }
  const dnsPortRaw = env.NETMODEL_DNS_PORT;
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    database: parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:./data/netmodel.sqlite'),
    seed: env.NETMODEL_SEED ?? 'demo',
    clusterCidrs,
    serviceCidrs,
    nodeCidrMasks: nodeMasks(env.NETMODEL_NODE_CIDR_MASK, clusterCidrs),
    nodePortRange,
    clusterDomain: domain,
    nodeNetwork: checkCidr('NETMODEL_NODE_NETWORK', env.NETMODEL_NODE_NETWORK ?? '172.18.0.0/16'),
    lbCidr: env.NETMODEL_LB_CIDR ? checkCidr('NETMODEL_LB_CIDR', env.NETMODEL_LB_CIDR) : undefined,
    dnsPort: dnsPortRaw ? int(env, 'NETMODEL_DNS_PORT', 0, 0, 65535) : undefined,
    bodyLimitBytes: int(env, 'NETMODEL_BODY_LIMIT', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel: env.LOG_LEVEL ?? 'info',
    graphqlMaxDepth: int(env, 'NETMODEL_GRAPHQL_MAX_DEPTH', 12, 2, 100),
    graphqlMaxComplexity: int(env, 'NETMODEL_GRAPHQL_MAX_COMPLEXITY', 200000, 10, 100000000),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
