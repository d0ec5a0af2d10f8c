import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type * as k8s from '../../domain/model/types.js';
import { Pod } from '../resources/models/core.model.js';
import { NetworkPolicy } from '../resources/models/networking.model.js';
import { toModel } from '../resources/models/object.mapper.js';
import {
  PolicyDiffModel,
  PolicyOptionsInput,
  PolicyVerdictModel,
  ProtocolEnum,
  ReachabilityModel,
} from './models/policy.model.js';
import { PolicyService } from './policy.service.js';

@Resolver()
export class PolicyQueriesResolver {
  constructor(private readonly policy: PolicyService) {}

  @Query(() => PolicyVerdictModel, {
    description: 'May `from` reach `to` on port/protocol? `from`/`to` are "namespace/pod" or an IP address.',
  })
  policyVerdict(
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('port', { type: () => Int }) port: number,
    @Args('protocol', { type: () => ProtocolEnum, defaultValue: ProtocolEnum.TCP }) protocol: ProtocolEnum,
    @Args('options', { type: () => PolicyOptionsInput, nullable: true }) options?: PolicyOptionsInput,
  ) {
    return this.policy.verdict(from, to, port, protocol, options);
  }

  @Query(() => PolicyDiffModel, {
    description:
      'Draft NetworkPolicies (YAML/JSON; annotate netmodel.io/what-if: delete to drop one) against the cluster, unsaved: the connections that would change.',
  })
  policyDiff(
    @Args('manifests') manifests: string,
    @Args('options', { type: () => PolicyOptionsInput, nullable: true }) options?: PolicyOptionsInput,
  ) {
    return this.policy.diff(manifests, options);
  }

  @Query(() => ReachabilityModel, {
    description: 'The reachability matrix of the pods of some namespaces (or all).',
  })
  reachability(
    @Args('port', { type: () => Int }) port: number,
    @Args('namespaces', { type: () => [String], nullable: true }) namespaces: string[] | undefined,
    @Args('protocol', { type: () => ProtocolEnum, defaultValue: ProtocolEnum.TCP }) protocol: ProtocolEnum,
    @Args('options', { type: () => PolicyOptionsInput, nullable: true }) options?: PolicyOptionsInput,
  ) {
    return this.policy.reachability(namespaces, port, protocol, options);
  }
}

@Resolver(() => NetworkPolicy)
export class NetworkPolicyPodsResolver {
  constructor(private readonly policy: PolicyService) {}

  @ResolveField(() => [Pod], { description: 'The pods the policy selects (its namespace, its podSelector).' })
  selectedPods(@Parent() np: k8s.NetworkPolicy) {
    return this.policy.selectedPods(np).map(toModel);
  }
}
