/**
 * A DNS query read from the wire, strictly and in bounded time. A query is small and simple (RFC 1035
 * section 4.1: a header, one question, and at most an EDNS0 OPT record), so netmodel reads it itself
 * rather than through a general decoder: every length is checked against the buffer, a question name
 * may not use compression pointers, and nothing is allocated in proportion to what the header claims.
 * Answers are written by wire-encoder.ts; dns-packet lends its type and class tables.
 */
import classes from 'dns-packet/classes.js';
import types from 'dns-packet/types.js';

export interface ParsedQuery {
  readonly id: number;
  readonly rd: boolean;
  readonly opcode: number;
  readonly question?: {
    readonly name: string;
    readonly type: string;
    readonly class: string;
    /** As it came, to be echoed unchanged: the name's wire bytes, its labels, the numeric type and class. */
    readonly wire: {
      readonly name: Buffer;
      readonly labels: readonly string[];
      readonly type: number;
      readonly class: number;
    };
  };
  /** The client's OPT record (absent: no EDNS0). */
  readonly edns?: { readonly udpSize: number; readonly version: number; readonly dnssecOk: boolean };
}

export type ParseResult =
  | { readonly kind: 'query'; readonly query: ParsedQuery }
  /** The header reads but the rest does not: answer FORMERR. */
  | { readonly kind: 'formerr'; readonly query: ParsedQuery }
  /** Not worth an answer: shorter than a header, or a response. */
  | { readonly kind: 'drop' };

const HEADER = 12;
const MAX_NAME = 255;
/** Label bytes netmodel takes in a question name: printable ASCII other than '.' and space. */
const printable = (b: number) => b > 0x20 && b < 0x7f && b !== 0x2e;

export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < HEADER) return { kind: 'drop' };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) return { kind: 'drop' };
  const head: ParsedQuery = { id, rd: (flags & 0x0100) !== 0, opcode: (flags >> 11) & 0xf };
  if (head.opcode !== 0) return { kind: 'query', query: head };
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  const ns = buf.readUInt16BE(8);
  const ar = buf.readUInt16BE(10);
  const bad = { kind: 'formerr' as const, query: head };
  if (qd !== 1 || an !== 0 || ns !== 0) return bad;

  // The question name: uncompressed labels only.
  let off = HEADER;
  const nameStart = off;
  const labels: string[] = [];
  let wire = 1;
  for (;;) {
    if (off >= buf.length) return bad;
    const len = buf[off++]!;
    if (len === 0) break;
    if (len & 0xc0) return bad; // a pointer (or a reserved label type) in a question
    if (off + len > buf.length) return bad;
    wire += len + 1;
    if (wire > MAX_NAME) return bad;
    for (let i = off; i < off + len; i++) if (!printable(buf[i]!)) return bad;
    labels.push(buf.toString('latin1', off, off + len));
    off += len;
  }
  if (off + 4 > buf.length) return bad;
  const nameBytes = Buffer.from(buf.subarray(nameStart, off));
  const qtype = buf.readUInt16BE(off);
  const qclass = buf.readUInt16BE(off + 2);
  off += 4;
  const question = {
    name: labels.join('.'),
    type: types.toString(qtype),
    class: classes.toString(qclass),
    wire: { name: nameBytes, labels, type: qtype, class: qclass },
  };

  // Additional records: find the OPT (EDNS0), skip the rest; each within the buffer.
  let edns: ParsedQuery['edns'];
  for (let i = 0; i < ar; i++) {
    if (off >= buf.length) return bad;
    // The owner name: the root for OPT; anything else is skipped label by label (a pointer ends it).
    for (;;) {
      if (off >= buf.length) return bad;
      const len = buf[off++]!;
      if (len === 0) break;
      if ((len & 0xc0) === 0xc0) {
        off++;
        break;
      }
      if (len & 0xc0) return bad;
      off += len;
    }
    if (off + 10 > buf.length) return bad;
    const type = buf.readUInt16BE(off);
    const cls = buf.readUInt16BE(off + 2);
    const ttl = buf.readUInt32BE(off + 4);
    const rdlen = buf.readUInt16BE(off + 8);
    off += 10 + rdlen;
    if (off > buf.length) return bad;
    if (type === 41) {
      if (edns !== undefined) return bad; // two OPT records (RFC 6891 section 6.1.1)
      edns = { udpSize: cls, version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
    }
  }
  return { kind: 'query', query: { ...head, question, ...(edns !== undefined ? { edns } : {}) } };
}
