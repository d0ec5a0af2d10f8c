/**
 * Kubernetes validation for every modelled kind: what the API server checks on create and update,
 * with its field paths and messages, so a manifest netmodel refuses is one the API server refuses.
 *
 * Validators are meant to run on defaulted objects (withDefaults), but fields that defaulting fills in
 * (protocols, policies, dnsPolicy, ...) are only checked when present, so running them first is safe.
 */
import type { KubeObject, LabelSelector } from '../model/types.js';
import { validateLabelSelector as validateSelector } from './common.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpoint-slice.js';
import { invalid, type FieldError } from './field-errors.js';
import { validateIngressClass, validateIngressClassUpdate } from './ingress-class.js';
import { validateIngress, validateIngressUpdate } from './ingress.js';
import { validateNamespace, validateNamespaceUpdate } from './namespace.js';
import { validateNetworkPolicy, validateNetworkPolicyUpdate } from './network-policy.js';
import { validateNode, validateNodeUpdate } from './node.js';
import { validatePod, validatePodUpdate } from './pod.js';
import { validateService, validateServiceUpdate } from './service.js';

export function validateCreate(obj: KubeObject): FieldError[] {
  switch (obj.kind) {
    case 'Namespace':
      return validateNamespace(obj);
    case 'Node':
      return validateNode(obj);
    case 'Pod':
      return validatePod(obj);
    case 'Service':
      return validateService(obj);
    case 'EndpointSlice':
      return validateEndpointSlice(obj);
    case 'NetworkPolicy':
      return validateNetworkPolicy(obj);
    case 'Ingress':
      return validateIngress(obj);
    case 'IngressClass':
      return validateIngressClass(obj);
  }
}

/** Everything validateCreate checks, plus the fields that may not change. */
export function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  if (obj.kind !== old.kind) return [invalid('kind', obj.kind, 'field is immutable')];
  switch (obj.kind) {
    case 'Namespace':
      return validateNamespaceUpdate(obj, old as typeof obj);
    case 'Node':
      return validateNodeUpdate(obj, old as typeof obj);
    case 'Pod':
      return validatePodUpdate(obj, old as typeof obj);
    case 'Service':
      return validateServiceUpdate(obj, old as typeof obj);
    case 'EndpointSlice':
      return validateEndpointSliceUpdate(obj, old as typeof obj);
    case 'NetworkPolicy':
      return validateNetworkPolicyUpdate(obj, old as typeof obj);
    case 'Ingress':
      return validateIngressUpdate(obj, old as typeof obj);
    case 'IngressClass':
      return validateIngressClassUpdate(obj, old as typeof obj);
  }
}

/** metav1 LabelSelector rules (operators, values, keys), reported under `path`. */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  return validateSelector(sel, path);
}
