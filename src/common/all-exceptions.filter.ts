import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import { DomainError, isDomainError } from '../domain/errors.js';
import { fromFrameworkError, mapErrorCode, toStatus } from './status.js';

/** Normalizes anything thrown into a DomainError; unknown errors are bugs and become InternalError. */
export function toDomainError(e: unknown, log?: Logger): DomainError {
  if (isDomainError(e)) return e;
  if (e instanceof GraphQLError) return new DomainError('BadRequest', e.message);
  const mapped = fromFrameworkError(e);
  if (mapped) return mapped;
  log?.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return new DomainError('InternalError', 'an internal error occurred; see the server log');
}

/**
 * The one place errors become responses: a Kubernetes `Status` on REST, a GraphQL error with
 * `extensions.code` (plus reason, HTTP status and the causes' field paths) on GraphQL.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const err = toDomainError(exception, this.log);
    if (host.getType<GqlContextType>() === 'graphql') {
      return toGraphQLError(err);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = toStatus(err);
    void reply.status(status.code).header('content-type', 'application/json').send(status);
    return undefined;
  }
}

export function toGraphQLError(err: DomainError): GraphQLError {
  const m = mapErrorCode(err.code);
  return new GraphQLError(err.message, {
    extensions: {
      code: m.graphql,
      reason: m.reason,
      status: m.http,
      ...(err.details.causes ? { causes: err.details.causes } : {}),
      ...(err.details.report ? { report: err.details.report } : {}),
    },
  });
}
