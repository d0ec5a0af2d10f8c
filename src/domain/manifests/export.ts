/**
 * Export: every object, in apply order (namespaces first) then namespace/name, as multi-document YAML.
 * Server-set metadata stays in the text for the reader; apply drops it again, so the export re-imports to
 * the same objects. EndpointSlices the controller manages are left out: they are derived from the
 * Services and Pods, and an import derives them again (a copy would name the old Service's uid as its
 * owner, and the controller replaces slices it does not own, as upstream's does).
 */
import { stringify } from 'yaml';
import { KIND_NAMES, KINDS } from '../model/kinds.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL } from '../endpoints/slice-controller.js';

export function exportYaml(snap: ClusterSnapshot): string {
  const kinds = [...KIND_NAMES].sort((a, b) => KINDS[a].applyOrder - KINDS[b].applyOrder);
  const docs: string[] = [];
  for (const k of kinds) {
    for (const o of snap.list(k)) {
      if (o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) continue;
      docs.push(stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
    }
  }
  return (
    `# netmodel export at resourceVersion ${snap.resourceVersion}\n` + docs.map((d) => `---\n${d}`).join('')
  );
}
