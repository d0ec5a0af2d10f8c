/**
 * Export: every object, in apply order (namespaces first) then namespace/name, as multi-document YAML.
 * Server-set metadata stays in the text for the reader; apply drops it again, so the export re-imports to
 * the same objects.
 */
import { stringify } from 'yaml';
import { KIND_NAMES, KINDS } from '../model/kinds.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';

export function exportYaml(snap: ClusterSnapshot): string {
  const kinds = [...KIND_NAMES].sort((a, b) => KINDS[a].applyOrder - KINDS[b].applyOrder);
  const docs: string[] = [];
  for (const k of kinds) {
    for (const o of snap.list(k)) docs.push(stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
  }
  return (
    `# netmodel export at resourceVersion ${snap.resourceVersion}\n` + docs.map((d) => `---\n${d}`).join('')
  );
}
