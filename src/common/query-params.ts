import { DomainError } from '../domain/errors.js';

/** A query parameter a REST route cannot do without: absent or empty is a 400 naming it. */
export function requiredParam(name: string, value: string | undefined): string {
  if (!value)
    throw new DomainError('BadRequest', `${name}: Required value: the query parameter ${name} is required`);
  return value;
}

/** A true/false query parameter; absent or empty is undefined, anything else a 400 naming it. */
export function booleanParam(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new DomainError(
    'BadRequest',
    `${name}: Invalid value: ${JSON.stringify(value)}: expected true or false`,
  );
}
