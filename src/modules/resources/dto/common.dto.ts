/**
 * Structural building blocks shared by the kind DTOs: custom class-validator checks for the JSON shapes
 * Go's decoder accepts (map[string]string, intstr.IntOrString, []string, []struct) and the label
 * selector. These DTOs check types only; ranges, name formats and enums are the domain's (with upstream
 * messages), so e.g. `protocol` is just a string here.
 */
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, ValidateBy, ValidateNested } from 'class-validator';
import { isPlainObject } from '../../../domain/resources/json.js';

/** A DTO class as class-transformer's `@Type` wants it. */
export type DtoClass = new () => object;

// Constraint names; decode.ts turns each into a field error with a fixed detail.
export const IS_STRING_MAP = 'isStringMap';
export const IS_INT_OR_STRING = 'isIntOrString';
export const IS_STRING_ARRAY = 'isStringArray';
export const IS_OBJECT_ARRAY = 'isObjectArray';

// A JSON object (not null, not an array): the domain's definition, re-exported for the DTO checks.
export { isPlainObject } from '../../../domain/resources/json.js';

/** map[string]string: an object whose values are all strings. */
export function isStringMap(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const k in v) {
    if (Object.hasOwn(v, k) && typeof v[k] !== 'string') return false;
  }
  return true;
}

/** intstr.IntOrString: an integer or a string (a float is neither). */
export function isIntOrString(v: unknown): boolean {
  return typeof v === 'string' || Number.isInteger(v);
}

export function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((e) => typeof e === 'string');
}

export function isObjectArray(v: unknown): boolean {
  return Array.isArray(v) && v.every(isPlainObject);
}

/** `map[string]string` (labels, annotations, selector, nodeSelector, capacity, ...). */
export function IsStringMap(): PropertyDecorator {
  return ValidateBy({
    name: IS_STRING_MAP,
    validator: {
      validate: isStringMap,
      defaultMessage: () => '$property must be a map of string keys to string values',
    },
  });
}

/** `intstr.IntOrString` (Service targetPort, NetworkPolicy port). */
export function IsIntOrString(): PropertyDecorator {
  return ValidateBy({
    name: IS_INT_OR_STRING,
    validator: { validate: isIntOrString, defaultMessage: () => '$property must be an integer or a string' },
  });
}

/**
 * `[]string`. One constraint on the whole list (rather than `@IsString({ each: true })`) so decode.ts can
 * name the offending item (`spec.clusterIPs[1]`), which class-validator's `each` does not.
 */
export function IsStringArray(): PropertyDecorator {
  return ValidateBy({
    name: IS_STRING_ARRAY,
    validator: { validate: isStringArray, defaultMessage: () => '$property must be an array of strings' },
  });
}

/**
 * `[]T` for a struct T whose own fields are not checked (tolerations). Also used by ValidateObjectArray:
 * `@ValidateNested({ each: true })` alone would descend into nested arrays (`[[{...}]]`) and pass them.
 */
export function IsObjectArray(): PropertyDecorator {
  return ValidateBy({
    name: IS_OBJECT_ARRAY,
    validator: { validate: isObjectArray, defaultMessage: () => '$property must be an array of objects' },
  });
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const d of decorators) d(target, key);
  };
}

/**
 * The nested DTO class of each nested property, by owning class. class-transformer keeps the same fact
 * in its private storage; fast-check.ts reads it here to compile its checker from the same decorators.
 */
export const NESTED_TYPES = new Map<object, Map<string, () => DtoClass>>();

function recordNested(type: () => DtoClass): PropertyDecorator {
  return (target, key) => {
    const owner = target.constructor;
    let props = NESTED_TYPES.get(owner);
    if (!props) {
      props = new Map();
      NESTED_TYPES.set(owner, props);
    }
    props.set(String(key), type);
  };
}

/** A nested struct: `@IsObject() @ValidateNested() @Type(() => X)`. */
export function ValidateObject(type: () => DtoClass): PropertyDecorator {
  return compose(IsObject(), ValidateNested(), Type(type), recordNested(type));
}

/** A list of structs: an array whose items are objects, each checked as X. */
export function ValidateObjectArray(type: () => DtoClass): PropertyDecorator {
  return compose(IsObjectArray(), ValidateNested({ each: true }), Type(type), recordNested(type));
}

// ---- metav1.LabelSelector --------------------------------------------------------------------
export class LabelSelectorRequirementDto {
  @IsString() key!: string;
  @IsString() operator!: string;
  @IsOptional() @IsStringArray() values?: string[];
}

export class LabelSelectorDto {
  @IsOptional() @IsStringMap() matchLabels?: Record<string, string>;
  @IsOptional()
  @ValidateObjectArray(() => LabelSelectorRequirementDto)
  matchExpressions?: LabelSelectorRequirementDto[];
}

// ---- status.loadBalancer (Service and Ingress) -----------------------------------------------
export class LoadBalancerIngressDto {
  @IsOptional() @IsString() ip?: string;
  @IsOptional() @IsString() hostname?: string;
  @IsOptional() @IsString() ipMode?: string;
}

export class LoadBalancerStatusDto {
  @IsOptional() @ValidateObjectArray(() => LoadBalancerIngressDto) ingress?: LoadBalancerIngressDto[];
}
