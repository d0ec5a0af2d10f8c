/**
 * Node validation after pkg/apis/core/validation (ValidateNode, ValidateNodeUpdate): pod CIDRs, taints
 * and addresses. The v1 conversion fills `podCIDRs` from `podCIDR`, so the effective list is checked
 * and reported on `spec.podCIDRs[i]`.
 */
import { effectivePodCIDRs, type Node } from '../model/types.js';
import { parseCIDR } from '../net/ip.js';
import { child, index, validateCIDR, validateIP, validateLabelName } from './common.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { isValidLabelValue } from './names.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** Address types whose value is an IP; the DNS and Hostname types carry names. */
const IP_ADDRESS_TYPES = new Set(['InternalIP', 'ExternalIP']);

type Spec = NonNullable<Node['spec']>;

function validatePodCIDRs(spec: Spec): FieldError[] {
  const path = 'spec.podCIDRs';
  const errs: FieldError[] = [];
  if (spec.podCIDR && spec.podCIDRs && spec.podCIDRs.length > 0 && spec.podCIDRs[0] !== spec.podCIDR) {
    errs.push(invalid(path, spec.podCIDRs, 'first value must match `podCIDR`'));
  }
  const cidrs = effectivePodCIDRs(spec);
  // Pod ranges are allocated from, so they must be written as networks (strict).
  cidrs.forEach((c, i) => errs.push(...validateCIDR(c, index(path, i), { strict: true })));
  if (cidrs.length > 1) {
    const parsed = cidrs.map((c) => parseCIDR(c));
    if (parsed.every((c) => c !== null)) {
      const families = new Set(parsed.map((c) => c!.family));
      if (families.size !== cidrs.length || cidrs.length > 2) {
        errs.push(invalid(path, cidrs, 'may specify no more than one CIDR for each IP family'));
      }
    }
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(index(path, i), c));
      seen.add(c);
    });
  }
  return errs;
}

function validateTaints(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const p = index('spec.taints', i);
    errs.push(...validateLabelName(t.key, child(p, 'key')));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length > 0) errs.push(invalid(child(p, 'value'), t.value, valueErrs.join(';')));
    if (!t.effect) errs.push(required(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(t.effect))
      errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const k = `${t.effect}\u0000${t.key}`;
    if (seen.has(k)) {
      errs.push({ ...duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
    }
    seen.add(k);
  });
  return errs;
}

function validateAddresses(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const p = index('status.addresses', i);
    // Not checked upstream; netmodel routes to these addresses, so an IP-typed one must parse.
    if (IP_ADDRESS_TYPES.has(a.type)) errs.push(...validateIP(a.address, child(p, 'address')));
    const k = `${a.type}\u0000${a.address}`;
    if (seen.has(k)) errs.push(duplicate(p, a));
    seen.add(k);
  });
  return errs;
}

export function validateNode(node: Node): FieldError[] {
  const spec: Spec = node.spec ?? {};
  return [
    ...validateObjectMeta(node.metadata, 'Node'),
    ...validatePodCIDRs(spec),
    ...validateTaints(spec),
    ...validateAddresses(node),
  ];
}

const POD_CIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid';

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = [...validateNode(node), ...validateObjectMetaUpdate(node.metadata, old.metadata)];
  const cidrs = effectivePodCIDRs(node.spec);
  const oldCIDRs = effectivePodCIDRs(old.spec);
  // The node IPAM controller assigns a range once; after that it is fixed.
  if (oldCIDRs.length > 0) {
    if (cidrs.length !== oldCIDRs.length || oldCIDRs.some((c, i) => c !== cidrs[i])) {
      errs.push(forbidden('spec.podCIDRs', POD_CIDR_CHANGE));
    }
  }
  const providerID = node.spec?.providerID ?? '';
  const oldProviderID = old.spec?.providerID ?? '';
  if (oldProviderID && oldProviderID !== providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}
