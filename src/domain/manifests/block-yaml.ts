/**
 * A fast reader for the block-style YAML that `kubectl get -o yaml` and most hand-written manifests
 * use: block mappings and sequences (sequences under a key at the key's indentation or deeper), plain,
 * single- and double-quoted one-line scalars, literal block scalars (`|`, `|-`, `|+`), `{}`, `[]` and
 * one-line flow sequences of plain scalars, full-line and trailing comments, `---` between documents.
 *
 * It answers exactly what js-yaml answers for that subset or does not answer at all: anything it does
 * not fully understand (anchors, aliases, tags, merge keys, directives, folded or indented block
 * scalars, multi-line plain or quoted scalars, flow mappings, quoted or unusual keys, duplicate keys,
 * tabs, CR line ends, a byte-order mark, non-printable characters, deep nesting...) makes it give up on
 * the whole text, and the caller parses that text with js-yaml. Plain scalars are resolved by the
 * schema's own implicit types (null, bool, int, float), so `8080`, `true`, `~` and `0x1F` mean what
 * js-yaml makes of them. On the import bench's cluster it takes about a third of js-yaml's time: it
 * works a line at a time, keeps no position bookkeeping for error messages (js-yaml reports those when
 * the text is refused), and makes one string per distinct key and short value.
 */

/** Resolves a plain (unquoted) scalar as the schema does: the value of its implicit type, or the text. */
export type PlainResolver = (text: string) => unknown;

/** js-yaml's PATTERN_NON_PRINTABLE: text with such a character is left to js-yaml, which refuses it. */
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Plain values up to this length are remembered (see BlockReader.values). */
const SHORT = 24;

const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7E]/;

/** js-yaml's nesting limit is 100 nodes; giving up well before it leaves the error to js-yaml. */
const MAX_DEPTH = 40;

/** Thrown inside the reader when the text leaves the subset; never escapes parseBlockYaml. */
const GIVE_UP: unique symbol = Symbol('give up');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/**
 * Characters a plain key may start with here: what Kubernetes keys start with (labels, annotations,
 * fields, managedFields' `f:`, `k:{...}` and `.`). The rest of a key is any printable ASCII but a space;
 * in a block mapping only `: ` ends it (a `#` would need a space before it to start a comment).
 */
const KEY_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (/[A-Za-z0-9._/]/.test(String.fromCharCode(c))) KEY_START[c] = 1;
}

/**
 * First characters of a plain scalar that the schema may read as something other than a string:
 * `~`, null, true/false (any case js-yaml accepts), numbers, `.inf`/`.nan`, `<<`. A scalar starting with
 * anything else is a string, which saves running the type resolvers on most values.
 */
const MAY_RESOLVE = new Uint8Array(128);
for (const ch of '~nNtTfF0123456789+-.<') MAY_RESOLVE[ch.charCodeAt(0)] = 1;

/** Escapes of a double-quoted scalar with a one-character meaning (js-yaml's simpleEscapeSequence). */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\x00',
  a: '\x07',
  b: '\x08',
  t: '\x09',
  '\t': '\x09',
  n: '\x0A',
  v: '\x0B',
  f: '\x0C',
  r: '\x0D',
  e: '\x1B',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xA0',
  L: '\u2028',
  P: '\u2029',
};

/**
 * The documents of `text`, without the empty ones (js-yaml's loadAll filtered of null), or undefined
 * when the text uses anything outside the subset described above.
 */
export function parseBlockYaml(text: string, resolve: PlainResolver): unknown[] | undefined {
  // Printable ASCII and line feeds only (one quick scan) needs none of the finer checks.
  if (
    NOT_PRINTABLE_ASCII.test(text) &&
    (text.charCodeAt(0) === 0xfeff || text.includes('\t') || text.includes('\r') || NON_PRINTABLE.test(text))
  )
    return undefined;
  try {
    return new BlockReader(text, resolve).documents();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class BlockReader {
  /** The current line: its start, its end (the index of its '\n', or the text's length). */
  private ls = 0;
  private le = 0;
  /**
   * Its indentation in spaces; -1 at a document boundary (`---`) or the end of the text, so every open
   * collection closes there.
   */
  private ind = 0;
  /** Whether the current line holds only spaces or a comment. */
  private blank = false;
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly resolve: PlainResolver,
  ) {}

  documents(): unknown[] {
    const docs: unknown[] = [];
    this.setLine(0);
    for (;;) {
      this.skipBlank();
      if (this.ls >= this.s.length) return docs;
      if (this.ind < 0) {
        // A `---` line: the next document starts after it.
        this.setLine(this.le + 1);
        continue;
      }
      // A document here is a mapping at the left margin; anything else is js-yaml's to read.
      if (this.ind !== 0 || this.isDashLine()) giveUp();
      docs.push(this.mapping(0, this.ls));
      if (this.ind >= 0) giveUp();
    }
  }

  /** Moves to the line starting at `start` and measures it. */
  private setLine(start: number): void {
    const s = this.s;
    this.ls = start;
    if (start >= s.length) {
      this.le = start;
      this.ind = -1;
      this.blank = false;
      return;
    }
    let end = s.indexOf('\n', start);
    if (end < 0) end = s.length;
    this.le = end;
    let i = start;
    while (i < end && s.charCodeAt(i) === SPACE) i++;
    this.blank = i === end || s.charCodeAt(i) === HASH;
    this.ind = i - start;
    if (i === start && end - start >= 3 && s.startsWith('---', start)) {
      if (end - start > 3 && s.charCodeAt(start + 3) !== SPACE) return; // a plain `---x`
      for (let j = start + 3; j < end; j++) if (s.charCodeAt(j) !== SPACE) giveUp(); // `--- content`
      this.ind = -1;
      this.blank = false;
    } else if (i === start && (s.startsWith('...', start) || s.charCodeAt(start) === 37) /* % */) {
      giveUp(); // document end markers and directives
    }
  }

  private next(): void {
    this.setLine(this.le + 1);
  }

  /** Skips lines holding only spaces or a comment (they may be indented anyhow). */
  private skipBlank(): void {
    while (this.blank) this.next();
  }

  /**
   * After a scalar value: the next content line must not be indented past the collection entry that
   * held it (that would continue a multi-line scalar, or be an error js-yaml reports). Comments
   * indented past it are left to js-yaml too.
   */
  private afterScalar(owner: number): void {
    this.next();
    while (this.blank) {
      if (this.ind > owner && this.ind < this.le - this.ls) giveUp();
      this.next();
    }
    if (this.ind > owner) giveUp();
  }

  /** Whether the current line's content starts with a sequence entry's `-`. */
  private isDashLine(): boolean {
    const p = this.ls + this.ind;
    if (this.s.charCodeAt(p) !== DASH) return false;
    return p + 1 === this.le || this.s.charCodeAt(p + 1) === SPACE;
  }

  /** The index of the `:` ending a simple key that starts at `p`, or -1 when the line holds no such key. */
  private keyColon(p: number): number {
    const s = this.s;
    const le = this.le;
    const c0 = s.charCodeAt(p);
    if (c0 >= 128 || !KEY_START[c0]) return -1;
    for (let i = p + 1; i < le; i++) {
      const c = s.charCodeAt(i);
      if (c === COLON) {
        if (i + 1 === le || s.charCodeAt(i + 1) === SPACE) return i;
      } else if (c <= SPACE || c >= 127) {
        return -1;
      }
    }
    return -1;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) giveUp();
  }

  /**
   * A block mapping whose entries sit at column `indent`; its first key starts at `first` on the
   * current line (later than the indentation when the mapping opens a sequence entry: `- name: x`).
   * Returns at the first content line indented less; leaves the cursor there.
   */
  private mapping(indent: number, first: number): Record<string, unknown> {
    this.enter();
    const s = this.s;
    const out: Record<string, unknown> = {};
    let p = first;
    for (;;) {
      const colon = this.keyColon(p);
      if (colon < 0) giveUp();
      const key = this.key(p, colon);
      if (Object.hasOwn(out, key)) giveUp(); // a duplicate key is js-yaml's error to report
      let v = colon + 1;
      while (v < this.le && s.charCodeAt(v) === SPACE) v++;
      out[key] =
        v === this.le || s.charCodeAt(v) === HASH ? this.nested(indent, true) : this.inline(v, indent);
      this.skipBlank();
      if (this.ind < indent) break;
      if (this.ind > indent || this.isDashLine()) giveUp();
      p = this.ls + indent;
    }
    this.depth--;
    return out;
  }

  /**
   * Keys seen so far by a hash of their characters: a manifest repeats a few hundred keys thousands of
   * times, and slicing each again made garbage the property store then threw away.
   */
  private readonly keys = new Map<number, string>();

  /** A plain key as the schema reads it: keys that resolve to anything but themselves are left to js-yaml. */
  private key(p: number, colon: number): string {
    const s = this.s;
    let h = colon - p;
    for (let i = p; i < colon; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const known = this.keys.get(h);
    if (known !== undefined && known.length === colon - p && s.startsWith(known, p)) return known;
    const key = s.slice(p, colon);
    if (known === undefined && this.keys.size < 4096) this.keys.set(h, key);
    if (key === '__proto__') giveUp();
    const c = key.charCodeAt(0);
    if (MAY_RESOLVE[c] && this.resolve(key) !== key) giveUp();
    return key;
  }

  /**
   * The value of an entry with nothing after its indicator (`key:` or `-`): a collection on the
   * following lines indented past `indent` (or, for a key, a sequence at the key's own column), or null.
   */
  private nested(indent: number, compactSequence: boolean): unknown {
    this.next();
    this.skipBlank();
    if (this.ind > indent) {
      if (this.isDashLine()) return this.sequence(this.ind);
      const p = this.ls + this.ind;
      if (this.keyColon(p) < 0) giveUp(); // a scalar on its own line, a quoted key...
      return this.mapping(this.ind, p);
    }
    if (compactSequence && this.ind === indent && this.isDashLine()) return this.sequence(indent);
    return null;
  }

  /** A block sequence whose `-` sit at column `indent`; the current line is its first entry. */
  private sequence(indent: number): unknown[] {
    this.enter();
    const s = this.s;
    const out: unknown[] = [];
    for (;;) {
      let q = this.ls + indent + 1;
      while (q < this.le && s.charCodeAt(q) === SPACE) q++;
      if (q === this.le || s.charCodeAt(q) === HASH) {
        out.push(this.nested(indent, false));
      } else if (this.keyColon(q) >= 0) {
        out.push(this.mapping(q - this.ls, q));
      } else {
        const c = s.charCodeAt(q);
        if (c === DASH && (q + 1 === this.le || s.charCodeAt(q + 1) === SPACE)) giveUp(); // `- - x`
        out.push(this.inline(q, indent));
      }
      this.skipBlank();
      if (this.ind < indent) break;
      if (this.ind > indent) giveUp();
      if (!this.isDashLine()) break; // the key after a sequence at its key's column
    }
    this.depth--;
    return out;
  }

  /**
   * A value starting at `p` on the current line: a scalar, `{}`, a one-line flow sequence or a literal
   * block scalar. `owner` is the column of the entry holding it. Leaves the cursor on the next line.
   */
  private inline(p: number, owner: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(p);
    let value: unknown;
    switch (c) {
      case DQUOTE: {
        const end = this.doubleQuoted(p);
        value = this.quotedValue;
        this.endOfLine(end);
        break;
      }
      case SQUOTE: {
        const end = this.singleQuoted(p);
        value = this.quotedValue;
        this.endOfLine(end);
        break;
      }
      case 123 /* { */:
        if (s.charCodeAt(p + 1) !== 125 /* } */) giveUp();
        this.endOfLine(p + 2);
        value = {};
        break;
      case 91 /* [ */: {
        const arr: unknown[] = [];
        const end = this.flowSequence(p, arr);
        this.endOfLine(end);
        value = arr;
        break;
      }
      case 124 /* | */:
        return this.literal(p, owner);
      default:
        value = this.plain(p);
    }
    this.afterScalar(owner);
    return value;
  }

  /** Only spaces or a comment may follow a value on its line. */
  private endOfLine(i: number): void {
    const s = this.s;
    const le = this.le;
    if (i === le) return;
    if (s.charCodeAt(i) !== SPACE) giveUp();
    while (i < le && s.charCodeAt(i) === SPACE) i++;
    if (i < le && s.charCodeAt(i) !== HASH) giveUp();
  }

  /** A plain scalar running to the end of the line or to a comment. */
  private plain(p: number): unknown {
    const s = this.s;
    const le = this.le;
    const c = s.charCodeAt(p);
    // Indicators js-yaml does not start a plain scalar with, or reads as something else.
    if (
      c === 44 /* , */ ||
      c === 93 /* ] */ ||
      c === 125 /* } */ ||
      c === 38 /* & */ ||
      c === 42 /* * */ ||
      c === 33 /* ! */ ||
      c === 62 /* > */ ||
      c === 37 /* % */ ||
      c === 64 /* @ */ ||
      c === 96 /* ` */ ||
      c === 63 /* ? */ ||
      c === COLON ||
      (c === DASH && (p + 1 === le || s.charCodeAt(p + 1) === SPACE))
    )
      giveUp();
    let last = p; // one past the last non-space character
    for (let i = p; i < le; i++) {
      const ch = s.charCodeAt(i);
      if (ch === SPACE) continue;
      if (ch === HASH && s.charCodeAt(i - 1) === SPACE) break;
      if (ch === COLON && (i + 1 === le || s.charCodeAt(i + 1) === SPACE)) giveUp(); // `a: b: c`
      last = i + 1;
    }
    if (last - p > SHORT) return this.resolvePlain(s.slice(p, last));
    // Short values repeat (protocols, phases, images, ports...): one string and one resolution each.
    let h = last - p;
    for (let i = p; i < last; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const known = this.values.get(h);
    if (known !== undefined && known.text.length === last - p && s.startsWith(known.text, p))
      return known.value;
    const text = s.slice(p, last);
    const value = this.resolvePlain(text);
    if (known === undefined && this.values.size < 16384) this.values.set(h, { text, value });
    return value;
  }

  /** Short plain values seen so far, by a hash of their characters, with what they resolved to. */
  private readonly values = new Map<number, { readonly text: string; readonly value: unknown }>();

  private resolvePlain(text: string): unknown {
    return MAY_RESOLVE[text.charCodeAt(0)] ? this.resolve(text) : text;
  }

  /** Set by the quoted-scalar readers, which return where the scalar ends. */
  private quotedValue = '';

  private doubleQuoted(p: number): number {
    const s = this.s;
    const le = this.le;
    let out = '';
    let from = p + 1;
    for (let i = p + 1; i < le; i++) {
      const c = s.charCodeAt(i);
      if (c === DQUOTE) {
        this.quotedValue = out + s.slice(from, i);
        return i + 1;
      }
      if (c !== BACKSLASH) continue;
      out += s.slice(from, i);
      if (i + 1 >= le) giveUp(); // a line continuation
      const e = s[i + 1]!;
      const simple = Object.hasOwn(SIMPLE_ESCAPES, e) ? SIMPLE_ESCAPES[e] : undefined;
      if (simple !== undefined) {
        out += simple;
        i += 1;
      } else if (e === 'x' || e === 'u') {
        const n = e === 'x' ? 2 : 4;
        const hex = s.slice(i + 2, i + 2 + n);
        if (hex.length !== n || !/^[0-9A-Fa-f]+$/.test(hex)) giveUp();
        out += String.fromCharCode(parseInt(hex, 16));
        i += 1 + n;
      } else {
        giveUp(); // \U and unknown escapes
      }
      from = i + 1;
    }
    return giveUp(); // the scalar continues on the next line
  }

  private singleQuoted(p: number): number {
    const s = this.s;
    const le = this.le;
    let out = '';
    let from = p + 1;
    for (let i = p + 1; i < le; i++) {
      if (s.charCodeAt(i) !== SQUOTE) continue;
      if (s.charCodeAt(i + 1) === SQUOTE && i + 1 < le) {
        out += s.slice(from, i + 1);
        i += 1;
        from = i + 1;
        continue;
      }
      this.quotedValue = out + s.slice(from, i);
      return i + 1;
    }
    return giveUp();
  }

  /** `[]` or `[a, b, c]` of plain scalars on one line; returns the index after `]`. */
  private flowSequence(p: number, out: unknown[]): number {
    const s = this.s;
    const le = this.le;
    let i = p + 1;
    if (s.charCodeAt(i) === 93 /* ] */) return i + 1;
    for (;;) {
      while (i < le && s.charCodeAt(i) === SPACE) i++;
      const start = i;
      let last = i;
      for (; i < le; i++) {
        const c = s.charCodeAt(i);
        if (c === 44 /* , */ || c === 93 /* ] */) break;
        // Nested flow, quotes, comments, anchors, tags, keys: js-yaml's.
        if (
          c === 91 ||
          c === 123 ||
          c === 125 ||
          c === DQUOTE ||
          c === SQUOTE ||
          c === HASH ||
          c === COLON ||
          c === 38 ||
          c === 42 ||
          c === 33 ||
          c === 124 ||
          c === 62 ||
          c === 37 ||
          c === 64 ||
          c === 96 ||
          c === 63
        )
          giveUp();
        if (c !== SPACE) last = i + 1;
      }
      if (i >= le || last === start) giveUp(); // unclosed, or an empty entry
      if (s.charCodeAt(start) === DASH && (start + 1 === last || s.charCodeAt(start + 1) === SPACE)) giveUp();
      const text = s.slice(start, last);
      out.push(MAY_RESOLVE[text.charCodeAt(0)] ? this.resolve(text) : text);
      if (s.charCodeAt(i) === 93) return i + 1;
      i++; // the comma
    }
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`): its lines indented like its first one, which must be
   * indented past `owner`. Lines of spaces only, explicit indentation and comments after the header are
   * js-yaml's.
   */
  private literal(p: number, owner: number): string {
    const s = this.s;
    let chomp = 0; // 0 clip, 1 strip, 2 keep
    let h = p + 1;
    const c = s.charCodeAt(h);
    if (c === DASH) chomp = 1;
    else if (c === 43 /* + */) chomp = 2;
    if (chomp) h++;
    if (h !== this.le) giveUp();
    let text = '';
    let indent = -1;
    let empty = 0;
    let read = false;
    for (;;) {
      this.setLine(this.le + 1);
      if (this.ls >= s.length || this.ind < 0) break;
      if (this.ls === this.le) {
        empty++;
        continue;
      }
      const ind = this.ind;
      if (ind === this.le - this.ls) giveUp(); // spaces only
      if (indent < 0) {
        if (ind <= owner || empty > 0) giveUp();
        indent = ind;
      } else if (ind < indent) {
        break;
      }
      if (read) text += '\n'.repeat(1 + empty);
      text += s.slice(this.ls + indent, this.le);
      read = true;
      empty = 0;
    }
    if (!read) giveUp();
    if (chomp === 0) text += '\n';
    else if (chomp === 2) text += '\n'.repeat(1 + empty);
    // The cursor is on the line that ended the scalar: check it as after any scalar.
    while (this.blank) {
      if (this.ind > owner && this.ind < this.le - this.ls) giveUp();
      this.next();
    }
    if (this.ind > owner) giveUp();
    return text;
  }
}
