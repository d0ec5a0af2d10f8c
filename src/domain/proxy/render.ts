/**
 * The entry point of the proxy rules: one node, one mode, one IP family, from any view of the cluster
 * (the stored state, or a what-if overlay of it).
 */
import type { IPFamily } from '../net/ip.js';
import type { StateView } from '../resources/lifecycle.js';
import { renderIptables } from './iptables.js';
import { checkScheduler, renderIpvs } from './ipvs.js';
import { renderNftables } from './nftables.js';
import { buildRuleSet, type ProxyOptions, type ProxyRuleSet } from './service-ports.js';
import { diffRendered, type ProxyMode, type RenderedRules, type RulesDiff } from './text.js';

export interface RenderRequest {
  readonly mode: ProxyMode;
  readonly family: IPFamily;
  /** IPVS only: the virtual-server scheduler (kube-proxy `--ipvs-scheduler`, rr by default). */
  readonly scheduler?: string;
  /** iptables and IPVS: add the jumps from the built-in chains (see IptablesOptions.withJumps). */
  readonly withJumps?: boolean;
}

export interface ProxyRules extends RenderedRules {
  readonly node: string;
  readonly family: IPFamily;
  /** Service ports of the family this node programs (headless and ExternalName left out). */
  readonly servicePorts: number;
}

export function renderRuleSet(rs: ProxyRuleSet, req: RenderRequest): RenderedRules {
  switch (req.mode) {
    case 'iptables':
      return renderIptables(rs, { withJumps: req.withJumps ?? false });
    case 'ipvs':
      return renderIpvs(rs, { scheduler: checkScheduler(req.scheduler), withJumps: req.withJumps ?? false });
    case 'nftables':
      return renderNftables(rs);
  }
}

export function proxyRules(
  view: StateView,
  node: string,
  req: RenderRequest,
  opts: ProxyOptions,
): ProxyRules {
  // Checked before the (possibly large) build, so a bad scheduler costs nothing.
  if (req.mode === 'ipvs') checkScheduler(req.scheduler);
  const rs = buildRuleSet(view, node, req.family, opts);
  return { ...renderRuleSet(rs, req), node, family: req.family, servicePorts: rs.servicePorts.length };
}

export interface ProxyRulesDiff extends RulesDiff {
  readonly before: ProxyRules;
  readonly after: ProxyRules;
}

/** The rules a change would add and remove on `node`: the same render before and after. */
export function proxyRulesDiff(
  before: StateView,
  after: StateView,
  node: string,
  req: RenderRequest,
  opts: ProxyOptions,
): ProxyRulesDiff {
  const a = proxyRules(before, node, req, opts);
  const b = proxyRules(after, node, req, opts);
  return { ...diffRendered(a, b), before: a, after: b };
}
