import { Controller, Get, Query } from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import { IpamService } from './ipam.service.js';

@Controller('netmodel/v1/ipam')
export class IpamController {
  constructor(private readonly ipam: IpamService) {}

  @Get('pools')
  pools() {
    return { items: this.ipam.ipPools() };
  }

  @Get('who-has')
  whoHas(@Query('ip') ip?: string) {
    if (!ip) throw new DomainError('BadRequest', 'ip: Required value: the query parameter ip is required');
    return this.ipam.whoHas(ip);
  }
}
