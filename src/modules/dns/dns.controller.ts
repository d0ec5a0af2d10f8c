import { Controller, Get, Header, Query } from '@nestjs/common';
import { requiredParam } from '../../common/query-params.js';
import { DnsService } from './dns.service.js';

@Controller('netmodel/v1/dns')
export class DnsController {
  constructor(private readonly dns: DnsService) {}

  /** `?name=web.shop.svc.cluster.local&type=A` */
  @Get()
  query(@Query('name') name?: string, @Query('type') type?: string) {
    return this.dns.query(requiredParam('name', name), type || 'A');
  }

  /** `?pod=shop/web-0&name=google.com&type=A` */
  @Get('lookup')
  lookup(@Query('pod') pod?: string, @Query('name') name?: string, @Query('type') type?: string) {
    return this.dns.lookup(requiredParam('pod', pod), requiredParam('name', name), type || 'A');
  }

  /** `?pod=shop/web-0`: the pod's /etc/resolv.conf. */
  @Get('resolv.conf')
  @Header('content-type', 'text/plain; charset=utf-8')
  resolvConf(@Query('pod') pod?: string) {
    return this.dns.resolvConf(this.dns.pod(requiredParam('pod', pod))).text;
  }

  /** `?pod=shop/web-0`: the pod's /etc/hosts. */
  @Get('hosts')
  @Header('content-type', 'text/plain; charset=utf-8')
  hosts(@Query('pod') pod?: string) {
    return this.dns.hostsFile(this.dns.pod(requiredParam('pod', pod)));
  }
}
