/**
 * Service validation after pkg/apis/core/validation (ValidateService, ValidateServiceUpdate).
 *
 * The API server's strategy copies `clusterIP` into `clusterIPs` before validating; netmodel stores
 * what was applied, so the rules here read the effective list (see effectiveClusterIPs) and report on
 * `spec.clusterIPs[i]` as upstream does.
 */
import type { Service, ServicePort } from '../model/types.js';
import { SERVICE_TYPES } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import {
  child,
  index,
  validateCIDR,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateEnum,
  validateIP,
  validateLabels,
  validateNonSpecialIP,
  validatePortNum,
  validatePortNumOrName,
  validateProtocol,
  validateQualifiedName,
} from './common.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';

export const CLUSTER_IP_NONE = 'None';
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IP_FAMILIES = ['IPv4', 'IPv6'];

type Spec = Service['spec'];

/** clusterIPs as the API server sees them after its strategy synced them from clusterIP. */
export function effectiveClusterIPs(spec: Spec): readonly string[] {
  if (spec.clusterIPs && spec.clusterIPs.length > 0) return spec.clusterIPs;
  return spec.clusterIP ? [spec.clusterIP] : [];
}

export function isHeadless(spec: Spec): boolean {
  return effectiveClusterIPs(spec)[0] === CLUSTER_IP_NONE;
}

/** apiservice.ExternallyAccessible: reachable from outside through node ports or external IPs. */
function externallyAccessible(spec: Spec): boolean {
  const type = spec.type ?? 'ClusterIP';
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0)
  );
}

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) {
    errs.push(required(child(path, 'name')));
  } else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, child(path, 'name')));
    if (names.has(sp.name)) errs.push(duplicate(child(path, 'name'), sp.name));
    else names.add(sp.name);
  }
  errs.push(...validatePortNum(sp.port, child(path, 'port')));
  errs.push(...validateProtocol(sp.protocol, child(path, 'protocol')));
  // targetPort defaults to port; 0 and '' mean "unset" to the API server.
  if (sp.targetPort !== undefined && sp.targetPort !== 0 && sp.targetPort !== '') {
    errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  }
  if (sp.appProtocol !== undefined)
    errs.push(...validateQualifiedName(sp.appProtocol, child(path, 'appProtocol')));
  return errs;
}

function validateSessionAffinity(spec: Spec): FieldError[] {
  const errs = validateEnum(spec.sessionAffinity, 'spec.sessionAffinity', SESSION_AFFINITIES);
  const config = spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    // Missing config is defaulted (timeout 10800); only a set timeout is checked.
    const t = config?.clientIP?.timeoutSeconds;
    if (t !== undefined && (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS)) {
      errs.push(
        invalid(
          'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
          t,
          `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`,
        ),
      );
    }
  } else if ((spec.sessionAffinity ?? 'None') === 'None' && config !== undefined && config !== null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPs(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.clusterIPs';
  if (
    spec.clusterIP &&
    spec.clusterIPs &&
    spec.clusterIPs.length > 0 &&
    spec.clusterIPs[0] !== spec.clusterIP
  ) {
    errs.push(invalid(path, spec.clusterIPs, 'first value must match `clusterIP`'));
  }
  (spec.ipFamilies ?? []).forEach((fam, i) => {
    if (!IP_FAMILIES.includes(fam)) errs.push(notSupported(index('spec.ipFamilies', i), fam, IP_FAMILIES));
    if (spec.ipFamilies!.indexOf(fam) < i) errs.push(duplicate(index('spec.ipFamilies', i), fam));
  });
  if (spec.ipFamilyPolicy !== undefined && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  const ips = effectiveClusterIPs(spec);
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalid(path, ips, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, index(path, i));
    if (ipErrs.length > 0) badIPs = true;
    errs.push(...ipErrs);
  });
  if (ips.length > 2) errs.push(invalid(path, ips, 'may only hold up to 2 values'));
  // Family checks on addresses that do not parse would only repeat the error above.
  if (badIPs) return errs;
  if (ips.length > 1) {
    const families = new Set(ips.map((ip) => parseIP(ip)!.family));
    if (families.size !== ips.length)
      errs.push(invalid(path, ips, 'may specify no more than one IP for each IP family'));
  }
  if (ips[0] !== CLUSTER_IP_NONE) {
    ips.forEach((ip, i) => {
      const want = spec.ipFamilies?.[i];
      const fam = parseIP(ip)!.family;
      if (want === 'IPv4' && fam === 6) {
        errs.push(invalid(index(path, i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (want === 'IPv6' && fam === 4) {
        errs.push(invalid(index(path, i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

const KUBELET_PORT = 10250;

export function validateService(svc: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, 'Service');
  const spec: Spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ports = spec.ports ?? [];
  const headless = isHeadless(spec);

  if (spec.type !== undefined && !SERVICE_TYPES.includes(spec.type)) {
    errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  }
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));

  if (type === 'ExternalName') {
    if (effectiveClusterIPs(spec).length > 0) {
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
    if ((spec.ipFamilies?.length ?? 0) > 0) {
      errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    }
    if (spec.ipFamilyPolicy !== undefined) {
      errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    }
    // A CNAME target may be written fully qualified, with a trailing dot.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname.length > 0) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
    else errs.push(required('spec.externalName'));
  }

  const names = new Set<string>();
  ports.forEach((p, i) =>
    errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))),
  );

  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));

  if (type === 'LoadBalancer') {
    // Upstream's guard for clouds that open firewalls too widely: the kubelet's port stays private.
    ports.forEach((p, i) => {
      if (p.port === KUBELET_PORT) {
        errs.push(
          invalid(
            index('spec.ports', i),
            p.port,
            `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`,
          ),
        );
      }
    });
  } else if (spec.allocateLoadBalancerNodePorts !== undefined) {
    errs.push(
      forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"),
    );
  }

  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = index('spec.externalIPs', i);
    const ipErrs = validateIP(ip, p);
    errs.push(...(ipErrs.length > 0 ? ipErrs : validateNonSpecialIP(ip, p)));
  });

  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) {
        errs.push(
          forbidden(child(index('spec.ports', i), 'nodePort'), "may not be used when `type` is 'ClusterIP'"),
        );
      }
    });
  }
  if ((type === 'NodePort' || type === 'LoadBalancer') && headless) {
    errs.push(
      invalid('spec.clusterIPs[0]', CLUSTER_IP_NONE, `may not be set to 'None' for ${type} services`),
    );
  }

  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('spec.ports', i);
    const protocol = p.protocol ?? 'TCP';
    if (p.nodePort) {
      errs.push(...validatePortNum(p.nodePort, child(path, 'nodePort')));
      const k = `${protocol}/${p.nodePort}`;
      if (nodePorts.has(k)) errs.push(duplicate(child(path, 'nodePort'), p.nodePort));
      nodePorts.add(k);
    }
    const k = `${protocol}/${p.port}`;
    if (portKeys.has(k)) errs.push(duplicate(path, { protocol, port: p.port }));
    portKeys.add(k);
  });

  if ((spec.loadBalancerSourceRanges?.length ?? 0) > 0) {
    if (type !== 'LoadBalancer') {
      errs.push(forbidden('spec.loadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    }
    spec.loadBalancerSourceRanges!.forEach((r, i) =>
      errs.push(...validateCIDR(r.trim(), index('spec.loadBalancerSourceRanges', i))),
    );
  }

  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) {
      errs.push(
        invalid(
          'spec.externalTrafficPolicy',
          spec.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
    }
  } else {
    errs.push(...validateEnum(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy', TRAFFIC_POLICIES));
  }
  const needsHealthCheck = type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort) {
    errs.push(
      invalid(
        'spec.healthCheckNodePort',
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  if (spec.internalTrafficPolicy !== undefined && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }

  if (type !== 'ExternalName') errs.push(...validateClusterIPs(spec));
  return errs;
}

/**
 * validateUpgradeDowngradeClusterIPs: an allocated primary IP is fixed; a secondary may be added, or
 * released together with ipFamilyPolicy SingleStack. Moving to or from ExternalName drops the IPs.
 * Callers that let an update omit clusterIP(s) (kubectl apply does) must copy the stored values in
 * first, as the API server's patchAllocatedValues does.
 */
function validateClusterIPsUpdate(spec: Spec, oldSpec: Spec): FieldError[] {
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const ips = effectiveClusterIPs(spec);
  const oldIPs = effectiveClusterIPs(oldSpec);
  const first = 'spec.clusterIPs[0]';
  const errs: FieldError[] = [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(index('spec.clusterIPs', i), ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid(first, ips, 'primary clusterIP can not be unset'));
    if (ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(invalid(first, ips, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        invalid(
          first,
          ips,
          "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid(first, ips, 'may not change once set'));
  }
  return errs;
}

export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  return [
    ...validateService(svc),
    ...validateObjectMetaUpdate(svc.metadata, old.metadata),
    ...validateClusterIPsUpdate(svc.spec ?? {}, old.spec ?? {}),
  ];
}
