/**
 * Ingress validation after pkg/apis/networking/validation (ValidateIngressCreate, ValidateIngressSpec):
 * rules, hosts, HTTP paths, backends, TLS and the class name. The spec may change on update.
 */
import type { HTTPIngressPath, Ingress, IngressBackend } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import { child, index, invalidEach, validateDNS1123Subdomain } from './common.js';
import { invalid, notSupported, required, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from './names.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** Shared with IngressClass parameters: TypedLocalObjectReference rules. */
export function validateTypedLocalObjectReference(
  ref: { readonly apiGroup?: unknown; readonly kind?: unknown; readonly name?: unknown },
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === 'string') {
    errs.push(...invalidEach(child(path, 'apiGroup'), ref.apiGroup, isDNS1123Subdomain(ref.apiGroup)));
  }
  const kind = typeof ref.kind === 'string' ? ref.kind : '';
  if (!kind) errs.push(required(child(path, 'kind'), 'kind is required'));
  else errs.push(...invalidEach(child(path, 'kind'), kind, isValidPathSegmentName(kind)));
  const name = typeof ref.name === 'string' ? ref.name : '';
  if (!name) errs.push(required(child(path, 'name'), 'name is required'));
  else errs.push(...invalidEach(child(path, 'name'), name, isValidPathSegmentName(name)));
  return errs;
}

function validateBackend(backend: IngressBackend, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const svc = backend.service;
  if (backend.resource && svc) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (backend.resource) return validateTypedLocalObjectReference(backend.resource, child(path, 'resource'));
  if (!svc) return [invalid(path, '', 'resource or service backend is required')];

  const namePath = child(path, 'service', 'name');
  if (!svc.name) errs.push(required(namePath));
  else errs.push(...invalidEach(namePath, svc.name, isDNS1035Label(svc.name)));

  const portName = svc.port?.name ?? '';
  const portNumber = svc.port?.number ?? 0;
  if (portName && portNumber) {
    errs.push(invalid(path, '', 'cannot set both port name & port number'));
  } else if (portName) {
    errs.push(...invalidEach(child(path, 'service', 'port', 'name'), portName, isValidPortName(portName)));
  } else if (portNumber) {
    errs.push(
      ...invalidEach(child(path, 'service', 'port', 'number'), portNumber, isValidPortNum(portNumber)),
    );
  } else {
    errs.push(required(path, 'port name or number is required'));
  }
  return errs;
}

function validatePath(p: HTTPIngressPath, path: string): FieldError[] {
  if (!p.pathType) return [required(child(path, 'pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = p.path ?? '';
  const pathPath = child(path, 'path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(pathPath, value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) {
          if (value.includes(seq)) errs.push(invalid(pathPath, value, `must not contain '${seq}'`));
        }
        for (const suffix of INVALID_PATH_SUFFIXES) {
          if (value.endsWith(suffix)) errs.push(invalid(pathPath, value, `cannot end with '${suffix}'`));
        }
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/'))
        errs.push(invalid(pathPath, value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(child(path, 'pathType'), p.pathType, PATH_TYPES));
  }
  errs.push(...validateBackend(p.backend ?? {}, child(path, 'backend')));
  return errs;
}

/** A host is a DNS subdomain, optionally with a leading `*.` label; IP addresses are not names. */
function validateHost(host: string, path: string, rejectIP: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (rejectIP && parseIP(host) !== null)
    errs.push(invalid(path, host, 'must be a DNS name, not an IP address'));
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  errs.push(...invalidEach(path, host, msgs));
  return errs;
}

export function validateIngress(ing: Ingress): FieldError[] {
  const errs = validateObjectMeta(ing.metadata, 'Ingress');
  const spec = ing.spec ?? {};
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push(invalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = index('spec.rules', i);
    if (rule.host) errs.push(...validateHost(rule.host, child(p, 'host'), true));
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      if (paths.length === 0) errs.push(required(child(p, 'http', 'paths')));
      paths.forEach((hp, j) => errs.push(...validatePath(hp, index(child(p, 'http', 'paths'), j))));
    }
  });
  (spec.tls ?? []).forEach((tls, i) => {
    const p = index('spec.tls', i);
    (tls.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, index(child(p, 'hosts'), j), false)));
    if (tls.secretName) errs.push(...validateDNS1123Subdomain(tls.secretName, child(p, 'secretName')));
  });
  if (spec.ingressClassName !== undefined) {
    errs.push(...validateDNS1123Subdomain(spec.ingressClassName, 'spec.ingressClassName'));
  }
  return errs;
}

export function validateIngressUpdate(ing: Ingress, old: Ingress): FieldError[] {
  return [...validateIngress(ing), ...validateObjectMetaUpdate(ing.metadata, old.metadata)];
}
