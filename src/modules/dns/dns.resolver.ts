import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type * as k8s from '../../domain/model/types.js';
import { Pod } from '../resources/models/core.model.js';
import { DnsService } from './dns.service.js';
import { DnsLookup, DnsRecordType, DnsResponseModel } from './models/dns.model.js';

@Resolver()
export class DnsQueriesResolver {
  constructor(private readonly dns: DnsService) {}

  @Query(() => DnsResponseModel, { description: 'What the cluster DNS answers for a name and type.' })
  dnsQuery(
    @Args('name') name: string,
    @Args('type', { type: () => DnsRecordType, defaultValue: DnsRecordType.A }) type: DnsRecordType,
  ) {
    return this.dns.query(name, type);
  }

  @Query(() => DnsLookup, {
    description:
      "A lookup from a pod (namespace/name): its resolver's walk over the search list, query by query.",
  })
  dnsLookup(
    @Args('pod') pod: string,
    @Args('name') name: string,
    @Args('type', { type: () => DnsRecordType, defaultValue: DnsRecordType.A }) type: DnsRecordType,
  ) {
    return this.dns.lookup(pod, name, type);
  }
}

@Resolver(() => Pod)
export class PodDnsResolver {
  constructor(private readonly dns: DnsService) {}

  @ResolveField(() => String, {
    description: "The pod's /etc/resolv.conf, as kubelet and the runtime write it.",
  })
  resolvConf(@Parent() pod: k8s.Pod) {
    return this.dns.resolvConf(pod).text;
  }

  @ResolveField(() => String, { description: "The pod's kubelet-managed /etc/hosts." })
  hostsFile(@Parent() pod: k8s.Pod) {
    return this.dns.hostsFile(pod);
  }
}
