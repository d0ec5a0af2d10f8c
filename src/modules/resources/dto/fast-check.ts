/**
 * A fast path for the structural check, compiled from the DTOs' own class-validator metadata. An import
 * checks every object, and running class-transformer + class-validator per object costs more than
 * everything else an apply does (bench/import). Most objects are well formed, so each DTO class is
 * compiled once into a plain function that answers one question: would the class-validator path report
 * nothing for this value? It only ever says yes when that is certain; on any doubt (a constraint it
 * does not know, a wrong type anywhere) it says no, and decode.ts runs class-validator for the exact errors.
 */
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import {
  IS_INT_OR_STRING,
  IS_OBJECT_ARRAY,
  IS_STRING_ARRAY,
  IS_STRING_MAP,
  isIntOrString,
  isObjectArray,
  isPlainObject,
  isStringArray,
  isStringMap,
  NESTED_TYPES,
  type DtoClass,
} from './common.dto.js';

type Check = (v: unknown) => boolean;

const SIMPLE: Readonly<Record<string, Check>> = {
  isString: (v) => typeof v === 'string',
  isInt: (v) => Number.isInteger(v),
  isBoolean: (v) => typeof v === 'boolean',
  isObject: (v) => isPlainObject(v),
  [IS_STRING_MAP]: isStringMap,
  [IS_INT_OR_STRING]: isIntOrString,
  [IS_STRING_ARRAY]: isStringArray,
  [IS_OBJECT_ARRAY]: isObjectArray,
};

const compiled = new Map<DtoClass, Check | null>();

/**
 * The compiled checker of a DTO class, or null when its metadata holds something this compiler does not
 * know (then callers always take the class-validator path for it).
 */
export function compileDto(cls: DtoClass): Check | null {
  if (compiled.has(cls)) return compiled.get(cls)!;
  // Recursive types: until compiled, a reference to this class delegates lazily. Should the class turn
  // out not to compile, that reference answers "not certain" (false), never a TypeError.
  let self: Check | null = null;
  compiled.set(cls, (v) => (self ? self(v) : false));
  self = build(cls);
  compiled.set(cls, self);
  return self;
}

/** The nested class of a property, declared on the class or inherited from a base DTO. */
function nestedTypeOf(cls: DtoClass, property: string): (() => DtoClass) | undefined {
  for (
    let c: unknown = cls;
    typeof c === 'function' && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    const t = NESTED_TYPES.get(c)?.get(property);
    if (t) return t;
  }
  return undefined;
}

function build(cls: DtoClass): Check | null {
  const metas: ValidationMetadata[] = getMetadataStorage().getTargetValidationMetadatas(
    cls,
    '',
    false,
    false,
  );
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metas) {
    const list = byProperty.get(m.propertyName);
    if (list) list.push(m);
    else byProperty.set(m.propertyName, [m]);
  }
  const props: { name: string; optional: boolean; checks: Check[] }[] = [];
  for (const [name, list] of byProperty) {
    const checks: Check[] = [];
    let optional = false;
    for (const m of list) {
      if (m.type === 'conditionalValidation') {
        optional = true;
      } else if (m.type === 'nestedValidation') {
        const nestedType = nestedTypeOf(cls, name);
        if (!nestedType) return null;
        const nested = compileDto(nestedType());
        if (!nested) return null;
        checks.push(m.each ? (v) => Array.isArray(v) && v.every(nested) : nested);
      } else if (m.type === 'customValidation' && m.name && SIMPLE[m.name] && !m.each) {
        checks.push(SIMPLE[m.name]!);
      } else {
        return null;
      }
    }
    props.push({ name, optional, checks });
  }
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const p of props) {
      const value = v[p.name];
      // Missing or null: skipped when optional; when required, class-validator reports it but decode.ts
      // leaves it to the domain's validation (Go decodes it as the zero value). Either way: no error here.
      if (value === undefined || value === null) continue;
      for (const c of p.checks) if (!c(value)) return false;
    }
    return true;
  };
}
