/**
 * What every renderer returns, and the helpers they share: the output text, its rule count and size,
 * and the line-level diff `proxyRulesDiff` reports.
 */

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'ipvs', 'nftables'];

export interface RenderedSection {
  /** What the text is input for: `iptables-restore`, `ip6tables-restore`, `ipvsadm -R`, `ipset restore`, `nft -f`. */
  readonly tool: string;
  readonly text: string;
  /** Rules in this section: `-A` lines, ipvs services and destinations, ipset entries, nft rules and map elements. */
  readonly ruleCount: number;
}

export interface RenderedRules {
  readonly mode: ProxyMode;
  readonly sections: readonly RenderedSection[];
  /** All sections, each introduced by a `# <tool>` line when there is more than one. */
  readonly text: string;
  readonly ruleCount: number;
  readonly bytes: number;
}

/** UTF-8 byte length (the output is ASCII unless a name is not). */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function assemble(mode: ProxyMode, sections: readonly RenderedSection[]): RenderedRules {
  const text =
    sections.length === 1 ? sections[0]!.text : sections.map((s) => `# ${s.tool}\n${s.text}`).join('');
  return {
    mode,
    sections,
    text,
    ruleCount: sections.reduce((n, s) => n + s.ruleCount, 0),
    bytes: byteLength(text),
  };
}

export interface RulesDiff {
  /** Lines, each prefixed by its section's tool and, for iptables, its table: `iptables-restore nat: -A ...`. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * The lines a change adds and removes, as multisets per section (and per table within iptables-restore
 * input). Section markers, `*table` and `COMMIT` lines are structure, not rules, and are left out.
 */
export function diffRendered(before: RenderedRules, after: RenderedRules): RulesDiff {
  const count = (r: RenderedRules): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of r.sections) {
      let table = '';
      for (const line of s.text.split('\n')) {
        if (line === '' || line === 'COMMIT') continue;
        if (line.startsWith('*')) {
          table = ` ${line.slice(1)}`;
          continue;
        }
        const key = `${s.tool}${table}: ${line}`;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
    return m;
  };
  const a = count(before);
  const b = count(after);
  const added: string[] = [];
  const removed: string[] = [];
  for (const [k, n] of b) for (let i = a.get(k) ?? 0; i < n; i++) added.push(k);
  for (const [k, n] of a) for (let i = b.get(k) ?? 0; i < n; i++) removed.push(k);
  return { added, removed };
}
