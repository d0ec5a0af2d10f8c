/**
 * Building blocks the per-kind validators share: field paths, label and selector rules
 * (k8s.io/apimachinery/pkg/apis/meta/v1/validation), IP/CIDR and port checks
 * (k8s.io/apimachinery/pkg/util/validation, pkg/apis/core/validation). Messages follow upstream.
 */
import type { IntOrString, LabelSelector, Labels, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import {
  hasHostBits,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  parseInterfaceAddress,
  parseIP,
  type IP,
} from '../net/ip.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names.js';

// ---- field paths (field.Path rendering) ----------------------------------------------------------

export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) p = p ? `${p}.${n}` : n;
  return p;
}
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const key = (path: string, k: string): string => `${path}[${k}]`;

/** One Invalid error per message, all on the same field and value. */
export function invalidEach(path: string, value: unknown, messages: readonly string[]): FieldError[] {
  return messages.map((m) => invalid(path, value, m));
}

export const FIELD_IMMUTABLE = 'field is immutable';

/** apimachinery ValidateImmutableField. */
export function validateImmutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [invalid(path, newValue, FIELD_IMMUTABLE)];
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

// ---- names -----------------------------------------------------------------------------------------

export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Label(value));
}

export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Subdomain(value));
}

export function validateQualifiedName(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isQualifiedName(value));
}

/** IsFullyQualifiedDomainName: a subdomain of at least two labels, trailing dot allowed. */
export function validateFQDN(value: string, path: string): FieldError[] {
  if (value.length === 0) return [required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const subErrs = isDNS1123Subdomain(name);
  if (subErrs.length > 0) return [invalid(path, name, subErrs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2)
    return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return [invalid(path, label, errs.join(','))];
  }
  return [];
}

// ---- labels and selectors --------------------------------------------------------------------------

/** Go iterates maps in random order; sorting keys makes the error list deterministic. */
function sortedEntries(m: Labels | undefined): [string, string][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function validateLabelName(name: string, path: string): FieldError[] {
  return invalidEach(path, name, isQualifiedName(name));
}

/** True when no key and no value of the map has a problem: the answer for nearly every map. */
function allLabelsValid(labels: Labels): boolean {
  for (const k in labels) {
    if (!Object.hasOwn(labels, k)) continue;
    if (isQualifiedName(k).length > 0 || isValidLabelValue(labels[k]!).length > 0) return false;
  }
  return true;
}

/** metav1 ValidateLabels: both key and value errors are reported on the map's own path. */
export function validateLabels(labels: Labels | undefined, path: string): FieldError[] {
  // Checked in place first: the sorted copy only orders the errors, and every object has labels.
  if (!labels || allLabelsValid(labels)) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of sortedEntries(labels)) {
    errs.push(...validateLabelName(k, path));
    errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

/** metav1 ValidateLabelSelector. An absent selector is valid (it means different things per field). */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(
            forbidden(
              child(p, 'values'),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        }
        break;
      default:
        errs.push(invalid(child(p, 'operator'), expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, child(p, 'key')));
    values.forEach((v, j) =>
      errs.push(...invalidEach(index(child(p, 'values'), j), v, isValidLabelValue(v))),
    );
  });
  return errs;
}

// ---- IP addresses and CIDRs ------------------------------------------------------------------------

export const IP_ADDRESS_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** IsValidIP. */
export function validateIP(value: string, path: string): FieldError[] {
  return parseIP(value) === null ? [invalid(path, value, IP_ADDRESS_MSG)] : [];
}

export function validateIPv4Address(value: string, path: string): FieldError[] {
  return parseIP(value)?.family === 4 ? [] : [invalid(path, value, 'must be a valid IPv4 address')];
}

export function validateIPv6Address(value: string, path: string): FieldError[] {
  return parseIP(value)?.family === 6 ? [] : [invalid(path, value, 'must be a valid IPv6 address')];
}

/**
 * IsValidCIDR. `strict` adds the check upstream's strict mode makes for ranges that are allocated from:
 * no bits set beyond the prefix length.
 */
export function validateCIDR(value: string, path: string, opts: { strict?: boolean } = {}): FieldError[] {
  if (parseInterfaceAddress(value) === null) return [invalid(path, value, CIDR_MSG)];
  if (opts.strict && hasHostBits(value))
    return [invalid(path, value, 'must not have bits set beyond the prefix length')];
  return [];
}

/** ValidateNonSpecialIP: addresses that cannot belong to a remote endpoint. Assumes `value` parses. */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip: IP | null = parseIP(value);
  if (ip === null) return [];
  if (isUnspecified(ip)) return [invalid(path, value, `may not be unspecified (${value})`)];
  if (isLoopback(ip))
    return [invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (isLinkLocalUnicast(ip))
    return [invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (isLinkLocalMulticast(ip)) {
    return [invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  }
  return [];
}

// ---- ports -------------------------------------------------------------------------------------------

export function validatePortNum(port: number, path: string): FieldError[] {
  return invalidEach(path, port, isValidPortNum(port));
}

/** ValidatePortNumOrName: numbers 1-65535, names by the IANA service-name rule. */
export function validatePortNumOrName(port: IntOrString, path: string): FieldError[] {
  if (typeof port === 'number') return validatePortNum(port, path);
  return invalidEach(path, port, isValidPortName(port));
}

/** The sorted set core validation lists: "SCTP", "TCP", "UDP". */
export const SUPPORTED_PROTOCOLS: readonly string[] = PROTOCOLS;

/**
 * A port protocol. Absent is accepted: the API server defaults it to TCP before validating, and this
 * model validates objects whether or not withDefaults ran first.
 */
export function validateProtocol(
  protocol: Protocol | string | undefined,
  path: string,
  supported: readonly string[] = SUPPORTED_PROTOCOLS,
): FieldError[] {
  if (protocol === undefined) return [];
  if (protocol === '') return [required(path)];
  return supported.includes(protocol) ? [] : [notSupported(path, protocol, supported)];
}

/** A value from a closed set; absent (defaulted) is accepted, '' is Required as upstream. */
export function validateEnum(
  value: string | undefined,
  path: string,
  supported: readonly string[],
): FieldError[] {
  if (value === undefined) return [];
  if (value === '') return [required(path)];
  return supported.includes(value) ? [] : [notSupported(path, value, supported)];
}

// ---- structural equality ------------------------------------------------------------------------------

/**
 * Semantic equality of plain JSON-like data, as apiequality.Semantic.DeepEqual is used for immutability:
 * an absent property equals one set to undefined.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}
