import { Controller, Get, Query } from '@nestjs/common';
import { requiredParam } from '../../common/query-params.js';
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
    return this.ipam.whoHas(requiredParam('ip', ip));
  }
}
