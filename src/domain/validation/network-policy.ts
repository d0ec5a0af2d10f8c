/**
 * NetworkPolicy validation after pkg/apis/networking/validation (ValidateNetworkPolicy): selectors,
 * ports and port ranges, peers and ipBlocks, policyTypes. The spec may change on update.
 */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../model/types.js';
import { cidrContainsCIDR, parseCIDR } from '../net/ip.js';
import { child, index, invalidEach, validateCIDR, validateLabelSelector, validatePortNum } from './common.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { isValidPortName } from './names.js';

// Upstream lists these unsorted, in this order.
const NP_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

function validatePort(port: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !NP_PROTOCOLS.includes(port.protocol)) {
    errs.push(notSupported(child(path, 'protocol'), port.protocol, NP_PROTOCOLS));
  }
  const endPortPath = child(path, 'endPort');
  if (port.port === undefined || port.port === null) {
    if (port.endPort !== undefined) {
      errs.push(invalid(endPortPath, port.endPort, 'may not be specified when `port` is not specified'));
    }
  } else if (typeof port.port === 'number') {
    errs.push(...validatePortNum(port.port, child(path, 'port')));
    if (port.endPort !== undefined) {
      // Upstream reports the start port as the value here.
      if (port.endPort < port.port)
        errs.push(invalid(endPortPath, port.port, 'must be greater than or equal to `port`'));
      errs.push(...validatePortNum(port.endPort, endPortPath));
    }
  } else {
    if (port.endPort !== undefined) {
      errs.push(invalid(endPortPath, port.endPort, 'may not be specified when `port` is non-numeric'));
    }
    errs.push(...invalidEach(child(path, 'port'), port.port, isValidPortName(port.port)));
  }
  return errs;
}

function validateIPBlock(block: NonNullable<NetworkPolicyPeer['ipBlock']>, path: string): FieldError[] {
  if (!block.cidr) return [required(child(path, 'cidr'))];
  // ipBlock is a legacy field: host bits are tolerated (netutils.ParseCIDRSloppy) and ignored.
  const errs = validateCIDR(block.cidr, child(path, 'cidr'));
  const outer = parseCIDR(block.cidr);
  if (outer === null) return errs;
  (block.except ?? []).forEach((e, i) => {
    const p = index(child(path, 'except'), i);
    const exceptErrs = validateCIDR(e, p);
    errs.push(...exceptErrs);
    const inner = parseCIDR(e);
    if (inner === null) return;
    if (!cidrContainsCIDR(outer, inner) || inner.prefix <= outer.prefix) {
      errs.push(invalid(p, e, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  if (peer.podSelector) {
    count++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    count++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    count++;
    errs.push(...validateIPBlock(peer.ipBlock, child(path, 'ipBlock')));
  }
  if (count === 0) errs.push(required(path, 'must specify a peer'));
  else if (count > 1 && peer.ipBlock)
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const errs = validateObjectMeta(np.metadata, 'NetworkPolicy');
  const spec = np.spec ?? { podSelector: {} };
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const p = index('spec.ingress', i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, index(child(p, 'ports'), j))));
    (rule.from ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, index(child(p, 'from'), j))));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const p = index('spec.egress', i);
    (rule.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, index(child(p, 'ports'), j))));
    (rule.to ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, index(child(p, 'to'), j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(index('spec.policyTypes', i), t, POLICY_TYPES));
  });
  return errs;
}

export function validateNetworkPolicyUpdate(np: NetworkPolicy, old: NetworkPolicy): FieldError[] {
  return [...validateNetworkPolicy(np), ...validateObjectMetaUpdate(np.metadata, old.metadata)];
}
