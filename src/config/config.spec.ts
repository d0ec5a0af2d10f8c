import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      database: {
        type: 'better-sqlite3',
        database: './data/netmodel.sqlite',
        url: 'sqlite:./data/netmodel.sqlite',
      },
      seed: 'demo',
      clusterCidrs: ['10.244.0.0/16'],
      serviceCidrs: ['10.96.0.0/12'],
      nodeCidrMasks: [24],
      nodePortRange: { min: 30000, max: 32767 },
      clusterDomain: 'cluster.local',
      nodeNetwork: '172.18.0.0/16',
      lbCidr: undefined,
      dnsPort: undefined,
      bodyLimitBytes: 32 * 1024 * 1024,
      logLevel: 'info',
      graphqlMaxDepth: 12,
      graphqlMaxComplexity: 200000,
    });
  });

  it.each<{ name: string; env: Record<string, string>; want: Record<string, unknown> }>([
    { name: 'port', env: { PORT: '8080' }, want: { port: 8080 } },
    { name: 'empty port falls back to the default', env: { PORT: '' }, want: { port: 3000 } },
    {
      name: 'dual-stack service CIDRs, trimmed',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0/12, fd00:10:96::/112' },
      want: { serviceCidrs: ['10.96.0.0/12', 'fd00:10:96::/112'] },
    },
    {
      name: 'IPv6 single-stack',
      env: { NETMODEL_SERVICE_CIDR: 'fd00:10:96::/112' },
      want: { serviceCidrs: ['fd00:10:96::/112'] },
    },
    {
      name: 'node port range',
      env: { NETMODEL_NODEPORT_RANGE: '31000-31010' },
      want: { nodePortRange: { min: 31000, max: 31010 } },
    },
    {
      name: 'cluster domain',
      env: { NETMODEL_CLUSTER_DOMAIN: 'corp.example' },
      want: { clusterDomain: 'corp.example' },
    },
    {
      name: 'load balancer CIDR',
      env: { NETMODEL_LB_CIDR: '192.0.2.0/24' },
      want: { lbCidr: '192.0.2.0/24' },
    },
    { name: 'empty load balancer CIDR is none', env: { NETMODEL_LB_CIDR: '' }, want: { lbCidr: undefined } },
    { name: 'DNS port', env: { NETMODEL_DNS_PORT: '5353' }, want: { dnsPort: 5353 } },
    { name: 'seed file', env: { NETMODEL_SEED: './cluster.yaml' }, want: { seed: './cluster.yaml' } },
    { name: 'node CIDR mask', env: { NETMODEL_NODE_CIDR_MASK: '26' }, want: { nodeCidrMasks: [26] } },
    {
      name: 'dual-stack cluster CIDRs with the per-family default masks',
      env: { NETMODEL_CLUSTER_CIDR: '10.244.0.0/16,fd00:10:244::/56' },
      want: { clusterCidrs: ['10.244.0.0/16', 'fd00:10:244::/56'], nodeCidrMasks: [24, 64] },
    },
    {
      name: 'two node CIDR masks, one per cluster CIDR',
      env: { NETMODEL_CLUSTER_CIDR: '10.244.0.0/16,fd00:10:244::/56', NETMODEL_NODE_CIDR_MASK: '25,72' },
      want: { nodeCidrMasks: [25, 72] },
    },
    {
      name: 'an IPv6-only cluster CIDR gets the /64 default',
      env: { NETMODEL_CLUSTER_CIDR: 'fd00:10:244::/56' },
      want: { nodeCidrMasks: [64] },
    },
    { name: 'the largest service CIDR (/12)', env: { NETMODEL_SERVICE_CIDR: '10.0.0.0/12' }, want: {} },
    {
      name: 'postgres',
      env: { DATABASE_URL: 'postgres://u:p@db:5432/n' },
      want: { database: { type: 'postgres', url: 'postgres://u:p@db:5432/n' } },
    },
  ])('reads $name', ({ env, want }) => {
    expect(loadConfig(env)).toMatchObject(want);
  });

  it.each<{ name: string; env: Record<string, string>; message: string }>([
    { name: 'a non-numeric port', env: { PORT: 'abc' }, message: 'PORT: expected an integer, got "abc"' },
    { name: 'a negative port', env: { PORT: '-1' }, message: 'PORT: expected an integer, got "-1"' },
    { name: 'a port out of range', env: { PORT: '70000' }, message: 'PORT: 70000 is out of range 0-65535' },
    {
      name: 'an unsupported database',
      env: { DATABASE_URL: 'mysql://x' },
      message:
        'DATABASE_URL: unsupported URL "mysql://x" (use sqlite:<path>, sqlite::memory: or postgres://...)',
    },
    {
      name: 'a sqlite URL without a path',
      env: { DATABASE_URL: 'sqlite:' },
      message: 'DATABASE_URL: sqlite URL needs a path or :memory: (e.g. sqlite:./data/netmodel.sqlite)',
    },
    {
      name: 'a service CIDR without prefix',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0' },
      message:
        'NETMODEL_SERVICE_CIDR: invalid CIDR "10.96.0.0" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'a service CIDR prefix too long',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0/33' },
      message:
        'NETMODEL_SERVICE_CIDR: invalid CIDR "10.96.0.0/33" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'a malformed IPv6 service CIDR',
      env: { NETMODEL_SERVICE_CIDR: '::::/64' },
      message:
        'NETMODEL_SERVICE_CIDR: invalid CIDR "::::/64" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'an empty service CIDR',
      env: { NETMODEL_SERVICE_CIDR: '' },
      message: 'NETMODEL_SERVICE_CIDR: expected one CIDR, or two (one per family) for dual-stack',
    },
    {
      name: 'only commas',
      env: { NETMODEL_SERVICE_CIDR: ' , ' },
      message: 'NETMODEL_SERVICE_CIDR: expected one CIDR, or two (one per family) for dual-stack',
    },
    {
      name: 'three service CIDRs',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0/12,fd00::/112,10.0.0.0/8' },
      message: 'NETMODEL_SERVICE_CIDR: expected one CIDR, or two (one per family) for dual-stack',
    },
    {
      name: 'two service CIDRs of one family',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0/12,10.100.0.0/16' },
      message: 'NETMODEL_SERVICE_CIDR: expected one CIDR, or two (one per family) for dual-stack',
    },
    {
      name: 'a cluster CIDR',
      env: { NETMODEL_CLUSTER_CIDR: 'x' },
      message: 'NETMODEL_CLUSTER_CIDR: invalid CIDR "x" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'a node network octet > 255',
      env: { NETMODEL_NODE_NETWORK: '300.0.0.0/8' },
      message:
        'NETMODEL_NODE_NETWORK: invalid CIDR "300.0.0.0/8" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'a load balancer CIDR',
      env: { NETMODEL_LB_CIDR: 'bad' },
      message: 'NETMODEL_LB_CIDR: invalid CIDR "bad" (expected e.g. 10.96.0.0/12 or fd00:10:96::/112)',
    },
    {
      name: 'a service CIDR larger than the allocator holds',
      env: { NETMODEL_SERVICE_CIDR: '10.0.0.0/8' },
      message:
        'NETMODEL_SERVICE_CIDR: specified 10.0.0.0/8 is too large; for 32-bit addresses, the mask must be >= 12',
    },
    {
      name: 'an IPv6 service CIDR larger than /108',
      env: { NETMODEL_SERVICE_CIDR: 'fd00::/64' },
      message:
        'NETMODEL_SERVICE_CIDR: specified fd00::/64 is too large; for 128-bit addresses, the mask must be >= 108',
    },
    {
      name: 'a node mask shorter than the cluster CIDR',
      env: { NETMODEL_CLUSTER_CIDR: '10.244.0.0/16', NETMODEL_NODE_CIDR_MASK: '12' },
      message: 'NETMODEL_NODE_CIDR_MASK: /12 does not fit the cluster CIDR 10.244.0.0/16 (expected 16-32)',
    },
    {
      name: 'a node mask too many bits past the cluster CIDR',
      env: { NETMODEL_CLUSTER_CIDR: '10.0.0.0/8', NETMODEL_NODE_CIDR_MASK: '28' },
      message:
        'NETMODEL_NODE_CIDR_MASK: /28 is more than 16 bits longer than the cluster CIDR 10.0.0.0/8; the node CIDR size is too big',
    },
    {
      name: 'more node masks than cluster CIDRs',
      env: { NETMODEL_NODE_CIDR_MASK: '24,64' },
      message: 'NETMODEL_NODE_CIDR_MASK: expected one value per cluster CIDR, got 2',
    },
    {
      name: 'two cluster CIDRs of one family',
      env: { NETMODEL_CLUSTER_CIDR: '10.244.0.0/16,10.245.0.0/16' },
      message: 'NETMODEL_CLUSTER_CIDR: expected one CIDR, or two (one per family) for dual-stack',
    },
    {
      name: 'a node CIDR mask of 0',
      env: { NETMODEL_NODE_CIDR_MASK: '0' },
      message: 'NETMODEL_NODE_CIDR_MASK: 0 is out of range 1-128',
    },
    {
      name: 'a node CIDR mask of 129',
      env: { NETMODEL_NODE_CIDR_MASK: '129' },
      message: 'NETMODEL_NODE_CIDR_MASK: 129 is out of range 1-128',
    },
    {
      name: 'a node port range without max',
      env: { NETMODEL_NODEPORT_RANGE: '30000' },
      message: 'NETMODEL_NODEPORT_RANGE: expected "min-max", got "30000"',
    },
    {
      name: 'a node port range from 0',
      env: { NETMODEL_NODEPORT_RANGE: '0-100' },
      message: 'NETMODEL_NODEPORT_RANGE: 0-100 is not a valid port range',
    },
    {
      name: 'a reversed node port range',
      env: { NETMODEL_NODEPORT_RANGE: '32767-30000' },
      message: 'NETMODEL_NODEPORT_RANGE: 32767-30000 is not a valid port range',
    },
    {
      name: 'a node port range past 65535',
      env: { NETMODEL_NODEPORT_RANGE: '30000-70000' },
      message: 'NETMODEL_NODEPORT_RANGE: 30000-70000 is not a valid port range',
    },
    {
      name: 'an uppercase cluster domain',
      env: { NETMODEL_CLUSTER_DOMAIN: 'Cluster.Local' },
      message: 'NETMODEL_CLUSTER_DOMAIN: "Cluster.Local" is not a valid DNS domain',
    },
    {
      name: 'a cluster domain with a trailing dot',
      env: { NETMODEL_CLUSTER_DOMAIN: 'cluster.local.' },
      message: 'NETMODEL_CLUSTER_DOMAIN: "cluster.local." is not a valid DNS domain',
    },
    {
      name: 'an empty cluster domain',
      env: { NETMODEL_CLUSTER_DOMAIN: '' },
      message: 'NETMODEL_CLUSTER_DOMAIN: "" is not a valid DNS domain',
    },
    {
      name: 'a non-numeric DNS port',
      env: { NETMODEL_DNS_PORT: 'x' },
      message: 'NETMODEL_DNS_PORT: expected an integer, got "x"',
    },
    {
      name: 'a DNS port out of range',
      env: { NETMODEL_DNS_PORT: '65536' },
      message: 'NETMODEL_DNS_PORT: 65536 is out of range 0-65535',
    },
    {
      name: 'a body limit below 1 KiB',
      env: { NETMODEL_BODY_LIMIT: '10' },
      message: 'NETMODEL_BODY_LIMIT: 10 is out of range 1024-1073741824',
    },
    {
      name: 'a GraphQL depth of 1',
      env: { NETMODEL_GRAPHQL_MAX_DEPTH: '1' },
      message: 'NETMODEL_GRAPHQL_MAX_DEPTH: 1 is out of range 2-100',
    },
    {
      name: 'a GraphQL complexity of 5',
      env: { NETMODEL_GRAPHQL_MAX_COMPLEXITY: '5' },
      message: 'NETMODEL_GRAPHQL_MAX_COMPLEXITY: 5 is out of range 10-100000000',
    },
  ])('fails fast on $name', ({ env, message }) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    {
      url: 'sqlite:./data/netmodel.sqlite',
      want: {
        type: 'better-sqlite3',
        database: './data/netmodel.sqlite',
        url: 'sqlite:./data/netmodel.sqlite',
      },
    },
    {
      url: 'sqlite::memory:',
      want: { type: 'better-sqlite3', database: ':memory:', url: 'sqlite::memory:' },
    },
    {
      url: 'sqlite:/var/lib/netmodel.db',
      want: { type: 'better-sqlite3', database: '/var/lib/netmodel.db', url: 'sqlite:/var/lib/netmodel.db' },
    },
    { url: 'postgres://u:p@h:5432/db', want: { type: 'postgres', url: 'postgres://u:p@h:5432/db' } },
    {
      url: 'postgresql://h/db?sslmode=require',
      want: { type: 'postgres', url: 'postgresql://h/db?sslmode=require' },
    },
  ])('$url', ({ url, want }) => {
    expect(parseDatabaseUrl(url)).toEqual(want);
  });

  it.each(['', 'sqlite:', 'mysql://h/db', 'file:./x.sqlite', 'POSTGRES://h/db'])('refuses %j', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ConfigError);
  });
});
