import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

export function createPino(level: string): Logger {
  return pino({ level, base: { service: 'netmodel' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Nest's logger on top of the same pino instance Fastify logs requests with: one JSON log stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
