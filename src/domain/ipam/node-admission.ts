/**
 * Node addressing. netmodel stands in for two components a cluster has:
 * - kube-controller-manager's range allocator (pkg/controller/nodeipam/ipam/range_allocator.go), which
 *   gives a Node without spec.podCIDRs one subnet of the cluster CIDR per family (netmodel: the lowest
 *   free one; upstream's cidrset goes round-robin from the last one given). When the cluster CIDR
 *   is used up the Node keeps no podCIDR (upstream reports the CIDRNotAvailable event); netmodel records
 *   that as a NetworkUnavailable condition so the reason is visible on the object.
 * - the machine the node runs on: a Node without an InternalIP gets the next address of the node network,
 *   as kind's containers get theirs from the docker bridge (gateway .1, first node .2).
 */
import { DomainError } from '../errors.js';
import { effectivePodCIDRs, type Node, type NodeAddress, type NodeCondition } from '../model/types.js';
import { cidrOverlaps, parseCIDR } from '../net/ip.js';
import { invalid, invalidObject, type FieldError } from '../validation/field-errors.js';
import type { IpamTxn } from './ipam.js';

export interface NodeAdmissionEnv {
  readonly ipam: IpamTxn;
  /** Every other node (for the overlap check of pinned podCIDRs). */
  readonly otherNodes: () => readonly Node[];
  readonly now: string;
}

export function admitNode(input: Node, old: Node | undefined, env: NodeAdmissionEnv): Node {
  let node = checkPinnedCidrs(input, env);
  node = assignPodCidrs(node, old, env);
  return assignInternalIP(keepAddresses(node, old), env);
}

/** An update whose status leaves the addresses out keeps the ones the node has. */
function keepAddresses(node: Node, old: Node | undefined): Node {
  const was = old?.status?.addresses;
  if (!was?.length || node.status?.addresses?.length) return node;
  return { ...node, status: { ...node.status, addresses: was } };
}

function checkPinnedCidrs(node: Node, env: NodeAdmissionEnv): Node {
  const mine = effectivePodCIDRs(node.spec);
  if (mine.length === 0) return node;
  const errors: FieldError[] = [];
  const others = env.otherNodes().filter((n) => n.metadata.name !== node.metadata.name);
  mine.forEach((text, i) => {
    const c = parseCIDR(text);
    if (!c) return;
    for (const o of others) {
      for (const theirs of effectivePodCIDRs(o.spec)) {
        const t = parseCIDR(theirs);
        if (t && cidrOverlaps(c, t)) {
          errors.push(
            invalid(
              `spec.podCIDRs[${i}]`,
              text,
              `overlaps with the podCIDR ${theirs} of node "${o.metadata.name}"`,
            ),
          );
          return;
        }
      }
    }
  });
  if (errors.length) throw invalidObject('Node', '', node.metadata.name, errors);
  return node;
}

const CIDR_NOT_AVAILABLE = 'CIDRNotAvailable';

function assignPodCidrs(node: Node, old: Node | undefined, env: NodeAdmissionEnv): Node {
  if (effectivePodCIDRs(node.spec).length > 0) return withoutCidrCondition(node);
  const cidrs: string[] = [];
  // One subnet per cluster CIDR (family), all or none, as the range allocator assigns them.
  for (const pool of env.ipam.nodeCidrPools()) {
    const offset = pool.nextFree();
    if (offset < 0) {
      return withCondition(node, old, env.now, {
        type: 'NetworkUnavailable',
        status: 'True',
        reason: CIDR_NOT_AVAILABLE,
        message: `CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range ${pool.describe()}`,
      });
    }
    cidrs.push(pool.format(pool.valueAt(offset)));
  }
  if (cidrs.length === 0) return node;
  return withoutCidrCondition({ ...node, spec: { ...node.spec, podCIDR: cidrs[0], podCIDRs: cidrs } });
}

function withCondition(node: Node, old: Node | undefined, now: string, c: NodeCondition): Node {
  const rest = (node.status?.conditions ?? []).filter((x) => x.type !== c.type);
  const prev = old?.status?.conditions?.find((x) => x.type === c.type && x.status === c.status);
  const cond = {
    ...c,
    lastTransitionTime: (prev as { lastTransitionTime?: string })?.lastTransitionTime ?? now,
  };
  return { ...node, status: { ...node.status, conditions: [...rest, cond] } };
}

function withoutCidrCondition(node: Node): Node {
  const conds = node.status?.conditions;
  if (!conds?.some((c) => c.reason === CIDR_NOT_AVAILABLE)) return node;
  return {
    ...node,
    status: { ...node.status, conditions: conds.filter((c) => c.reason !== CIDR_NOT_AVAILABLE) },
  };
}

function assignInternalIP(node: Node, env: NodeAdmissionEnv): Node {
  const addresses = node.status?.addresses ?? [];
  if (addresses.some((a) => a.type === 'InternalIP')) return node;
  const pool = env.ipam.pool('node-address')!;
  const offset = pool.nextFree();
  if (offset < 0) {
    throw new DomainError('Conflict', `failed to allocate a node address: range is full`, {
      kind: 'nodes',
      name: node.metadata.name,
      causes: [{ reason: 'FieldValueInvalid', field: 'status.addresses', message: 'range is full' }],
    });
  }
  const next: NodeAddress[] = [
    { type: 'InternalIP', address: pool.format(pool.valueAt(offset)) },
    ...addresses,
  ];
  if (!next.some((a) => a.type === 'Hostname')) next.push({ type: 'Hostname', address: node.metadata.name });
  return { ...node, status: { ...node.status, addresses: next } };
}
