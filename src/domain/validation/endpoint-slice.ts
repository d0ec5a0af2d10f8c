/**
 * EndpointSlice validation after pkg/apis/discovery/validation (ValidateEndpointSlice and its update):
 * the address type fixes how every address is checked and never changes.
 */
import type { EndpointSlice } from '../model/types.js';
import {
  child,
  inclusiveRangeError,
  index,
  invalidEach,
  validateDNS1123Label,
  validateFQDN,
  validateIPv4Address,
  validateIPv6Address,
  validateNonSpecialIP,
  validateProtocol,
  validateQualifiedName,
} from './common.js';
import { duplicate, invalid, notSupported, required, tooMany, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { isDNS1123Subdomain } from './names.js';

export const MAX_ENDPOINTS = 1000;
export const MAX_ADDRESSES = 100;
export const MAX_PORTS = 100;
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function validateAddress(address: string, addressType: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4': {
      const errs = validateIPv4Address(address, path);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'IPv6': {
      const errs = validateIPv6Address(address, path);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'FQDN':
      return validateFQDN(address, path);
    default:
      // Unknown types are already reported on addressType; their addresses are not checked.
      return [];
  }
}

function validateEndpoints(slice: EndpointSlice): FieldError[] {
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrPath = child(p, 'addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(addrPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addrPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, slice.addressType, index(addrPath, j))));
    if (ep.nodeName !== undefined) {
      errs.push(...invalidEach(child(p, 'nodeName'), ep.nodeName, isDNS1123Subdomain(ep.nodeName)));
    }
    if (ep.hostname !== undefined) errs.push(...validateDNS1123Label(ep.hostname, child(p, 'hostname')));
  });
  return errs;
}

function validatePorts(slice: EndpointSlice): FieldError[] {
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = port.name ?? '';
    if (name.length > 0) errs.push(...validateDNS1123Label(name, child(p, 'name')));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
    // Not checked upstream; netmodel renders proxy rules from these numbers, so keep them in range.
    if (port.port !== undefined && (!Number.isInteger(port.port) || port.port < 0 || port.port > 65535)) {
      errs.push(invalid(child(p, 'port'), port.port, inclusiveRangeError(0, 65535)));
    }
    if (port.appProtocol !== undefined)
      errs.push(...validateQualifiedName(port.appProtocol, child(p, 'appProtocol')));
  });
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, 'EndpointSlice');
  if (!slice.addressType) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(slice.addressType)) {
    errs.push(notSupported('addressType', slice.addressType, ADDRESS_TYPES));
  }
  errs.push(...validateEndpoints(slice), ...validatePorts(slice));
  return errs;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = [...validateEndpointSlice(slice), ...validateObjectMetaUpdate(slice.metadata, old.metadata)];
  if (slice.addressType !== old.addressType)
    errs.push(invalid('addressType', slice.addressType, 'field is immutable'));
  return errs;
}
