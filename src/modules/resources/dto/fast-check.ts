/**
 * A fast path for the structural check, compiled from the DTOs' own class-validator metadata. An import
 * checks every object, and running class-transformer + class-validator per object costs more than
 * everything else an apply does (bench/import). Most objects are well formed, so each DTO class is
 * compiled once (generated JavaScript, one function per class) into a function that answers one
 * question: would the class-validator path report nothing for this value? It only ever says yes when
 * that is certain; on any doubt (a constraint it does not know, a wrong type anywhere) it says no, and
 * decode.ts runs class-validator for the exact errors.
 */
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import {
  IS_INT_OR_STRING,
  IS_OBJECT_ARRAY,
  IS_STRING_ARRAY,
  IS_STRING_MAP,
  isObjectArray,
  isStringArray,
  isStringMap,
  NESTED_TYPES,
  type DtoClass,
} from './common.dto.js';

type Check = (v: unknown) => boolean;

/**
 * The test each known constraint puts on a present value `x`, as JavaScript source: generated code per
 * class runs each test inline at its own call site, where a loop over closures made every call site
 * see every constraint (bench/import: about twice as fast on an import's 12,600 objects).
 */
const SIMPLE: Readonly<Record<string, string>> = {
  isString: 'typeof x === "string"',
  isInt: 'Number.isInteger(x)',
  isBoolean: 'typeof x === "boolean"',
  isObject: 'typeof x === "object" && !Array.isArray(x)',
  [IS_STRING_MAP]: 'isStringMap(x)',
  [IS_INT_OR_STRING]: '(typeof x === "string" || Number.isInteger(x))',
  [IS_STRING_ARRAY]: 'isStringArray(x)',
  [IS_OBJECT_ARRAY]: 'isObjectArray(x)',
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
  // The nested classes' checkers, passed to the generated function as deps[i].
  const deps: Check[] = [];
  const lines: string[] = [
    'if (typeof v !== "object" || v === null || Array.isArray(v)) return false;',
    'let x;',
  ];
  for (const [name, list] of byProperty) {
    const tests: string[] = [];
    for (const m of list) {
      if (m.type === 'conditionalValidation') continue; // optional: absent values pass anyway, below
      if (m.type === 'nestedValidation') {
        const nestedType = nestedTypeOf(cls, name);
        if (!nestedType) return null;
        const nested = compileDto(nestedType());
        if (!nested) return null;
        const d = `deps[${deps.push(nested) - 1}]`;
        tests.push(
          m.each
            ? `if (!Array.isArray(x)) return false; for (let i = 0; i < x.length; i++) if (!${d}(x[i])) return false;`
            : `if (!${d}(x)) return false;`,
        );
      } else if (m.type === 'customValidation' && m.name && Object.hasOwn(SIMPLE, m.name) && !m.each) {
        tests.push(`if (!(${SIMPLE[m.name]})) return false;`);
      } else {
        return null;
      }
    }
    // Missing or null: skipped when optional; when required, class-validator reports it but decode.ts
    // leaves it to the domain's validation (Go decodes it as the zero value). Either way: no error here.
    if (tests.length > 0)
      lines.push(
        `x = v[${JSON.stringify(name)}];`,
        `if (x !== undefined && x !== null) { ${tests.join(' ')} }`,
      );
  }
  lines.push('return true;');
  // The source is built from the DTOs' own property names (quoted by JSON.stringify) and the fixed
  // tests above; nothing from a request reaches it.
  const make = new Function(
    'deps',
    'isStringMap',
    'isStringArray',
    'isObjectArray',
    `return function check(v) { ${lines.join('\n')} };`,
  ) as (deps: Check[], isStringMap: Check, isStringArray: Check, isObjectArray: Check) => Check;
  return make(deps, isStringMap, isStringArray, isObjectArray);
}
