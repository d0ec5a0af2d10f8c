/**
 * What the API server's Service registry does between validation and storage
 * (pkg/registry/core/service/storage/alloc.go): settle the IP families, then allocate ClusterIPs,
 * NodePorts and the health-check NodePort, honouring pinned values. netmodel adds what MetalLB would do
 * for LoadBalancer services when NETMODEL_LB_CIDR is set.
 */
import { DomainError } from '../errors.js';
import type { Service, ServicePort } from '../model/types.js';
import { parseIP, type IPFamily } from '../net/ip.js';
import { invalid, invalidObject, type FieldError } from '../validation/field-errors.js';
import { copyWith } from '../resources/json.js';
import { PoolFullError, type Holding, type IpamTxn } from './ipam.js';

type Spec = Service['spec'];
type Family = 'IPv4' | 'IPv6';
const FAMILY_OF: Record<IPFamily, Family> = { 4: 'IPv4', 6: 'IPv6' };
const FAMILY_NUM: Record<Family, IPFamily> = { IPv4: 4, IPv6: 6 };
const other = (f: Family): Family => (f === 'IPv4' ? 'IPv6' : 'IPv4');

const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

function fail(svc: Service, errors: FieldError[]): never {
  throw invalidObject('Service', '', svc.metadata.name, errors);
}

/** Allocation ran out: upstream answers 500 InternalError; netmodel keeps 500 for its own bugs (see README). */
function full(svc: Service, what: string, field: string): DomainError {
  return new DomainError('Conflict', `failed to allocate a ${what}: range is full`, {
    kind: 'services',
    name: svc.metadata.name,
    causes: [{ reason: 'FieldValueInvalid', field, message: 'range is full' }],
  });
}

/**
 * initIPFamilyFields: fills ipFamilies and ipFamilyPolicy from what the user gave, the cluster's
 * families (the first service CIDR's family is the default) and the headless-without-selector case.
 */
export function settleIPFamilies(
  svc: Service,
  old: Service | undefined,
  clusterFamilies: readonly Family[],
): Spec {
  let spec = svc.spec;
  const dualStack = clusterFamilies.length === 2;
  if (old) {
    // Update-only prep work: a policy set to SingleStack, with clusterIPs and ipFamilies as they were,
    // is clear intent to keep the primary and release the secondary (clusterIPs[0] is immutable). With
    // any other policy, shortening either list is refused: the policy must say so.
    const was = old.spec;
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if ((spec.clusterIPs?.length ?? 0) > 1 && sameList(spec.clusterIPs, was.clusterIPs))
        spec = copyWith(spec, { clusterIPs: spec.clusterIPs!.slice(0, 1) });
      if ((spec.ipFamilies?.length ?? 0) > 1 && sameList(spec.ipFamilies, was.ipFamilies))
        spec = copyWith(spec, { ipFamilies: spec.ipFamilies!.slice(0, 1) });
    } else {
      const reduced = (now: readonly unknown[] | undefined, before: readonly unknown[] | undefined) =>
        (now?.length ?? 0) > 0 && (now?.length ?? 0) < (before?.length ?? 0);
      const errors: FieldError[] = [];
      const policy = spec.ipFamilyPolicy ?? was.ipFamilyPolicy;
      if (reduced(spec.clusterIPs, was.clusterIPs))
        errors.push(
          invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"),
        );
      if (reduced(spec.ipFamilies, was.ipFamilies))
        errors.push(
          invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"),
        );
      if (errors.length) fail(svc, errors);
    }
  }
  // A PreferDualStack service is neither upgraded nor downgraded by a cluster change: an update that
  // keeps its families, IPs and policy keeps them as they are.
  if (
    old &&
    (spec.type ?? 'ClusterIP') === (old.spec.type ?? 'ClusterIP') &&
    spec.ipFamilyPolicy === 'PreferDualStack' &&
    old.spec.ipFamilyPolicy === 'PreferDualStack' &&
    sameList(spec.ipFamilies, old.spec.ipFamilies) &&
    sameList(spec.clusterIPs, old.spec.clusterIPs)
  ) {
    return spec;
  }
  let families = [...((spec.ipFamilies ?? []) as Family[])];
  const errors: FieldError[] = [];
  const headless = spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None';
  const selectorless = Object.keys(spec.selector ?? {}).length === 0;
  const policy =
    spec.ipFamilyPolicy ??
    old?.spec.ipFamilyPolicy ??
    (headless && selectorless ? 'RequireDualStack' : 'SingleStack');
  // normalizeClusterIPs: on create a lone clusterIP stands for clusterIPs.
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  if (policy === 'SingleStack') {
    const more = "must be 'RequireDualStack' or 'PreferDualStack' when multiple";
    if (ips.length > 1)
      errors.push(invalid('spec.ipFamilyPolicy', policy, `${more} cluster IPs are specified`));
    if (families.length > 1)
      errors.push(invalid('spec.ipFamilyPolicy', policy, `${more} IP families are specified`));
  }
  // ipFamilies follow clusterIPs where the user gave IPs but not their families.
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    const a = parseIP(ips[i]!);
    if (!a || i < families.length) continue;
    const f = FAMILY_OF[a.family];
    if (!clusterFamilies.includes(f))
      errors.push(invalid(`spec.clusterIPs[${i}]`, ips, `${f} is not configured on this cluster`));
    else families.push(f);
  }
  if (errors.length) fail(svc, errors);

  if (headless && selectorless) {
    // Headless without a selector: its endpoints are whatever the user writes, of any family, even on
    // a single-stack cluster.
    if (families.length === 0) families = [clusterFamilies[0]!];
    if (policy !== 'SingleStack' && families.length === 1) families.push(other(families[0]!));
    return copyWith(spec, { ipFamilies: families, ipFamilyPolicy: policy });
  }

  if (policy === 'RequireDualStack' && !dualStack) {
    errors.push(
      invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'),
    );
  }
  families.forEach((f, i) => {
    if (!clusterFamilies.includes(f))
      errors.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errors.length) fail(svc, errors);
  if (families.length === 0) families = [clusterFamilies[0]!];
  if (policy !== 'SingleStack' && families.length === 1 && dualStack) families.push(other(families[0]!));
  return copyWith(spec, { ipFamilies: families, ipFamilyPolicy: policy });
}

export interface ServiceAdmissionEnv {
  readonly ipam: IpamTxn;
}

/** Returns the Service with its allocations; the caller records the holdings (IpamTxn.change). */
export function admitService(input: Service, old: Service | undefined, env: ServiceAdmissionEnv): Service {
  const ipam = env.ipam;
  const type = input.spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return input;
  const clusterFamilies = ipam.servicePools().map((p) => FAMILY_OF[p.def.family!]);
  let spec = settleIPFamilies(input, old, clusterFamilies);
  const svc = copyWith(input, { spec });
  const mine = new Set((old ? ipam.heldBy(old) : []).map((h) => `${h.pool}/${h.offset}`));
  const reserved: Holding[] = [];
  const reserve = (pool: string, offset: number, field: string) => {
    ipam.reserve(pool, offset);
    reserved.push({ pool, offset, field });
  };
  const taken = (pool: string, offset: number) =>
    !ipam.isFree(pool, offset) && !mine.has(`${pool}/${offset}`);
  try {
    spec = allocateClusterIPs(svc, spec, ipam, reserve, taken);
    spec = allocateNodePorts(svc, spec, ipam, reserve, taken, old === undefined);
    const status = allocateLoadBalancer(copyWith(svc, { spec }), ipam, reserve, taken);
    return copyWith(svc, status ? { spec, status } : { spec });
  } finally {
    // The values are held through the object once the caller records it.
    for (const r of reserved) ipam.unreserve(r.pool, r.offset);
  }
}

type Reserve = (pool: string, offset: number, field: string) => void;
type Taken = (pool: string, offset: number) => boolean;

function allocateClusterIPs(svc: Service, spec: Spec, ipam: IpamTxn, reserve: Reserve, taken: Taken): Spec {
  if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
    return copyWith(spec, { clusterIP: 'None', clusterIPs: ['None'] });
  }
  const families = (spec.ipFamilies ?? []) as Family[];
  const given = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const out: string[] = [];
  const errors: FieldError[] = [];
  families.forEach((f, i) => {
    const pool = ipam.servicePool(FAMILY_NUM[f]);
    if (!pool) return; // PreferDualStack on a single-stack cluster asks for nothing more
    const want = given[i];
    if (want) {
      const a = parseIP(want)!;
      const offset = pool.offsetOf(a.value);
      if (offset === undefined) {
        errors.push(
          invalid(
            'spec.clusterIPs',
            given,
            `failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${pool.describe()}`,
          ),
        );
      } else if (taken(pool.def.name, offset)) {
        errors.push(
          invalid(
            'spec.clusterIPs',
            given,
            `failed to allocate IP ${want}: provided IP is already allocated`,
          ),
        );
      } else {
        reserve(pool.def.name, offset, `spec.clusterIPs[${i}]`);
        out.push(want);
      }
      return;
    }
    try {
      const { offset } = ipam.next(pool.def.name);
      reserve(pool.def.name, offset, `spec.clusterIPs[${i}]`);
      out.push(pool.format(pool.valueAt(offset)));
    } catch (e) {
      if (e instanceof PoolFullError) throw full(svc, 'serviceIP', 'spec.clusterIPs');
      throw e;
    }
  });
  if (errors.length) fail(svc, errors);
  return copyWith(spec, { clusterIP: out[0], clusterIPs: out });
}

function allocateNodePorts(
  svc: Service,
  spec: Spec,
  ipam: IpamTxn,
  reserve: Reserve,
  taken: Taken,
  creating: boolean,
): Spec {
  const type = spec.type ?? 'ClusterIP';
  const pool = ipam.pool('node-port')!;
  const wantPorts =
    type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  const errors: FieldError[] = [];
  const pinned = (port: number, field: string): boolean => {
    const offset = pool.offsetOf(BigInt(port));
    if (offset === undefined) {
      errors.push(
        invalid(
          field,
          port,
          `provided port is not in the valid range. The range of valid ports is ${pool.describe()}`,
        ),
      );
      return false;
    }
    if (taken(pool.def.name, offset)) {
      errors.push(invalid(field, port, 'provided port is already allocated'));
      return false;
    }
    reserve(pool.def.name, offset, field);
    return true;
  };
  const next = (field: string): number => {
    try {
      const { offset } = ipam.next(pool.def.name);
      reserve(pool.def.name, offset, field);
      return Number(pool.valueAt(offset));
    } catch (e) {
      if (e instanceof PoolFullError) throw full(svc, 'nodePort', field);
      throw e;
    }
  };
  let ports = spec.ports;
  if (ports && !creating && (type === 'NodePort' || type === 'LoadBalancer')) {
    // updateNodePorts: a requested nodePort is taken once (two entries may name the same one); every
    // entry without one gets the next free port, shared with no other entry (sharing by port number
    // is only done on create).
    const claimed = new Set<number>();
    ports = ports.map((p, i): ServicePort => {
      const field = `spec.ports[${i}].nodePort`;
      if (p.nodePort) {
        if (!claimed.has(p.nodePort) && pinned(p.nodePort, field)) claimed.add(p.nodePort);
        return p;
      }
      return wantPorts ? copyWith(p, { nodePort: next(field) }) : p;
    });
  } else if (ports && (type === 'NodePort' || type === 'LoadBalancer')) {
    // initNodePorts: a port number exposed over two protocols shares one NodePort. The first entry of a
    // number takes the nodePort any entry of that number pins (findRequestedNodePort), else the next free
    // one; later entries of the number reuse it unless they pin their own.
    const all = ports;
    const byPort = new Map<number, number>();
    /** NodePort -> the service port number it was allocated for. */
    const owner = new Map<number, number>();
    const claim = (nodePort: number, servicePort: number, field: string) => {
      const was = owner.get(nodePort);
      if (was === servicePort) return; // the same number over another protocol: one allocation
      if (was !== undefined) {
        errors.push(invalid(field, nodePort, 'provided port is already allocated'));
        return;
      }
      if (pinned(nodePort, field)) owner.set(nodePort, servicePort);
    };
    ports = ports.map((p, i): ServicePort => {
      const field = `spec.ports[${i}].nodePort`;
      if (p.nodePort) {
        claim(p.nodePort, p.port, field);
        if (!byPort.has(p.port)) byPort.set(p.port, p.nodePort);
        return p;
      }
      let n = byPort.get(p.port);
      if (n === undefined) {
        const requested = all.find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested !== undefined) {
          claim(requested, p.port, field);
          n = requested;
        } else if (wantPorts) {
          n = next(field);
          owner.set(n, p.port);
        } else {
          return p;
        }
        byPort.set(p.port, n);
      }
      return copyWith(p, { nodePort: n });
    });
  }
  let healthCheckNodePort = spec.healthCheckNodePort;
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    if (healthCheckNodePort) pinned(healthCheckNodePort, 'spec.healthCheckNodePort');
    else healthCheckNodePort = next('spec.healthCheckNodePort');
  }
  if (errors.length) fail(svc, errors);
  const fields: { -readonly [K in keyof Spec]?: Spec[K] } = {};
  if (ports) fields.ports = ports;
  if (healthCheckNodePort) fields.healthCheckNodePort = healthCheckNodePort;
  return copyWith(spec, fields);
}

/**
 * MetalLB-style: a LoadBalancer without a loadBalancerClass gets the requested spec.loadBalancerIP when
 * it is in the pool and free, else the lowest free address. A full pool, or a request MetalLB would not
 * honour, leaves the service pending (no ingress), as in a cluster.
 */
function allocateLoadBalancer(
  svc: Service,
  ipam: IpamTxn,
  reserve: Reserve,
  taken: Taken,
): Service['status'] | undefined {
  const spec = svc.spec;
  if ((spec.type ?? 'ClusterIP') !== 'LoadBalancer') {
    // The registry clears the load balancer status of a Service that is no longer one; its address
    // goes back to the pool.
    if (!svc.status?.loadBalancer?.ingress?.length) return svc.status;
    return { ...svc.status, loadBalancer: {} };
  }
  const current = svc.status?.loadBalancer?.ingress ?? [];
  if (current.length > 0) return svc.status;
  const pool = ipam.pool('load-balancer');
  if (!pool || spec.loadBalancerClass) return svc.status;
  let offset: number | undefined;
  if (spec.loadBalancerIP) {
    const a = parseIP(spec.loadBalancerIP);
    const o = a ? pool.offsetOf(a.value) : undefined;
    if (o === undefined || taken(pool.def.name, o)) return svc.status;
    offset = o;
  } else {
    const o = pool.nextFree();
    if (o < 0) return svc.status;
    offset = o;
  }
  reserve(pool.def.name, offset, 'status.loadBalancer.ingress[0].ip');
  return {
    ...svc.status,
    loadBalancer: { ingress: [{ ip: pool.format(pool.valueAt(offset)), ipMode: 'VIP' }] },
  };
}
