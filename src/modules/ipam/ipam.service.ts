import { Injectable } from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import type { PoolUsage } from '../../domain/ipam/ipam.js';
import { canonicalIP } from '../../domain/net/ip.js';
import { ResourceStore } from '../persistence/resource-store.js';
import type { IpHolder, IpPool, WhoHas } from './models/ipam.model.js';

function toPool(u: PoolUsage): IpPool {
  return {
    name: u.name,
    kind: u.kind,
    cidr: u.range,
    family: u.family,
    node: u.node,
    size: u.size,
    allocated: u.allocated,
    free: u.free,
  };
}

/** Pool usage and address ownership, read from the in-memory state. */
@Injectable()
export class IpamService {
  constructor(private readonly store: ResourceStore) {}

  ipPools(): IpPool[] {
    return this.store.ipPools().map(toPool);
  }

  whoHas(ip: string): WhoHas {
    const canonical = canonicalIP(ip);
    if (canonical === null)
      throw new DomainError(
        'BadRequest',
        `ip: Invalid value: ${JSON.stringify(ip)}: must be a valid IP address`,
      );
    // The state's IP index is keyed by canonical address text: one lookup finds every spelling.
    const holders: IpHolder[] = this.store
      .snapshot()
      .holdersOf(canonical)
      .map((h) => ({ ...h }));
    return { ip: canonical, holders, pools: this.store.poolsContaining(canonical).map(toPool) };
  }
}
