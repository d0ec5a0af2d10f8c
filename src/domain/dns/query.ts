/**
 * A query as a user types it (GraphQL, REST): the name checked against the limits of the wire format
 * (RFC 1035 section 2.3.4: labels of 1 to 63 octets, a name of at most 255 octets on the wire, which is
 * 253 characters of text without the trailing dot) and the type against the ones netmodel answers.
 * Errors are field errors in the API server's style, so a bad query is a 400 with a cause, never a 500.
 */
import { DomainError } from '../errors.js';
import {
  invalid,
  notSupported,
  toCauses,
  formatFieldError,
  type FieldError,
} from '../validation/field-errors.js';
import { RECORD_TYPES, type RecordType } from './types.js';

/** Characters a query name may hold: letters, digits, hyphen, underscore (SRV labels), and '*'. */
const LABEL_CHARS = /^[A-Za-z0-9_*-]+$/;

export function nameErrors(field: string, name: string): FieldError[] {
  const text = name.endsWith('.') ? name.slice(0, -1) : name;
  if (text.length === 0) return name === '.' ? [] : [invalid(field, name, 'must not be empty')];
  if (text.length > 253)
    return [invalid(field, name, 'must be no more than 253 characters (255 octets on the wire)')];
  const labels = text.split('.');
  for (const l of labels) {
    if (l.length === 0) return [invalid(field, name, 'must not contain an empty label (two dots in a row)')];
    if (l.length > 63)
      return [invalid(field, name, `label "${l.slice(0, 20)}..." must be no more than 63 characters`)];
    if (!LABEL_CHARS.test(l))
      return [invalid(field, name, `label "${l}" may contain only letters, digits, '-', '_' and '*'`)];
  }
  return [];
}

/** The absolute form of a query name (a trailing dot added). Throws BadRequest on a bad name or type. */
export function checkQuery(name: string, type: string, field = 'name'): { name: string; type: RecordType } {
  const errors = nameErrors(field, name);
  const upper = type.toUpperCase();
  if (!RECORD_TYPES.includes(upper as RecordType)) errors.push(notSupported('type', type, RECORD_TYPES));
  if (errors.length) {
    throw new DomainError('BadRequest', `invalid DNS query: ${errors.map(formatFieldError).join(', ')}`, {
      causes: toCauses(errors),
    });
  }
  return { name: name.endsWith('.') ? name : `${name}.`, type: upper as RecordType };
}
