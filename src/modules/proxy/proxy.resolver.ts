import { Args, Query, Resolver } from '@nestjs/graphql';
import { IPFamilyEnum, ProxyModeEnum, ProxyRulesDiffModel, ProxyRulesModel } from './models/proxy.model.js';
import { ProxyService, type RulesQuery } from './proxy.service.js';

function queryOf(
  mode: ProxyModeEnum,
  family: IPFamilyEnum | undefined,
  scheduler: string | undefined,
  withJumps: boolean | undefined,
): RulesQuery {
  return {
    mode,
    ...(family ? { family } : {}),
    ...(scheduler ? { scheduler } : {}),
    ...(withJumps !== undefined && withJumps !== null ? { withJumps } : {}),
  };
}

@Resolver()
export class ProxyResolver {
  constructor(private readonly proxy: ProxyService) {}

  @Query(() => ProxyRulesModel, {
    description:
      "The rules kube-proxy would program on a node: iptables-restore input, ipvsadm -R + ipset restore + iptables-restore, or nft -f input. family defaults to the cluster's first service CIDR's.",
  })
  proxyRules(
    @Args('node') node: string,
    @Args('mode', { type: () => ProxyModeEnum }) mode: ProxyModeEnum,
    @Args('family', { type: () => IPFamilyEnum, nullable: true }) family?: IPFamilyEnum,
    @Args('scheduler', { nullable: true, description: 'IPVS scheduler (rr by default).' }) scheduler?: string,
    @Args('withJumps', {
      nullable: true,
      description: 'iptables: also the jumps from the built-in chains, which kube-proxy installs apart.',
    })
    withJumps?: boolean,
  ): ProxyRulesModel {
    const r = this.proxy.rules(node, queryOf(mode, family, scheduler, withJumps));
    return {
      node: r.node,
      mode: r.mode as ProxyModeEnum,
      family: r.familyName as IPFamilyEnum,
      text: r.text,
      ruleCount: r.ruleCount,
      bytes: r.bytes,
      servicePorts: r.servicePorts,
      sections: r.sections.map((s) => ({ ...s })),
    };
  }

  @Query(() => ProxyRulesDiffModel, {
    description:
      'The rules a change would add and remove on a node: manifests (YAML/JSON) applied as applyManifests would, unsaved; annotate netmodel.io/what-if: delete to delete an object instead.',
  })
  proxyRulesDiff(
    @Args('node') node: string,
    @Args('mode', { type: () => ProxyModeEnum }) mode: ProxyModeEnum,
    @Args('manifests') manifests: string,
    @Args('family', { type: () => IPFamilyEnum, nullable: true }) family?: IPFamilyEnum,
    @Args('scheduler', { nullable: true }) scheduler?: string,
  ): ProxyRulesDiffModel {
    const d = this.proxy.diff(node, queryOf(mode, family, scheduler, undefined), manifests);
    return {
      ...d,
      mode: d.mode as ProxyModeEnum,
      family: d.family as IPFamilyEnum,
      added: [...d.added],
      removed: [...d.removed],
    };
  }
}
