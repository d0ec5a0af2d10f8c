import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type StatusCause } from '../domain/errors.js';

function flatten(errors: ValidationError[], prefix = ''): StatusCause[] {
  const out: StatusCause[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const msg of Object.values(e.constraints ?? {}))
      out.push({ reason: 'FieldValueInvalid', field, message: msg });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** Argument syntax errors (GraphQL args, typed DTOs) as BadRequest with one cause per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const causes = flatten(errors);
      return new DomainError(
        'BadRequest',
        `invalid arguments: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`,
        { causes },
      );
    },
  });
}
