/**
 * The one error vocabulary of netmodel. Every failure the domain can report is a DomainError with a
 * code from this closed set; the Nest error filter maps each code to an HTTP status with a Kubernetes
 * `Status` body and to a GraphQL `extensions.code`. Reasons and wording follow the Kubernetes API server
 * (k8s.io/apimachinery/pkg/api/errors) so clients that understand Kubernetes understand netmodel.
 */
export type DomainErrorCode =
  | 'Invalid' // 422: the object fails validation
  | 'AlreadyExists' // 409: create of a name that exists
  | 'Conflict' // 409: stale resourceVersion or a conflicting allocation
  | 'NotFound' // 404
  | 'BadRequest' // 400: the request cannot be understood (unparseable body, bad selector, ...)
  | 'Forbidden' // 403: valid but refused by policy (e.g. deleting the default namespace)
  | 'MethodNotAllowed' // 405
  | 'UnsupportedMediaType' // 415
  | 'RequestEntityTooLarge' // 413
  | 'ServiceUnavailable' // 503
  | 'InternalError'; // 500: a bug, never bad input

/** The machine-readable reason of a cause, as in metav1.CauseType. */
export type CauseType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface StatusCause {
  readonly reason: CauseType;
  readonly message: string;
  readonly field: string;
}

export interface DomainErrorDetails {
  readonly kind?: string; // Status.details.kind: the plural resource ("pods"), or the Kind for Invalid ("Pod")
  readonly group?: string;
  readonly name?: string;
  readonly causes?: readonly StatusCause[];
  /** Per-document results of a failed apply, for clients that want more than the causes. */
  readonly report?: readonly unknown[];
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** `pods "web" not found` */
export function notFound(resource: string, name: string, group = ''): DomainError {
  return new DomainError('NotFound', `${qualified(resource, group)} "${name}" not found`, {
    kind: resource,
    group,
    name,
  });
}

/** `pods "web" already exists` */
export function alreadyExists(resource: string, name: string, group = ''): DomainError {
  return new DomainError('AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    kind: resource,
    group,
    name,
  });
}

/** The API server's optimistic-concurrency failure. */
export function staleConflict(resource: string, name: string, group = ''): DomainError {
  return new DomainError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { kind: resource, group, name },
  );
}

function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}
