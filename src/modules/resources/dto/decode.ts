/**
 * Structural (syntax) check of a raw Kubernetes manifest, before the domain checks its meaning. It finds
 * what Go's JSON decoder would refuse with a 400 (a string where an int32 goes, labels that are not a
 * map of strings, a list that is an object) and names the field the Kubernetes way (`spec.ports[0].port`).
 *
 * It only reports: the caller keeps the raw object, so unknown fields (env, volumes, managedFields, ...)
 * are neither checked nor dropped. A missing or null field below the top level is not reported either:
 * Go decodes it as the zero value and the API server rejects it in validation (422 `Required value`),
 * which is the domain's job. The top level must name `apiVersion`, `kind` and `metadata`, as the API
 * server's decoder requires.
 */
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { KindName } from '../../../domain/model/kinds.js';
import { required, type FieldError } from '../../../domain/validation/field-errors.js';
import {
  IS_INT_OR_STRING,
  IS_OBJECT_ARRAY,
  IS_STRING_ARRAY,
  IS_STRING_MAP,
  isPlainObject,
  type DtoClass,
} from './common.dto.js';
import { EndpointSliceDto } from './endpoint-slice.dto.js';
import { compileDto } from './fast-check.js';
import { IngressClassDto } from './ingress-class.dto.js';
import { IngressDto } from './ingress.dto.js';
import { NamespaceDto } from './namespace.dto.js';
import { NetworkPolicyDto } from './network-policy.dto.js';
import { NodeDto } from './node.dto.js';
import { PodDto } from './pod.dto.js';
import { ServiceDto } from './service.dto.js';

export const DTO_CLASSES: Readonly<Record<KindName, DtoClass>> = {
  Namespace: NamespaceDto,
  Node: NodeDto,
  IngressClass: IngressClassDto,
  Service: ServiceDto,
  Pod: PodDto,
  EndpointSlice: EndpointSliceDto,
  NetworkPolicy: NetworkPolicyDto,
  Ingress: IngressDto,
};

const VALIDATOR_OPTIONS = {
  whitelist: false,
  forbidNonWhitelisted: false,
  forbidUnknownValues: false,
  validationError: { target: false },
} as const;

/** Fields the top level must have; a missing one is reported (as the decoder's 400 does for kind). */
const TOP_LEVEL_REQUIRED: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

const DETAIL: Readonly<Record<string, string>> = {
  isInt: 'must be an integer',
  isString: 'must be a string',
  isBoolean: 'must be a boolean',
  isObject: 'must be an object',
  nestedValidation: 'must be an object',
  [IS_STRING_MAP]: 'must be a map of string keys to string values',
  [IS_INT_OR_STRING]: 'must be an integer or a string',
};

/** When one field breaks several constraints, the first of these decides the one error it gets. */
const PRIORITY: readonly string[] = [
  IS_OBJECT_ARRAY,
  IS_STRING_ARRAY,
  'isObject',
  IS_STRING_MAP,
  IS_INT_OR_STRING,
  'isInt',
  'isString',
  'isBoolean',
  'nestedValidation',
];

const fastChecks = new Map<KindName, ((v: unknown) => boolean) | null>();

/** True when the compiled fast path is certain the class-validator path would report nothing. */
export function passesFastCheck(kind: KindName, raw: unknown): boolean {
  if (!isPlainObject(raw)) return false;
  for (const f of TOP_LEVEL_REQUIRED) if (raw[f] === undefined || raw[f] === null) return false;
  if (!fastChecks.has(kind)) fastChecks.set(kind, compileDto(DTO_CLASSES[kind]));
  return fastChecks.get(kind)?.(raw) ?? false;
}

/** Checks a raw manifest's shape for the given kind; returns [] when the shape is right. */
export function checkStructure(kind: KindName, raw: unknown): FieldError[] {
  if (!isPlainObject(raw)) return [typeInvalid('', raw, 'must be an object')];
  if (passesFastCheck(kind, raw)) return [];
  return checkWithClassValidator(kind, raw);
}

/** The full class-validator path: exact errors with Kubernetes field paths. */
export function checkWithClassValidator(kind: KindName, raw: Record<string, unknown>): FieldError[] {
  const instance = plainToInstance(DTO_CLASSES[kind], raw);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  const out: FieldError[] = [];
  if (errors.length > 0) flatten(errors, '', raw, out);
  return out;
}

function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, value, detail };
}

/**
 * Walks class-validator's error tree beside the raw object (so reported values are what the user sent,
 * not class-transformer's copies) and emits one error per offending field.
 */
function flatten(
  errors: readonly ValidationError[],
  parentPath: string,
  parentRaw: unknown,
  out: FieldError[],
): void {
  const inArray = Array.isArray(parentRaw);
  for (const e of errors) {
    const raw =
      inArray || isPlainObject(parentRaw) ? (parentRaw as Record<string, unknown>)[e.property] : undefined;
    const path = inArray
      ? `${parentPath}[${e.property}]`
      : parentPath
        ? `${parentPath}.${e.property}`
        : e.property;
    const constraints = e.constraints ? Object.keys(e.constraints) : [];
    if (constraints.length === 0) {
      if (e.children?.length) flatten(e.children, path, raw, out);
      continue;
    }
    // Missing/null: the zero value to Go; only the top-level header is the decoder's business.
    if (raw === undefined || raw === null) {
      if (parentPath === '' && TOP_LEVEL_REQUIRED.has(e.property)) out.push(required(path));
      continue;
    }
    // A field that is itself the wrong type gets one error; what class-validator found inside is noise.
    const constraint = PRIORITY.find((c) => constraints.includes(c)) ?? constraints[0];
    if (constraint === IS_OBJECT_ARRAY || constraint === IS_STRING_ARRAY) {
      if (!Array.isArray(raw)) {
        out.push(typeInvalid(path, raw, 'must be an array'));
        continue;
      }
      const objects = constraint === IS_OBJECT_ARRAY;
      raw.forEach((item: unknown, i) => {
        if (objects ? !isPlainObject(item) : typeof item !== 'string') {
          out.push(typeInvalid(`${path}[${i}]`, item, objects ? 'must be an object' : 'must be a string'));
        }
      });
      continue;
    }
    out.push(typeInvalid(path, raw, DETAIL[constraint] ?? e.constraints![constraint]));
  }
}
