/**
 * Label selectors as k8s.io/apimachinery/pkg/labels implements them: the string form used by
 * `?labelSelector=` and `kubectl -l` (`a=b,c!=d,e in (x,y),!f,g`), and metav1.LabelSelector
 * (matchLabels + matchExpressions). A selector is a conjunction of requirements.
 */
import { DomainError } from '../errors.js';
import type { LabelSelector, Labels } from '../model/types.js';

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A parsed selector. `nothing` selects no object (a nil LabelSelector); an empty list selects all. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: boolean;
}

export const EVERYTHING: Selector = { requirements: [] };
export const NOTHING: Selector = { requirements: [], nothing: true };

export function matchesRequirement(r: Requirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      // strconv.ParseInt(v, 10, 64) upstream: a value that is not an int64 never matches.
      const n = parseInt64(v!);
      const bound = r.values.length === 1 ? parseInt64(r.values[0]!) : undefined;
      if (n === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, within the int64 range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

export function matches(sel: Selector, labels: Labels | undefined): boolean {
  if (sel.nothing) return false;
  for (const r of sel.requirements) if (!matchesRequirement(r, labels)) return false;
  return true;
}

export function isEverything(sel: Selector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** metav1.LabelSelectorAsSelector: nil selects nothing, {} selects everything. */
export function fromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return NOTHING;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {}))
    reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of ls.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, operator: 'in', values: [...(e.values ?? [])] });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, operator: 'notin', values: [...(e.values ?? [])] });
        break;
      case 'Exists':
        reqs.push({ key: e.key, operator: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, operator: '!', values: [] });
        break;
      default:
        throw new DomainError('BadRequest', `"${e.operator}" is not a valid label selector operator`);
    }
  }
  return { requirements: sortRequirements(reqs) };
}

/** A Service's `spec.selector` map: an empty or missing map selects nothing (no endpoints are managed). */
export function fromServiceSelector(sel: Labels | undefined): Selector {
  if (!sel || Object.keys(sel).length === 0) return NOTHING;
  return fromLabelSelector({ matchLabels: sel });
}

function sortRequirements(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Renders a selector in the canonical string form (`a=b,c in (x,y)`), as labels.Selector.String() does. */
export function formatSelector(sel: Selector): string {
  if (sel.nothing) return '<none>';
  return sel.requirements
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.operator}${r.values[0]}`;
      }
    })
    .join(',');
}

// ---- string parser -------------------------------------------------------------------------

const KEY_CHARS = /[A-Za-z0-9\-_./]/;
const VALUE_CHARS = /[A-Za-z0-9\-_.]/;
/** Only what upstream's isWhitespace accepts separates tokens. */
const WHITESPACE = /[ \t\r\n]/;

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}
  skipSpace(): void {
    while (this.pos < this.s.length && WHITESPACE.test(this.s[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.skipSpace();
    return this.s[this.pos] ?? '';
  }
  eof(): boolean {
    this.skipSpace();
    return this.pos >= this.s.length;
  }
  word(chars: RegExp): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.s.length && chars.test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }
  take(tok: string): boolean {
    this.skipSpace();
    if (this.s.startsWith(tok, this.pos)) {
      this.pos += tok.length;
      return true;
    }
    return false;
  }
}

function parseError(msg: string): DomainError {
  return new DomainError('BadRequest', `unable to parse requirement: ${msg}`);
}

/**
 * Parses the string form. Keys and values are checked with the same rules as labels, so a selector that
 * could never match a valid label is refused rather than silently matching nothing.
 */
export function parseSelector(
  input: string,
  validateKey: (k: string) => string[],
  validateValue: (v: string) => string[],
): Selector {
  const lx = new Lexer(input);
  const reqs: Requirement[] = [];
  if (lx.eof()) return EVERYTHING;
  for (;;) {
    let negated = false;
    if (lx.take('!')) negated = true;
    const key = lx.word(KEY_CHARS);
    if (!key) throw parseError(`found '${lx.peek() || 'end of string'}', expected: identifier`);
    const keyErrs = validateKey(key);
    if (keyErrs.length) throw parseError(`Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    let req: Requirement;
    if (negated) {
      req = { key, operator: '!', values: [] };
    } else if (lx.eof() || lx.peek() === ',') {
      req = { key, operator: 'exists', values: [] };
    } else {
      let op: Operator;
      if (lx.take('==')) op = '==';
      else if (lx.take('!=')) op = '!=';
      else if (lx.take('=')) op = '=';
      else if (lx.take('>')) op = 'gt';
      else if (lx.take('<')) op = 'lt';
      else {
        const w = lx.word(/[a-z]/);
        if (w === 'in' || w === 'notin') op = w;
        else throw parseError(`found '${w || lx.peek()}', expected: in, notin, =, ==, !=, gt, lt`);
      }
      let values: string[];
      if (op === 'in' || op === 'notin') {
        if (!lx.take('(')) throw parseError(`found '${lx.peek() || 'end of string'}', expected: '('`);
        // As upstream, the set may hold the empty value: `x in ()` and `x in (a,)` are valid and
        // `x in ()` selects objects whose label x is "". Duplicates collapse (the values are a set).
        const set = new Set<string>();
        if (!lx.take(')')) {
          for (;;) {
            set.add(lx.word(VALUE_CHARS));
            if (lx.take(')')) break;
            if (!lx.take(','))
              throw parseError(`found '${lx.peek() || 'end of string'}', expected: ',' or ')'`);
          }
        } else {
          set.add('');
        }
        values = [...set].sort();
      } else {
        values = [lx.word(VALUE_CHARS)];
        if ((op === 'gt' || op === 'lt') && parseInt64(values[0]!) === undefined) {
          throw parseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        }
      }
      for (const v of values) {
        const ve = validateValue(v);
        if (ve.length) throw parseError(`Invalid value: ${JSON.stringify(v)}: ${ve.join('; ')}`);
      }
      req = { key, operator: op, values };
    }
    reqs.push(req);
    if (lx.eof()) break;
    if (!lx.take(',')) throw parseError(`found '${lx.peek()}', expected: ',' or 'end of string'`);
  }
  return { requirements: sortRequirements(reqs) };
}
