/**
 * The allocation step of the write path: each planned write of a batch passes through here before the
 * next one is planned, so a pod sees the node created before it and two services of one batch never get
 * the same address. Allocations live in the batch's IpamTxn until the commit.
 */
import type { KubeObject, Node } from '../model/types.js';
import type { PlannedWrite, StateView } from '../resources/lifecycle.js';
import type { IpamTxn } from './ipam.js';
import { admitNode } from './node-admission.js';
import { admitPod } from './pod-admission.js';
import { admitService } from './service-admission.js';

export class IpamAdmission {
  private nodeCache?: readonly Node[];

  constructor(
    readonly ipam: IpamTxn,
    private readonly now: string,
  ) {}

  admit(w: PlannedWrite, view: StateView): PlannedWrite {
    const prev = w.previous;
    if (w.type === 'DELETED') {
      this.ipam.change(w.object, undefined);
      if (w.object.kind === 'Node') this.nodeCache = undefined;
      return w;
    }
    let o: KubeObject = w.object;
    switch (o.kind) {
      case 'Service':
        o = admitService(o, prev?.kind === 'Service' ? prev : undefined, { ipam: this.ipam });
        break;
      case 'Node':
        o = admitNode(o, prev?.kind === 'Node' ? prev : undefined, {
          ipam: this.ipam,
          otherNodes: () => this.nodes(view),
          now: this.now,
        });
        this.nodeCache = undefined;
        break;
      case 'Pod':
        o = admitPod(o, prev?.kind === 'Pod' ? prev : undefined, {
          ipam: this.ipam,
          getNode: (name) => view.get('Node', '', name),
          nodes: () => this.nodes(view),
          now: this.now,
        });
        break;
      default:
        return w;
    }
    this.ipam.change(prev, o);
    return o === w.object ? w : { ...w, object: o };
  }

  /** Nodes sorted by name, listed once per batch until a node changes. */
  private nodes(view: StateView): readonly Node[] {
    this.nodeCache ??= [...view.list('Node')].sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
    );
    return this.nodeCache;
  }
}
