import { Module } from '@nestjs/common';
import { ProxyController } from './proxy.controller.js';
import { ProxyResolver } from './proxy.resolver.js';
import { ProxyService } from './proxy.service.js';

@Module({ controllers: [ProxyController], providers: [ProxyService, ProxyResolver] })
export class ProxyModule {}
