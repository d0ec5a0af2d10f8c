import { Module } from '@nestjs/common';
import { IpamController } from './ipam.controller.js';
import { IpamResolver } from './ipam.resolver.js';
import { IpamService } from './ipam.service.js';

@Module({ controllers: [IpamController], providers: [IpamService, IpamResolver] })
export class IpamModule {}
