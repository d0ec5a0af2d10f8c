import { Args, Query, Resolver } from '@nestjs/graphql';
import { IpamService } from './ipam.service.js';
import { IpPool, WhoHas } from './models/ipam.model.js';

@Resolver()
export class IpamResolver {
  constructor(private readonly ipam: IpamService) {}

  @Query(() => [IpPool], { description: 'Every pool netmodel allocates from, with its size and use.' })
  ipPools() {
    return this.ipam.ipPools();
  }

  @Query(() => WhoHas, { description: 'Which objects hold an address, and the pools it belongs to.' })
  whoHas(@Args('ip') ip: string) {
    return this.ipam.whoHas(ip);
  }
}
