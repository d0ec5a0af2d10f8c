import { Module } from '@nestjs/common';
import { DnsController } from './dns.controller.js';
import { DnsQueriesResolver, PodDnsResolver } from './dns.resolver.js';
import { DnsServer } from './dns.server.js';
import { DnsService } from './dns.service.js';

@Module({
  controllers: [DnsController],
  providers: [DnsService, DnsServer, DnsQueriesResolver, PodDnsResolver],
  exports: [DnsService, DnsServer],
})
export class DnsModule {}
