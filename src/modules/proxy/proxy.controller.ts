import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { booleanParam, requiredParam } from '../../common/query-params.js';
import { DomainError } from '../../domain/errors.js';
import { ProxyService, type RulesQuery } from './proxy.service.js';

function queryOf(all: Record<string, string | undefined>): RulesQuery {
  const withJumps = booleanParam('jumps', all.jumps);
  return {
    mode: requiredParam('mode', all.mode),
    ...(all.family ? { family: all.family } : {}),
    ...(all.scheduler ? { scheduler: all.scheduler } : {}),
    ...(withJumps !== undefined ? { withJumps } : {}),
  };
}

/**
 * kube-proxy's rules for a node. `?mode=iptables|ipvs|nftables&family=IPv4|IPv6`, plus `scheduler=`
 * (IPVS) and `jumps=true` (iptables: the built-in chains' jumps too). Text by default, loadable by the
 * tool it is for; `format=json` gives the sections, counts and size.
 */
@Controller('netmodel/v1/nodes/:node/proxy-rules')
export class ProxyController {
  constructor(private readonly proxy: ProxyService) {}

  @Get()
  @Header('cache-control', 'no-store')
  rules(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('node') node: string,
    @Query() all: Record<string, string | undefined> = {},
  ) {
    const r = this.proxy.rules(node, queryOf(all));
    switch (all.format ?? 'text') {
      case 'text':
        void reply.header('content-type', 'text/plain; charset=utf-8');
        void reply.header('x-netmodel-rule-count', String(r.ruleCount));
        void reply.header('x-netmodel-service-ports', String(r.servicePorts));
        return r.text;
      case 'json':
        return {
          node: r.node,
          mode: r.mode,
          family: r.familyName,
          ruleCount: r.ruleCount,
          bytes: r.bytes,
          servicePorts: r.servicePorts,
          sections: r.sections,
          text: r.text,
        };
      default:
        throw new DomainError(
          'BadRequest',
          `format: Unsupported value: ${JSON.stringify(all.format)}: supported values: "json", "text"`,
        );
    }
  }

  /** Body: the manifests of a change (YAML or JSON); nothing is stored. */
  @Post('diff')
  @HttpCode(200)
  diff(
    @Param('node') node: string,
    @Body() body: unknown,
    @Query() all: Record<string, string | undefined> = {},
  ) {
    if (body === undefined || body === null || body === '')
      throw new DomainError(
        'BadRequest',
        'the request body is empty: send the manifests of the change (YAML or JSON)',
      );
    return this.proxy.diff(node, queryOf(all), body as string | object);
  }
}
