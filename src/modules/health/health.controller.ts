import { Controller, Get, Header } from '@nestjs/common';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @Header('content-type', 'text/plain; charset=utf-8')
  healthz(): string {
    return 'ok';
  }

  /** Readiness: the database answers and the in-memory state is loaded; 503 Status otherwise. */
  @Get('readyz')
  @Header('content-type', 'text/plain; charset=utf-8')
  readyz(): Promise<string> {
    return this.health.ready();
  }
}
