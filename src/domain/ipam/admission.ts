/**
 * The allocation step of the write path: each planned write of a batch passes through here before the
 * next one is planned, so a pod sees the node created before it and two services of one batch never get
 * the same address. Allocations live in the batch's IpamTxn until the commit.
 */
import type { KubeObject, Node } from '../model/types.js';
import { copyWith } from '../resources/json.js';
import type { PlannedWrite, StateView } from '../resources/lifecycle.js';
import type { IpamTxn } from './ipam.js';
import { admitNode } from './node-admission.js';
import { admitPod, NodePicker } from './pod-admission.js';
import { admitService } from './service-admission.js';

export class IpamAdmission {
  private nodeCache?: readonly Node[];
  private picker?: NodePicker;

  constructor(
    readonly ipam: IpamTxn,
    private readonly now: string,
  ) {}

  admit(w: PlannedWrite, view: StateView): PlannedWrite {
    const prev = w.previous;
    if (w.type === 'DELETED') {
      this.ipam.change(w.object, undefined);
      if (w.object.kind === 'Node') this.nodesChanged();
      if (w.object.kind === 'Pod') this.picker?.refresh(w.object.spec.nodeName);
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
        this.nodesChanged();
        break;
      case 'Pod':
        o = admitPod(o, prev?.kind === 'Pod' ? prev : undefined, {
          ipam: this.ipam,
          getNode: (name) => view.get('Node', '', name),
          nodes: () => this.nodes(view),
          pick: (pod) => this.pickerFor(view).pick(pod),
          now: this.now,
        });
        break;
      default:
        return w;
    }
    this.ipam.change(prev, o);
    if (o.kind === 'Pod' && this.picker) {
      this.picker.refresh(prev?.kind === 'Pod' ? prev.spec.nodeName : undefined);
      this.picker.refresh(o.spec.nodeName);
    }
    return o === w.object ? w : copyWith(w, { object: o });
  }

  private nodesChanged(): void {
    this.nodeCache = undefined;
    this.picker = undefined;
  }

  private pickerFor(view: StateView): NodePicker {
    this.picker ??= new NodePicker(this.nodes(view), (n) => this.ipam.podCount(n));
    return this.picker;
  }

  /** Nodes sorted by name, listed once per batch until a node changes. */
  private nodes(view: StateView): readonly Node[] {
    this.nodeCache ??= [...view.list('Node')].sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
    );
    return this.nodeCache;
  }
}
