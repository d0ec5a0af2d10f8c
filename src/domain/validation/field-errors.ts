/**
 * field.ErrorList as the API server builds it (k8s.io/apimachinery/pkg/util/validation/field): each error
 * names a field path, a type and a detail, and renders as `spec.ports[0].port: Invalid value: 0: detail`.
 */
import { DomainError, type CauseType, type StatusCause } from '../errors.js';

export interface FieldError {
  readonly type: CauseType;
  readonly field: string;
  readonly value?: unknown;
  readonly detail?: string;
}

const TYPE_TEXT: Record<CauseType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueForbidden: 'Forbidden',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
};

/** Renders a value the way field.Error does: strings quoted, numbers and booleans bare. */
function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

/** Renders the error body without the field: `Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function errorBody(e: FieldError): string {
  const head = TYPE_TEXT[e.type];
  const withValue =
    e.type === 'FieldValueInvalid' ||
    e.type === 'FieldValueDuplicate' ||
    e.type === 'FieldValueNotSupported' ||
    e.type === 'FieldValueTypeInvalid' ||
    (e.type === 'FieldValueTooMany' && e.value !== undefined);
  let s = withValue ? `${head}: ${renderValue(e.value)}` : head;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function formatFieldError(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});
export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `must have at most ${max} bytes`,
});
/** field.TooMany: `Too many: 101: must have at most 100 items`. */
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  detail: `must have at most ${max} ${max === 1 ? 'item' : 'items'}`,
  value: actual,
});
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/**
 * A request parameter (not an object field) outside its set of values: 400 BadRequest, worded as
 * field.NotSupported, with one cause naming the field.
 */
export function unsupportedParameter(
  field: string,
  value: string,
  supported: readonly string[],
): DomainError {
  const e = notSupported(field, value, supported);
  return new DomainError('BadRequest', formatFieldError(e), {
    causes: [{ reason: e.type, field, message: errorBody({ type: e.type, field, value }) }],
  });
}

export function toCauses(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
}

/**
 * The 422 the API server answers for an invalid object:
 * `Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`
 * (several errors are listed in brackets, as errors.NewInvalid does).
 */
export function invalidObject(
  kind: string,
  group: string,
  name: string,
  errors: readonly FieldError[],
): DomainError {
  const list = errors.map(formatFieldError);
  const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  // errors.NewInvalid: the message names the GroupKind (`NetworkPolicy.networking.k8s.io`) and
  // details.kind is the Kind, unlike NotFound/AlreadyExists/Conflict, which use the plural resource.
  const groupKind = group ? `${kind}.${group}` : kind;
  return new DomainError('Invalid', `${groupKind} "${name}" is invalid: ${body}`, {
    kind,
    group,
    name,
    causes: toCauses(errors),
  });
}
