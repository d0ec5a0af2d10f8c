import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import { ApplyService } from './apply.service.js';

function flag(name: string, v: string | undefined, def: boolean): boolean {
  if (v === undefined || v === '') return def;
  if (v === 'true' || v === 'All' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new DomainError('BadRequest', `${name}: expected true or false, got ${JSON.stringify(v)}`);
}

@Controller('netmodel/v1')
export class ApplyController {
  constructor(private readonly apply: ApplyService) {}

  /** Body: YAML (application/yaml, text/yaml, text/plain) or JSON; `?dryRun=true`, `?atomic=false`. */
  @Post('apply')
  @HttpCode(200)
  applyManifests(@Body() body: unknown, @Query('dryRun') dryRun?: string, @Query('atomic') atomic?: string) {
    if (body === undefined || body === null || body === '')
      throw new DomainError('BadRequest', 'the request body is empty: send YAML or JSON manifests');
    return this.apply.apply(body as string | object, {
      dryRun: flag('dryRun', dryRun, false),
      atomic: flag('atomic', atomic, true),
    });
  }

  @Get('export')
  @Header('content-type', 'application/yaml; charset=utf-8')
  exportYaml() {
    return this.apply.exportYaml();
  }
}
