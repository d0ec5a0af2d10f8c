/**
 * IngressClass validation after pkg/apis/networking/validation (ValidateIngressClass and its update):
 * the controller is a domain-prefixed path that never changes; parameters reference a resource by
 * scope.
 */
import type { IngressClass } from '../model/types.js';
import { child } from './common.js';
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from './field-errors.js';
import { validateTypedLocalObjectReference } from './ingress.js';
import { validateNamespaceName, validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { isDNS1123Subdomain, regexError } from './names.js';

export const MAX_INGRESS_CLASS_CONTROLLER_LEN = 250;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];

/** IsDomainPrefixedPath: `example.com/some/path`. */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (value.length === 0) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((m) => invalid(path, host, m));
  if (!HTTP_PATH_RE.test(rest)) errs.push(invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  return errs;
}

function validateParameters(
  params: Readonly<Record<string, unknown>> | undefined,
  path: string,
): FieldError[] {
  if (!params) return [];
  const errs = validateTypedLocalObjectReference(params, path);
  const scope = params['scope'];
  // scope is defaulted to Cluster (withDefaults does it too); absent is accepted.
  if (scope === undefined) return errs;
  if (typeof scope !== 'string' || !PARAMETER_SCOPES.includes(scope)) {
    errs.push(notSupported(child(path, 'scope'), scope, PARAMETER_SCOPES));
    return errs;
  }
  const ns = params['namespace'];
  if (scope === 'Namespace') {
    if (typeof ns !== 'string')
      errs.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...validateNamespaceName(ns, child(path, 'namespace')));
  }
  if (scope === 'Cluster' && ns !== undefined) {
    errs.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs = validateObjectMeta(ic.metadata, 'IngressClass');
  const controller = ic.spec?.controller ?? '';
  if (controller.length > MAX_INGRESS_CLASS_CONTROLLER_LEN) {
    errs.push(tooLong('spec.controller', MAX_INGRESS_CLASS_CONTROLLER_LEN));
  }
  errs.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
  errs.push(...validateParameters(ic.spec?.parameters, 'spec.parameters'));
  return errs;
}

export function validateIngressClassUpdate(ic: IngressClass, old: IngressClass): FieldError[] {
  const errs = [...validateIngressClass(ic), ...validateObjectMetaUpdate(ic.metadata, old.metadata)];
  const controller = ic.spec?.controller ?? '';
  if (controller !== (old.spec?.controller ?? ''))
    errs.push(invalid('spec.controller', controller, 'field is immutable'));
  return errs;
}
