import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../../domain/errors.js';
import {
  isTerminal,
  namespaceOf,
  type NetworkPolicy,
  type Pod,
  type Protocol,
} from '../../domain/model/types.js';
import { canonicalIP } from '../../domain/net/ip.js';
import {
  reachability,
  selectedPods,
  verdict,
  type Endpoint,
  type EngineOptions,
  type Reachability,
  type Verdict,
} from '../../domain/policy/engine.js';
import { policyDiff, type PolicyDiff } from '../../domain/policy/what-if.js';
import { documentsFromValue, parseManifests } from '../../domain/manifests/parse.js';
import { withDefaults } from '../../domain/resources/defaults.js';
import { isPlainObject } from '../../domain/resources/json.js';
import { validateCreate } from '../../domain/validation/index.js';
import { invalidObject, unsupportedParameter } from '../../domain/validation/field-errors.js';
import { checkStructure } from '../resources/dto/decode.js';
import { ResourceStore } from '../persistence/resource-store.js';

export interface ReachabilityResult extends Reachability {
  readonly allowedPairs: string[];
}

function badQuery(field: string, value: unknown, detail: string): DomainError {
  return new DomainError('BadRequest', `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`, {
    causes: [
      { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` },
    ],
  });
}

/** NetworkPolicy questions over the in-memory state (src/domain/policy/engine.ts). */
@Injectable()
export class PolicyService {
  constructor(private readonly store: ResourceStore) {}

  /** `namespace/name` of a pod, or an IP address (a peer outside the cluster, or a pod or node IP). */
  endpoint(field: string, ref: string): Endpoint {
    const snap = this.store.snapshot();
    const ip = canonicalIP(ref);
    if (ip) return { kind: 'ip', ip };
    const slash = ref.indexOf('/');
    if (slash <= 0 || slash === ref.length - 1)
      throw badQuery(field, ref, 'expected "namespace/pod" or an IP address');
    const ns = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    const pod = snap.get('Pod', ns, name);
    if (!pod) throw notFound('pods', name);
    return { kind: 'pod', pod, namespace: snap.get('Namespace', '', ns) };
  }

  private check(port: number, protocol: string): Protocol {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw badQuery('port', port, 'must be between 1 and 65535, inclusive');
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')
      throw unsupportedParameter('protocol', protocol, ['SCTP', 'TCP', 'UDP']);
    return protocol;
  }

  verdict(from: string, to: string, port: number, protocol: string, opts?: EngineOptions): Verdict {
    const p = this.check(port, protocol);
    return verdict(
      this.store.snapshot(),
      this.endpoint('from', from),
      this.endpoint('to', to),
      port,
      p,
      opts,
    );
  }

  reachability(
    namespaces: readonly string[] | undefined,
    port: number,
    protocol: string,
    opts?: EngineOptions,
  ): ReachabilityResult {
    const p = this.check(port, protocol);
    const snap = this.store.snapshot();
    for (const ns of namespaces ?? []) if (!snap.get('Namespace', '', ns)) throw notFound('namespaces', ns);
    const wanted = namespaces?.length ? new Set(namespaces) : undefined;
    // Finished pods (Succeeded, Failed) hold no address and take no traffic: they are left out.
    const pods = snap
      .list('Pod')
      .filter((pod) => !isTerminal(pod) && (!wanted || wanted.has(namespaceOf(pod))));
    const r = reachability(snap, pods, port, p, opts);
    const allowedPairs: string[] = [];
    r.allowed.forEach((row, i) =>
      row.forEach((ok, j) => {
        if (ok && i !== j) allowedPairs.push(`${r.pods[i]}->${r.pods[j]}`);
      }),
    );
    return { ...r, allowedPairs };
  }

  /**
   * What-if: draft NetworkPolicies (YAML or JSON, one or many, `kind: List` too) laid over the cluster
   * without being stored. A document is added or replaces the stored policy of its name; one annotated
   * `netmodel.io/what-if: delete` deletes it. Drafts are checked as a create would check them.
   */
  diff(input: string | object, opts?: EngineOptions): PolicyDiff {
    const docs = typeof input === 'string' ? parseManifests(input) : documentsFromValue(input);
    if (docs.length === 0) throw new DomainError('BadRequest', 'no NetworkPolicy documents to evaluate');
    const snap = this.store.snapshot();
    const upsert: NetworkPolicy[] = [];
    const remove: { namespace: string; name: string }[] = [];
    for (const d of docs) {
      const raw = d.raw;
      if (!isPlainObject(raw) || raw.apiVersion !== 'networking.k8s.io/v1' || raw.kind !== 'NetworkPolicy') {
        const what = isPlainObject(raw) ? `${String(raw.apiVersion)} ${String(raw.kind)}` : typeof raw;
        throw new DomainError(
          'BadRequest',
          `items[${d.index}]: only networking.k8s.io/v1 NetworkPolicy documents can be drafted, got ${what}`,
        );
      }
      const structural = checkStructure('NetworkPolicy', raw);
      const meta = isPlainObject(raw.metadata) ? raw.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : '';
      if (structural.length) throw invalidObject('NetworkPolicy', 'networking.k8s.io', name, structural);
      const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
      if (!snap.get('Namespace', '', namespace)) throw notFound('namespaces', namespace);
      const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
      if (annotations['netmodel.io/what-if'] === 'delete') {
        if (!snap.get('NetworkPolicy', namespace, name))
          throw notFound('networkpolicies.networking.k8s.io', name);
        remove.push({ namespace, name });
        continue;
      }
      const np = withDefaults({
        ...(raw as unknown as NetworkPolicy),
        metadata: { ...(meta as object), name, namespace },
      } as NetworkPolicy);
      const errors = validateCreate(np);
      if (errors.length) throw invalidObject('NetworkPolicy', 'networking.k8s.io', name, errors);
      upsert.push(np);
    }
    return policyDiff(snap, { upsert, remove }, opts);
  }

  selectedPods(policy: NetworkPolicy): readonly Pod[] {
    return selectedPods(this.store.snapshot(), policy);
  }
}

/** The matrix as CSV: a header row of destinations, then one row per source with 1/0 cells. */
export function reachabilityCsv(r: Reachability): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['from \\ to', ...r.pods].map(quote).join(',')];
  r.allowed.forEach((row, i) =>
    lines.push([quote(r.pods[i]!), ...row.map((ok) => (ok ? '1' : '0'))].join(',')),
  );
  return `${lines.join('\n')}\n`;
}

/** The matrix as a Graphviz digraph: one node per pod, clustered by namespace, one edge per allowed pair. */
export function reachabilityDot(r: ReachabilityResult, port: number, protocol: string): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const byNs = new Map<string, string[]>();
  for (const p of r.pods) {
    const ns = p.slice(0, p.indexOf('/'));
    byNs.set(ns, [...(byNs.get(ns) ?? []), p]);
  }
  const out = [`digraph reachability {`, `  label=${q(`allowed connections on ${port}/${protocol}`)};`];
  let i = 0;
  for (const [ns, pods] of byNs) {
    out.push(`  subgraph cluster_${i++} {`, `    label=${q(ns)};`);
    for (const p of pods) out.push(`    ${q(p)} [label=${q(p.slice(ns.length + 1))}];`);
    out.push('  }');
  }
  for (const pair of r.allowedPairs) {
    const [a, b] = pair.split('->');
    out.push(`  ${q(a!)} -> ${q(b!)};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
