import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { KIND_NAMES } from '../../domain/model/kinds.js';
import { ResourceStore } from '../persistence/resource-store.js';

const MAX_OPERATION_NAMES = 200;

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, GC, event loop), collected once per process: they describe the
 * process, not one app, and prom-client never stops their collectors (a GC observer among them). With
 * a registry per app, each closed app stayed reachable from that observer through its registry, cluster
 * state included: about 8 MiB per closed app of a 2,600-object cluster, in tests and benches that
 * start many apps in one process.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Prometheus metrics: process defaults, HTTP requests by route, GraphQL operations, and the cluster's
 * object counts by kind (read from the in-memory state at scrape time, so they cannot drift).
 */
@Injectable()
export class MetricsService {
  /** This app's metrics (the process's are shared, see processMetrics). */
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly graphqlOperations: Counter<'operation' | 'type'>;
  readonly graphqlDuration: Histogram<'operation' | 'type'>;

  /** Operation names seen so far; clients choose them, so the label set is capped. */
  private readonly operationNames = new Set<string>();

  /**
   * The `operation` label for a GraphQL operation name: the name itself for the first
   * MAX_OPERATION_NAMES well-formed names, then `other`, so a client cannot grow the series without bound.
   */
  operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) || this.operationNames.size >= MAX_OPERATION_NAMES)
      return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** The scrape: the process's metrics, then this app's. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    const both = Registry.merge([processMetrics(), this.registry]);
    return { body: await both.metrics(), contentType: both.contentType };
  }

  constructor(store: ResourceStore) {
    processMetrics();
    this.httpRequests = new Counter({
      name: 'netmodel_http_requests_total',
      help: 'HTTP requests by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'netmodel_http_request_duration_seconds',
      help: 'HTTP request latency by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.graphqlOperations = new Counter({
      name: 'netmodel_graphql_operations_total',
      help: 'GraphQL operations by operation name and type.',
      labelNames: ['operation', 'type'],
      registers: [this.registry],
    });
    this.graphqlDuration = new Histogram({
      name: 'netmodel_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    new Gauge({
      name: 'netmodel_objects',
      help: 'Objects in the cluster model by kind.',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        const snap = store.snapshot();
        for (const k of KIND_NAMES) this.set({ kind: k }, snap.count(k));
      },
    });
    const pools = () => store.ipPools();
    for (const [field, help] of [
      ['size', 'Values a pool can hand out (addresses, subnets or ports).'],
      ['allocated', 'Values of a pool held by stored objects.'],
      ['free', 'Values of a pool still free.'],
    ] as const) {
      new Gauge({
        name: `netmodel_ip_pool_${field}`,
        help,
        labelNames: ['pool', 'kind'],
        registers: [this.registry],
        collect() {
          this.reset(); // pools come and go with nodes
          for (const p of pools()) this.set({ pool: p.name, kind: p.kind }, p[field]);
        },
      });
    }
    new Gauge({
      name: 'netmodel_resource_version',
      help: 'The latest resourceVersion this instance has applied.',
      registers: [this.registry],
      collect() {
        this.set(store.snapshot().resourceVersion);
      },
    });
  }
}
