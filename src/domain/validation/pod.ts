/**
 * Pod validation after pkg/apis/core/validation (ValidatePodCreate, ValidatePodSpec, validatePodIPs,
 * ValidatePodUpdate), limited to the fields netmodel models: containers and their ports, DNS settings,
 * host aliases, scheduling hints and the pod's IPs.
 */
import type { Container, Pod } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import {
  child,
  deepEqual,
  inclusiveRangeError,
  index,
  invalidEach,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateEnum,
  validateIP,
  validateLabels,
  validatePortNum,
  validateProtocol,
} from './common.js';
import { duplicate, forbidden, invalid, required, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names.js';

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const MAX_INT32 = 2147483647;

// Upstream lists these in this order, not sorted.
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

export const POD_UPDATABLE_FIELDS_MESSAGE =
  'pod updates may not change fields other than ' +
  [
    '`spec.containers[*].image`',
    '`spec.initContainers[*].image`',
    '`spec.activeDeadlineSeconds`',
    '`spec.tolerations` (only additions to existing tolerations)',
    '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  ].join(',');

type Spec = Pod['spec'];

/**
 * validateContainerPorts. Port names are unique within one container; upstream only warns about a
 * name repeated across containers (Services resolve a named targetPort to the first), so that stays
 * valid here too and real clusters import unchanged.
 */
function validateContainerPorts(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    // The port's path is built only for an error: pods carry most of an import's ports.
    const at = (field: string) => child(index(path, i), field);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...invalidEach(at('name'), port.name, msgs));
      else if (names.has(port.name)) errs.push(duplicate(at('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(at('containerPort')));
    else if (isValidPortNum(port.containerPort).length > 0)
      errs.push(...validatePortNum(port.containerPort, at('containerPort')));
    if (port.hostPort) errs.push(...validatePortNum(port.hostPort, at('hostPort')));
    if (port.hostIP) errs.push(...validateIP(port.hostIP, at('hostIP')));
    if (port.protocol !== 'TCP') errs.push(...validateProtocol(port.protocol, at('protocol')));
  });
  return errs;
}

/** Container names are unique across init and regular containers. */
function validateContainers(
  containers: readonly Container[] | undefined,
  path: string,
  names: Set<string>,
  requireSome: boolean,
): FieldError[] {
  if (!containers || containers.length === 0) return requireSome ? [required(path)] : [];
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const at = (field: string) => child(index(path, i), field);
    if (!c.name) {
      errs.push(required(at('name')));
    } else {
      const msgs = isDNS1123Label(c.name);
      if (msgs.length > 0) errs.push(...invalidEach(at('name'), c.name, msgs));
      if (names.has(c.name)) errs.push(duplicate(at('name'), c.name));
      else names.add(c.name);
    }
    if (c.image !== undefined && c.image.trim() !== c.image) {
      errs.push(invalid(at('image'), c.image, 'must not have leading or trailing whitespace'));
    }
    if (c.ports) errs.push(...validateContainerPorts(c, at('ports')));
  });
  return errs;
}

function validateDNS(spec: Spec): FieldError[] {
  const errs = validateEnum(spec.dnsPolicy, 'spec.dnsPolicy', DNS_POLICIES);
  const cfg = spec.dnsConfig;
  const path = 'spec.dnsConfig';
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [...errs, required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers || cfg.nameservers.length === 0) {
      return [
        ...errs,
        required(
          child(path, 'nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
    }
  }
  if (!cfg) return errs;
  const nameservers = cfg.nameservers ?? [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      invalid(
        child(path, 'nameservers'),
        nameservers,
        `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
      ),
    );
  }
  nameservers.forEach((ns, i) => errs.push(...validateIP(ns, index(child(path, 'nameservers'), i))));
  const searches = cfg.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      invalid(
        child(path, 'searches'),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
      ),
    );
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(
      invalid(
        child(path, 'searches'),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  searches.forEach((s, i) => {
    // A trailing dot marks the domain as absolute; '.' alone is the root (relaxed upstream validation).
    if (s === '.') return;
    errs.push(...validateDNS1123Subdomain(s.replace(/\.$/, ''), index(child(path, 'searches'), i)));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(index(child(path, 'options'), i), 'Option.Name must not be empty'));
  });
  return errs;
}

/** validatePodIPs, plus the v1 pairing of podIP with podIPs[0] (hostIP/hostIPs likewise). */
function validateStatusIPs(
  single: string | undefined,
  list: readonly { ip: string }[] | undefined,
  singleName: string,
  listName: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const listPath = `status.${listName}`;
  if (single && parseIP(single) === null) errs.push(...validateIP(single, `status.${singleName}`));
  const ips = list ?? [];
  ips.forEach((p, i) => {
    if (parseIP(p.ip) === null) errs.push(...validateIP(p.ip, index(listPath, i)));
  });
  if (single && ips.length > 0 && ips[0]!.ip !== single) {
    errs.push(invalid(listPath, ips, `first value must match \`${singleName}\``));
  }
  if (ips.length > 1 && ips.every((p) => parseIP(p.ip) !== null)) {
    const families = new Set(ips.map((p) => parseIP(p.ip)!.family));
    if (families.size !== ips.length || ips.length > 2) {
      errs.push(invalid(listPath, ips, 'may specify no more than one IP for each IP family'));
    }
    const seen = new Set<string>();
    ips.forEach((p, i) => {
      if (seen.has(p.ip)) errs.push(duplicate(index(listPath, i), p));
      seen.add(p.ip);
    });
  }
  return errs;
}

export function validatePod(pod: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, 'Pod');
  const spec: Spec = pod.spec ?? ({ containers: [] } as Spec);
  const names = new Set<string>();
  errs.push(...validateContainers(spec.initContainers, 'spec.initContainers', names, false));
  errs.push(...validateContainers(spec.containers, 'spec.containers', names, true));

  if (spec.hostNetwork) {
    (spec.containers ?? []).forEach((c, i) =>
      (c.ports ?? []).forEach((port, j) => {
        // hostPort defaults to containerPort on the host network; a different value cannot work.
        if (port.hostPort && port.hostPort !== port.containerPort) {
          errs.push(
            invalid(
              `spec.containers[${i}].ports[${j}].hostPort`,
              port.hostPort,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
        }
      }),
    );
  }

  errs.push(...validateEnum(spec.restartPolicy, 'spec.restartPolicy', RESTART_POLICIES));
  errs.push(...validateDNS(spec));
  if (spec.hostname) errs.push(...validateDNS1123Label(spec.hostname, 'spec.hostname'));
  if (spec.subdomain) errs.push(...validateDNS1123Label(spec.subdomain, 'spec.subdomain'));
  (spec.hostAliases ?? []).forEach((a, i) => {
    const p = index('spec.hostAliases', i);
    errs.push(...validateIP(a.ip, child(p, 'ip')));
    (a.hostnames ?? []).forEach((h, j) =>
      errs.push(...validateDNS1123Subdomain(h, index(child(p, 'hostnames'), j))),
    );
  });
  errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  if (spec.nodeName)
    errs.push(...invalidEach('spec.nodeName', spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (spec.activeDeadlineSeconds !== undefined) {
    const v = spec.activeDeadlineSeconds;
    if (!Number.isInteger(v) || v < 1 || v > MAX_INT32) {
      errs.push(invalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(1, MAX_INT32)));
    }
  }

  const status = pod.status ?? {};
  errs.push(...validateStatusIPs(status.podIP, status.podIPs, 'podIP', 'podIPs'));
  errs.push(...validateStatusIPs(status.hostIP, status.hostIPs, 'hostIP', 'hostIPs'));
  return errs;
}

/** Replaces each container's image with the old one, so only other differences remain. */
function withOldImages(
  cs: readonly Container[] | undefined,
  old: readonly Container[] | undefined,
): Container[] | undefined {
  if (!cs) return cs;
  return cs.map((c, i) => (old && i < old.length ? { ...c, image: old[i]!.image } : c));
}

function validateActiveDeadlineUpdate(spec: Spec, old: Spec): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  const v = spec.activeDeadlineSeconds;
  const o = old.activeDeadlineSeconds;
  if (v !== undefined) {
    if (v < 0 || v > MAX_INT32) return [invalid(path, v, inclusiveRangeError(0, MAX_INT32))];
    if (o !== undefined && o < v) return [invalid(path, v, 'must be less than or equal to previous value')];
  } else if (o !== undefined) {
    return [invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

/** ValidatePodUpdate: the spec is fixed once created except for the fields named in the message. */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validatePod(pod), ...validateObjectMetaUpdate(pod.metadata, old.metadata)];
  const spec: Spec = pod.spec ?? ({ containers: [] } as Spec);
  const oldSpec: Spec = old.spec ?? ({ containers: [] } as Spec);
  if ((spec.containers?.length ?? 0) !== (oldSpec.containers?.length ?? 0)) {
    errs.push(forbidden('spec.containers', 'pod updates may not add or remove containers'));
    return errs;
  }
  errs.push(...validateActiveDeadlineUpdate(spec, oldSpec));

  const oldTolerations = oldSpec.tolerations ?? [];
  const newTolerations = spec.tolerations ?? [];
  const onlyAdded = oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)));
  const grace =
    oldSpec.terminationGracePeriodSeconds !== undefined &&
    oldSpec.terminationGracePeriodSeconds < 0 &&
    spec.terminationGracePeriodSeconds === 1
      ? oldSpec.terminationGracePeriodSeconds
      : spec.terminationGracePeriodSeconds;
  const munged: Spec = {
    ...spec,
    containers: withOldImages(spec.containers, oldSpec.containers) ?? [],
    initContainers: withOldImages(spec.initContainers, oldSpec.initContainers),
    activeDeadlineSeconds: oldSpec.activeDeadlineSeconds,
    tolerations: onlyAdded ? oldSpec.tolerations : spec.tolerations,
    terminationGracePeriodSeconds: grace,
  };
  if (!deepEqual(munged, oldSpec)) {
    const changed = Object.keys({ ...munged, ...oldSpec })
      .filter(
        (k) => !deepEqual((munged as Record<string, unknown>)[k], (oldSpec as Record<string, unknown>)[k]),
      )
      .sort();
    // Upstream appends a cmp.Diff of the specs; naming the changed fields serves the same purpose.
    errs.push(
      forbidden(
        'spec',
        `${POD_UPDATABLE_FIELDS_MESSAGE}\n  changed: ${changed.map((k) => `spec.${k}`).join(', ')}`,
      ),
    );
  }
  return errs;
}
