import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ProxyModeEnum {
  IPTABLES = 'iptables',
  IPVS = 'ipvs',
  NFTABLES = 'nftables',
}
registerEnumType(ProxyModeEnum, {
  name: 'ProxyMode',
  description: "kube-proxy's modes: iptables, IPVS, nftables.",
});

export enum IPFamilyEnum {
  IPv4 = 'IPv4',
  IPv6 = 'IPv6',
}
registerEnumType(IPFamilyEnum, {
  name: 'IPFamily',
  description: 'An IP family, as Service.spec.ipFamilies names it.',
});

@ObjectType('ProxyRuleSection', { description: 'The input of one tool, as kube-proxy would pass it.' })
export class ProxyRuleSectionModel {
  @Field({
    description: 'iptables-restore, ip6tables-restore, ipvsadm -R, ipset restore, ip -batch or nft -f.',
  })
  tool: string;
  @Field() text: string;
  @Field(() => Int) ruleCount: number;
}

@ObjectType('ProxyRules', {
  description: 'The rules kube-proxy would program on a node in one mode and family.',
})
export class ProxyRulesModel {
  @Field() node: string;
  @Field(() => ProxyModeEnum) mode: ProxyModeEnum;
  @Field(() => IPFamilyEnum) family: IPFamilyEnum;
  @Field({ description: 'Every section; each introduced by a "# <tool>" line when there is more than one.' })
  text: string;
  @Field(() => Int, {
    description:
      'iptables -A lines, IPVS services and destinations, ipset entries, nft rules and map elements.',
  })
  ruleCount: number;
  @Field(() => Int, { description: 'Size of text in bytes (UTF-8).' }) bytes: number;
  @Field(() => Int, { description: 'Service ports of the family the node programs.' }) servicePorts: number;
  @Field(() => [ProxyRuleSectionModel]) sections: ProxyRuleSectionModel[];
}

@ObjectType('ProxyRulesSize', { description: 'The size of a rule set.' })
export class ProxyRulesSizeModel {
  @Field(() => Int) ruleCount: number;
  @Field(() => Int) bytes: number;
  @Field(() => Int) servicePorts: number;
}

@ObjectType('ProxyRulesDiff', {
  description:
    'What a change (manifests applied, unsaved) would add to and remove from the rules of a node. Lines are prefixed with their tool and table, e.g. "iptables-restore nat: -A KUBE-SERVICES ...".',
})
export class ProxyRulesDiffModel {
  @Field() node: string;
  @Field(() => ProxyModeEnum) mode: ProxyModeEnum;
  @Field(() => IPFamilyEnum) family: IPFamilyEnum;
  @Field(() => [String]) added: string[];
  @Field(() => [String]) removed: string[];
  @Field(() => ProxyRulesSizeModel) before: ProxyRulesSizeModel;
  @Field(() => ProxyRulesSizeModel) after: ProxyRulesSizeModel;
}
