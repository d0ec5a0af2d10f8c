/**
 * Writes a DNS response (RFC 1035 section 4.1) from presentation-form records, with what dns-packet's
 * encoder lacks and a real server needs:
 * - name compression (section 4.1.4) for owner names and the names inside NS, CNAME, PTR, MX and SOA
 *   (not SRV targets: RFC 2782 forbids it), so answers are as small as CoreDNS's;
 * - truncation to a size limit: whole records are added in order (answer, authority, additional) while
 *   they fit. Any record left out sets TC, additional ones included: RFC 2181 section 9 would spare
 *   those, but CoreDNS truncates with miekg/dns, which cannot tell which records are required and
 *   sets TC whenever one is dropped, so a client retries over TCP and gets the glue. The EDNS0 OPT
 *   record always fits, its room kept from the start.
 */
import { parseIP } from '../../domain/net/ip.js';
import type { DnsRecord } from '../../domain/dns/types.js';

const TYPE_CODE: Record<DnsRecord['type'], number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
};
const CLASS_IN = 1;
const OPT_SIZE = 11;
const TC = 0x0200;

export interface WireOpt {
  /** The UDP payload size to advertise. */
  readonly udpSize: number;
  /** The upper 8 bits of a 12-bit rcode (BADVERS = 16 is extended rcode 1). */
  readonly extendedRcode: number;
  readonly version: number;
  readonly dnssecOk: boolean;
}

export interface WireResponse {
  readonly id: number;
  /** Header flags without QR, TC and RCODE (those are set here). */
  readonly flags: number;
  /** The low 4 bits of the rcode. */
  readonly rcode: number;
  /** The question exactly as it came (name bytes, type, class), echoed unchanged. */
  readonly question?: {
    readonly name: Buffer;
    readonly labels: readonly string[];
    readonly type: number;
    readonly class: number;
  };
  readonly answer: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  readonly additional: readonly DnsRecord[];
  readonly opt?: WireOpt;
}

class Writer {
  buf = Buffer.alloc(512);
  len = 0;
  /** Exact-case name suffix -> offset of its first label, for compression pointers. */
  readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }
  /** Records where the labels of a name already written start, for later pointers. */
  remember(labels: readonly string[], start: number): string[] {
    const added: string[] = [];
    let off = start;
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).join('.');
      if (off < 0x4000 && !this.names.has(key)) {
        this.names.set(key, off);
        added.push(key);
      }
      off += 1 + Buffer.byteLength(labels[i]!, 'latin1');
    }
    return added;
  }
  /** Writes an absolute name (`a.b.` or `.`), compressed when allowed. Returns the suffixes it added. */
  name(text: string, compress: boolean): string[] {
    const labels = text === '.' || text === '' ? [] : text.replace(/\.$/, '').split('.');
    const added: string[] = [];
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).join('.');
      const at = compress ? this.names.get(key) : undefined;
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return added;
      }
      if (compress && this.len < 0x4000 && !this.names.has(key)) {
        this.names.set(key, this.len);
        added.push(key);
      }
      const label = Buffer.from(labels[i]!, 'latin1');
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
    return added;
  }
}

function ipBytes(text: string, family: 4 | 6): Buffer {
  const ip = parseIP(text);
  if (!ip || ip.family !== family) throw new Error(`bad ${family === 4 ? 'A' : 'AAAA'} data ${text}`);
  const out = Buffer.alloc(family === 4 ? 4 : 16);
  let v = ip.value;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Writes one resource record; returns the compression suffixes it added (to undo on rollback). */
function writeRecord(w: Writer, r: DnsRecord): string[] {
  const added = w.name(r.name, true);
  w.u16(TYPE_CODE[r.type]);
  w.u16(CLASS_IN);
  w.u32(r.ttl);
  const lenAt = w.len;
  w.u16(0);
  const start = w.len;
  const parts = r.data.split(/\s+/);
  switch (r.type) {
    case 'A':
      w.bytes(ipBytes(r.data, 4));
      break;
    case 'AAAA':
      w.bytes(ipBytes(r.data, 6));
      break;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      added.push(...w.name(r.data, true));
      break;
    case 'MX':
      w.u16(Number(parts[0]));
      added.push(...w.name(parts[1] ?? '.', true));
      break;
    case 'SRV':
      w.u16(Number(parts[0]));
      w.u16(Number(parts[1]));
      w.u16(Number(parts[2]));
      w.name(parts[3] ?? '.', false);
      break;
    case 'SOA':
      added.push(...w.name(parts[0] ?? '.', true), ...w.name(parts[1] ?? '.', true));
      for (let i = 2; i < 7; i++) w.u32(Number(parts[i]));
      break;
    case 'TXT':
      for (const m of r.data.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
        const b = Buffer.from(m[1]!.replace(/\\(.)/g, '$1'), 'utf8').subarray(0, 255);
        w.u8(b.length);
        w.bytes(b);
      }
      break;
  }
  w.buf.writeUInt16BE(w.len - start, lenAt);
  return added;
}

export function encodeResponse(r: WireResponse, limit: number): Buffer {
  const w = new Writer();
  const hdr = { qd: r.question ? 1 : 0, an: 0, ns: 0, ar: 0 };
  w.len = 12;
  w.buf.fill(0, 0, 12);
  if (r.question) {
    w.remember(r.question.labels, 12);
    w.bytes(r.question.name);
    w.u16(r.question.type);
    w.u16(r.question.class);
  }
  const budget = limit - (r.opt ? OPT_SIZE : 0);
  let truncated = false;
  const sections: [readonly DnsRecord[], 'an' | 'ns' | 'ar'][] = [
    [r.answer, 'an'],
    [r.authority, 'ns'],
    [r.additional, 'ar'],
  ];
  outer: for (const [records, key] of sections) {
    for (const rec of records) {
      const mark = w.len;
      const added = writeRecord(w, rec);
      if (w.len > budget) {
        w.len = mark;
        for (const k of added) w.names.delete(k);
        truncated = true;
        break outer;
      }
      hdr[key]++;
    }
  }
  if (r.opt) {
    w.u8(0); // root
    w.u16(41);
    w.u16(r.opt.udpSize);
    w.u32(
      ((r.opt.extendedRcode & 0xff) << 24) | ((r.opt.version & 0xff) << 16) | (r.opt.dnssecOk ? 0x8000 : 0),
    );
    w.u16(0);
    hdr.ar++;
  }
  const flags = 0x8000 | (r.flags & 0x7df0) | (truncated ? TC : 0) | (r.rcode & 0xf);
  w.buf.writeUInt16BE(r.id, 0);
  w.buf.writeUInt16BE(flags, 2);
  w.buf.writeUInt16BE(hdr.qd, 4);
  w.buf.writeUInt16BE(hdr.an, 6);
  w.buf.writeUInt16BE(hdr.ns, 8);
  w.buf.writeUInt16BE(hdr.ar, 10);
  return Buffer.from(w.buf.subarray(0, w.len));
}
