import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { documentsFromValue, parseManifests, type ManifestDocument } from '../../domain/manifests/parse.js';
import { parseCIDR, type IPFamily } from '../../domain/net/ip.js';
import {
  proxyRules,
  proxyRulesDiff,
  type ProxyRules,
  type RenderRequest,
} from '../../domain/proxy/render.js';
import type { ProxyOptions } from '../../domain/proxy/service-ports.js';
import { PROXY_MODES, type ProxyMode } from '../../domain/proxy/text.js';
import { planApply } from '../../domain/resources/apply.js';
import { isPlainObject } from '../../domain/resources/json.js';
import {
  OverlayView,
  planDelete,
  type PlannedWrite,
  type StateView,
} from '../../domain/resources/lifecycle.js';
import { KINDS, kindFor } from '../../domain/model/kinds.js';
import { unsupportedParameter } from '../../domain/validation/field-errors.js';
import { checkStructure } from '../resources/dto/decode.js';
import { ResourceStore } from '../persistence/resource-store.js';

export interface RulesQuery {
  readonly mode: string;
  readonly family?: string;
  readonly scheduler?: string;
  readonly withJumps?: boolean;
}

export interface SizedRules {
  readonly ruleCount: number;
  readonly bytes: number;
  readonly servicePorts: number;
}

export interface RulesDiffResult {
  readonly node: string;
  readonly mode: ProxyMode;
  readonly family: 'IPv4' | 'IPv6';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly before: SizedRules;
  readonly after: SizedRules;
}

const WHAT_IF = 'netmodel.io/what-if';

const familyName = (f: IPFamily): 'IPv4' | 'IPv6' => (f === 4 ? 'IPv4' : 'IPv6');
const size = (r: ProxyRules): SizedRules => ({
  ruleCount: r.ruleCount,
  bytes: r.bytes,
  servicePorts: r.servicePorts,
});

/** kube-proxy's rules for a node (src/domain/proxy), over the in-memory state or a what-if of it. */
@Injectable()
export class ProxyService {
  private readonly options: ProxyOptions;

  constructor(
    private readonly store: ResourceStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.options = { clusterCidrs: config.clusterCidrs, serviceCidrs: config.serviceCidrs };
  }

  /** The request checked: a known mode, a family the cluster has (its first service CIDR's by default). */
  request(q: RulesQuery): RenderRequest {
    const mode = q.mode.toLowerCase();
    if (!(PROXY_MODES as readonly string[]).includes(mode))
      throw unsupportedParameter('mode', q.mode, PROXY_MODES);
    const families = this.config.serviceCidrs.map((c) => parseCIDR(c)!.family);
    let family: IPFamily = families[0] ?? 4;
    if (q.family !== undefined && q.family !== '') {
      if (q.family !== 'IPv4' && q.family !== 'IPv6')
        throw unsupportedParameter('family', q.family, ['IPv4', 'IPv6']);
      family = q.family === 'IPv4' ? 4 : 6;
      if (!families.includes(family))
        throw new DomainError(
          'BadRequest',
          `family: Invalid value: "${q.family}": the cluster has no ${q.family} service CIDR (NETMODEL_SERVICE_CIDR is ${this.config.serviceCidrs.join(',')})`,
          {
            causes: [
              {
                reason: 'FieldValueInvalid',
                field: 'family',
                message: `the cluster has no ${q.family} service CIDR`,
              },
            ],
          },
        );
    }
    return {
      mode: mode as ProxyMode,
      family,
      ...(q.scheduler !== undefined ? { scheduler: q.scheduler } : {}),
      ...(q.withJumps !== undefined ? { withJumps: q.withJumps } : {}),
    };
  }

  private checkNode(view: StateView, node: string): void {
    if (!view.get('Node', '', node)) throw notFound('nodes', node);
  }

  rules(node: string, q: RulesQuery): ProxyRules & { familyName: 'IPv4' | 'IPv6' } {
    const req = this.request(q);
    const view = this.store.snapshot();
    this.checkNode(view, node);
    const r = proxyRules(view, node, req, this.options);
    return { ...r, familyName: familyName(r.family) };
  }

  /**
   * Manifests (YAML or JSON, `kind: List` too) applied as `applyManifests` would apply them, all or
   * nothing, but never stored; a document annotated `netmodel.io/what-if: delete` deletes that object
   * instead. The EndpointSlices the change implies are derived as a commit would derive them.
   */
  diff(node: string, q: RulesQuery, input: string | object): RulesDiffResult {
    const req = this.request(q);
    const docs = typeof input === 'string' ? parseManifests(input) : documentsFromValue(input);
    if (docs.length === 0)
      throw new DomainError('BadRequest', 'no objects passed: send the manifests of the change');
    const deletes: ManifestDocument[] = [];
    const applies: ManifestDocument[] = [];
    for (const d of docs) {
      const meta = isPlainObject(d.raw) && isPlainObject(d.raw.metadata) ? d.raw.metadata : {};
      const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
      (annotations[WHAT_IF] === 'delete' ? deletes : applies).push(d);
    }
    const ctx = this.store.writeContext(checkStructure);
    const before = this.store.snapshot();
    const after = this.store.preview((view, admission) => {
      const writes: PlannedWrite[] = [];
      if (applies.length)
        writes.push(...planApply(view, applies, { ...ctx, admission }, { atomic: true }).writes);
      const overlay = new OverlayView(view);
      for (const w of writes) overlay.record(w);
      for (const d of deletes) {
        const raw = d.raw as Record<string, unknown>;
        const info = kindFor(String(raw.apiVersion ?? ''), String(raw.kind ?? ''));
        if (!info)
          throw new DomainError(
            'BadRequest',
            `items[${d.index}]: no kind "${String(raw.kind)}" is registered for version "${String(raw.apiVersion)}"`,
          );
        const meta = raw.metadata as Record<string, unknown>;
        const ns = KINDS[info.kind].namespaced ? String(meta.namespace || 'default') : '';
        for (const w of planDelete(overlay, info.kind, ns, String(meta.name ?? ''), {}, { admission })) {
          overlay.record(w);
          writes.push(w);
        }
      }
      return { writes };
    });
    this.checkNode(after, node);
    const d = proxyRulesDiff(before, after, node, req, this.options);
    return {
      node,
      mode: req.mode,
      family: familyName(req.family),
      added: d.added,
      removed: d.removed,
      before: size(d.before),
      after: size(d.after),
    };
  }
}
