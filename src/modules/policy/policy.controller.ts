import { Body, Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { booleanParam, requiredParam } from '../../common/query-params.js';
import { DomainError } from '../../domain/errors.js';
import type { EngineOptions } from '../../domain/policy/engine.js';
import { PolicyService, reachabilityCsv, reachabilityDot } from './policy.service.js';

function portOf(v: string | undefined): number {
  const text = requiredParam('port', v);
  if (!/^-?\d+$/.test(text))
    throw new DomainError('BadRequest', `port: Invalid value: ${JSON.stringify(text)}: must be an integer`);
  return Number(text);
}

/** The engine's options from query parameters (`?ipBlockMatchesPodIPs=false&hostNetworkPods=as-pod`). */
function optionsOf(q: Record<string, string | undefined>): EngineOptions {
  const hostNetworkPods = q.hostNetworkPods;
  if (hostNetworkPods !== undefined && hostNetworkPods !== 'as-node' && hostNetworkPods !== 'as-pod')
    throw new DomainError(
      'BadRequest',
      `hostNetworkPods: Unsupported value: ${JSON.stringify(hostNetworkPods)}: supported values: "as-node", "as-pod"`,
    );
  return {
    ipBlockMatchesPodIPs: booleanParam('ipBlockMatchesPodIPs', q.ipBlockMatchesPodIPs),
    allowSelf: booleanParam('allowSelf', q.allowSelf),
    allowFromLocalNode: booleanParam('allowFromLocalNode', q.allowFromLocalNode),
    allowToLocalNode: booleanParam('allowToLocalNode', q.allowToLocalNode),
    hostNetworkPods,
  };
}

@Controller('netmodel/v1/policy')
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  /** `?from=x/a&to=y/b&port=80&protocol=TCP` (+ the engine options, e.g. `&ipBlockMatchesPodIPs=false`) */
  @Get('verdict')
  verdict(
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('port') port?: string,
    @Query('protocol') protocol?: string,
    @Query() all: Record<string, string | undefined> = {},
  ) {
    return this.policy.verdict(
      requiredParam('from', from),
      requiredParam('to', to),
      portOf(port),
      protocol || 'TCP',
      optionsOf(all),
    );
  }

  /** Body: draft NetworkPolicies (YAML or JSON). */
  @Post('diff')
  @HttpCode(200)
  diff(@Body() body: unknown, @Query() all: Record<string, string | undefined> = {}) {
    if (body === undefined || body === null || body === '')
      throw new DomainError(
        'BadRequest',
        'the request body is empty: send NetworkPolicy manifests (YAML or JSON)',
      );
    return this.policy.diff(body as string | object, optionsOf(all));
  }

  /** `?port=80&protocol=TCP&namespaces=x,y&format=json|csv|dot` */
  @Get('reachability')
  @Header('cache-control', 'no-store')
  reachability(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('port') port?: string,
    @Query('protocol') protocol?: string,
    @Query('namespaces') namespaces?: string,
    @Query('format') format?: string,
    @Query() all: Record<string, string | undefined> = {},
  ) {
    const p = portOf(port);
    const proto = protocol || 'TCP';
    const list = namespaces
      ? namespaces
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    const r = this.policy.reachability(list, p, proto, optionsOf(all));
    switch (format ?? 'json') {
      case 'json':
        return r;
      case 'csv':
        void reply.header('content-type', 'text/csv; charset=utf-8');
        return reachabilityCsv(r);
      case 'dot':
        void reply.header('content-type', 'text/vnd.graphviz; charset=utf-8');
        return reachabilityDot(r, p, proto);
      default:
        throw new DomainError(
          'BadRequest',
          `format: Unsupported value: ${JSON.stringify(format)}: supported values: "csv", "dot", "json"`,
        );
    }
  }
}
