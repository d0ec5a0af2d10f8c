import { DomainError } from '../domain/errors.js';

/** A query parameter a REST route cannot do without: absent or empty is a 400 naming it. */
export function requiredParam(name: string, value: string | undefined): string {
  if (!value)
    throw new DomainError('BadRequest', `${name}: Required value: the query parameter ${name} is required`);
  return value;
}
