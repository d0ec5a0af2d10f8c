import { DomainError, type DomainErrorCode, type StatusCause } from '../domain/errors.js';

/** metav1.Status, the body of every REST error. */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly StatusCause[];
  };
  readonly code: number;
}

export interface ErrorMapping {
  readonly http: number;
  /** metav1.StatusReason */
  readonly reason: string;
  /** GraphQL extensions.code */
  readonly graphql: string;
}

/** Each domain code's HTTP status, Kubernetes reason and GraphQL code. The switch is exhaustive. */
export function mapErrorCode(code: DomainErrorCode): ErrorMapping {
  switch (code) {
    case 'Invalid':
      return { http: 422, reason: 'Invalid', graphql: 'INVALID' };
    case 'AlreadyExists':
      return { http: 409, reason: 'AlreadyExists', graphql: 'ALREADY_EXISTS' };
    case 'Conflict':
      return { http: 409, reason: 'Conflict', graphql: 'CONFLICT' };
    case 'NotFound':
      return { http: 404, reason: 'NotFound', graphql: 'NOT_FOUND' };
    case 'BadRequest':
      return { http: 400, reason: 'BadRequest', graphql: 'BAD_REQUEST' };
    case 'Forbidden':
      return { http: 403, reason: 'Forbidden', graphql: 'FORBIDDEN' };
    case 'MethodNotAllowed':
      return { http: 405, reason: 'MethodNotAllowed', graphql: 'METHOD_NOT_ALLOWED' };
    case 'UnsupportedMediaType':
      return { http: 415, reason: 'UnsupportedMediaType', graphql: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'RequestEntityTooLarge':
      return { http: 413, reason: 'RequestEntityTooLarge', graphql: 'REQUEST_ENTITY_TOO_LARGE' };
    case 'ServiceUnavailable':
      return { http: 503, reason: 'ServiceUnavailable', graphql: 'SERVICE_UNAVAILABLE' };
    case 'InternalError':
      return { http: 500, reason: 'InternalError', graphql: 'INTERNAL_SERVER_ERROR' };
  }
}

export function toStatus(e: DomainError): KubeStatus {
  const m = mapErrorCode(e.code);
  const d = e.details;
  const details =
    d.name !== undefined || d.kind !== undefined || d.causes !== undefined
      ? {
          ...(d.name !== undefined ? { name: d.name } : {}),
          ...(d.group ? { group: d.group } : {}),
          ...(d.kind !== undefined ? { kind: d.kind } : {}),
          ...(d.causes !== undefined ? { causes: d.causes } : {}),
        }
      : undefined;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: m.reason,
    ...(details ? { details } : {}),
    code: m.http,
  };
}

/** Errors raised by Fastify and Nest before or around our code, in the domain vocabulary. */
export function fromFrameworkError(e: unknown): DomainError | undefined {
  if (!(e instanceof Error)) return undefined;
  const fe = e as Error & {
    code?: string;
    statusCode?: number;
    getStatus?: () => number;
    getResponse?: () => unknown;
  };
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('RequestEntityTooLarge', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('UnsupportedMediaType', fe.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DomainError('BadRequest', fe.message);
    default:
      break;
  }
  if (e instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new DomainError('BadRequest', `the body is not valid JSON: ${e.message}`);
  }
  const status = typeof fe.getStatus === 'function' ? fe.getStatus() : fe.statusCode;
  if (status === undefined) return undefined;
  const message = httpExceptionMessage(fe) ?? e.message;
  switch (status) {
    case 400:
      return new DomainError('BadRequest', message);
    case 404:
      return new DomainError('NotFound', 'the server could not find the requested resource');
    case 405:
      return new DomainError('MethodNotAllowed', message);
    case 413:
      return new DomainError('RequestEntityTooLarge', 'the request body is too large');
    case 403:
      return new DomainError('Forbidden', message);
    case 409:
      return new DomainError('Conflict', message);
    case 415:
      return new DomainError('UnsupportedMediaType', message);
    case 422:
      return new DomainError('Invalid', message);
    default:
      return status >= 400 && status < 500 ? new DomainError('BadRequest', message) : undefined;
  }
}

function httpExceptionMessage(e: { getResponse?: () => unknown }): string | undefined {
  const r = typeof e.getResponse === 'function' ? e.getResponse() : undefined;
  if (r && typeof r === 'object' && 'message' in r) {
    const m = (r as { message: unknown }).message;
    return Array.isArray(m) ? m.join('; ') : String(m);
  }
  return undefined;
}
