import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import * as packet from 'dns-packet';
import dgram from 'node:dgram';
import net from 'node:net';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { DnsRecord, DnsResponse, Rcode } from '../../domain/dns/types.js';
import { DnsService } from './dns.service.js';
import { parseQuery, type ParsedQuery } from './query-parser.js';

const RCODE: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
const OPCODE_QUERY = 0;
/** The UDP payload netmodel advertises and the largest it sends (the DNS flag day's 1232 bytes). */
export const EDNS_UDP_SIZE = 1232;
/** Without EDNS0 a UDP answer is at most 512 bytes (RFC 1035 section 4.2.1). */
const PLAIN_UDP_SIZE = 512;
const TCP_IDLE_MS = 10_000;

/** The RDATA of a presentation-form record as dns-packet takes it. */
function rdata(r: DnsRecord): unknown {
  const strip = (n: string) => (n.endsWith('.') && n !== '.' ? n.slice(0, -1) : n);
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return strip(r.data);
    case 'SRV': {
      const [priority, weight, port, target] = r.data.split(/\s+/);
      return {
        priority: Number(priority),
        weight: Number(weight),
        port: Number(port),
        target: strip(target ?? '.'),
      };
    }
    case 'MX': {
      const [preference, exchange] = r.data.split(/\s+/);
      return { preference: Number(preference), exchange: strip(exchange ?? '.') };
    }
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = r.data.split(/\s+/);
      return {
        mname: strip(mname ?? '.'),
        rname: strip(rname ?? '.'),
        serial: Number(serial),
        refresh: Number(refresh),
        retry: Number(retry),
        expire: Number(expire),
        minimum: Number(minimum),
      };
    }
    case 'TXT':
      return [...r.data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  }
}

function toWire(r: DnsRecord): packet.Answer {
  const name = r.name.endsWith('.') && r.name !== '.' ? r.name.slice(0, -1) : r.name;
  return { name, type: r.type, class: 'IN', ttl: r.ttl, data: rdata(r) } as packet.Answer;
}

/**
 * The real DNS server (NETMODEL_DNS_PORT): RFC 1035 over UDP and TCP, answered by the same resolver as
 * GraphQL and REST.
 * - EDNS0: a query's OPT record sets the UDP size (512 without one); answers carry an OPT of 1232.
 * - A UDP answer larger than that is sent empty with TC set, and the client retries over TCP.
 * - Queries are read by query-parser.ts (bounded, strict). One that does not parse is answered FORMERR
 *   when its 12-byte header can be read, and dropped otherwise; responses (QR set) are dropped; opcodes
 *   other than QUERY get NOTIMP; classes other than IN get REFUSED.
 * - Types the resolver does not serve are answered as CoreDNS does for them: NODATA when the name exists,
 *   NXDOMAIN when it does not.
 */
@Injectable()
export class DnsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DnsServer.name);
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly dns: DnsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The ports actually bound (a configured 0 picks free ones; tests read them here). */
  ports(): { udp?: number; tcp?: number } {
    const tcpAddr = this.tcp?.address();
    return {
      udp: this.udp?.address().port,
      tcp: tcpAddr && typeof tcpAddr === 'object' ? tcpAddr.port : undefined,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.dnsPort;
    if (port === undefined) return;
    const host = this.config.host;
    const family = net.isIPv6(host) ? 'udp6' : 'udp4';
    const udp = dgram.createSocket({ type: family, reuseAddr: false });
    udp.on('message', (msg, rinfo) => {
      const out = this.handle(msg, 'udp');
      if (out) udp.send(out, rinfo.port, rinfo.address);
    });
    udp.on('error', (e) => this.log.warn(`DNS UDP socket: ${e.message}`));
    await new Promise<void>((ok, fail) => {
      udp.once('error', fail);
      udp.bind(port, host, () => {
        udp.off('error', fail);
        ok();
      });
    });
    // A larger receive buffer rides out bursts (the kernel may cap it at net.core.rmem_max).
    try {
      udp.setRecvBufferSize(4 * 1024 * 1024);
    } catch {
      // keep the default
    }
    this.udp = udp;
    // TCP on the same port number as UDP (when 0 was asked for, the one UDP got).
    const tcp = net.createServer((s) => this.serveTcp(s));
    await new Promise<void>((ok, fail) => {
      tcp.once('error', fail);
      tcp.listen(udp.address().port, host, () => {
        tcp.off('error', fail);
        ok();
      });
    });
    this.tcp = tcp;
    this.log.log(`DNS server listening on ${host}:${udp.address().port} (UDP and TCP)`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.udp?.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => (this.tcp ? this.tcp.close(() => ok()) : ok()));
  }

  private serveTcp(s: net.Socket): void {
    this.sockets.add(s);
    s.setTimeout(TCP_IDLE_MS, () => s.destroy());
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      // Several length-prefixed messages may arrive in one chunk, or one across several.
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = this.handle(msg, 'tcp');
        if (!out) {
          s.destroy();
          return;
        }
        const framed = Buffer.alloc(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        s.write(framed);
      }
    });
  }

  /** One message in, one message out (undefined: drop it). Never throws. */
  handle(msg: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    try {
      const parsed = parseQuery(msg);
      if (parsed.kind === 'drop') return undefined;
      const q = parsed.query;
      if (parsed.kind === 'formerr') return this.encode(q, 'FORMERR');
      if (q.opcode !== OPCODE_QUERY) return this.encode(q, 'NOTIMP');
      const question = q.question!;
      if (question.class !== 'IN') return this.encode(q, 'REFUSED');
      let response: DnsResponse;
      try {
        response = this.answer(question);
      } catch (e) {
        this.log.error(`DNS query ${question.name} ${question.type} failed: ${(e as Error).message}`);
        return this.encode(q, 'SERVFAIL');
      }
      return this.encode(q, response.rcode, response, transport);
    } catch (e) {
      // Encoding what we decoded cannot fail for a well-formed query; if it does, drop rather than die.
      this.log.error(`DNS message dropped: ${(e as Error).message}`);
      return undefined;
    }
  }

  private answer(question: NonNullable<ParsedQuery['question']>): DnsResponse {
    const name = question.name === '' ? '.' : `${question.name}.`;
    // The resolver answers every type as CoreDNS does, AXFR (REFUSED) and unknown ones (NODATA or
    // NXDOMAIN) included.
    return this.dns.answer(name, String(question.type).toUpperCase());
  }

  private encode(q: ParsedQuery, rcode: Rcode, r?: DnsResponse, transport: 'udp' | 'tcp' = 'udp'): Buffer {
    const flags =
      (OPCODE_QUERY << 11) |
      (r?.authoritative ? packet.AUTHORITATIVE_ANSWER : 0) |
      (q.rd ? packet.RECURSION_DESIRED : 0) |
      RCODE[rcode];
    const opt: packet.Answer[] =
      q.edns !== undefined
        ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, flags: 0 } as packet.Answer]
        : [];
    const base = {
      id: q.id,
      type: 'response' as const,
      questions: q.question ? [q.question as packet.Question] : [],
    };
    const full = packet.encode({
      ...base,
      flags,
      answers: (r?.answer ?? []).map(toWire),
      authorities: (r?.authority ?? []).map(toWire),
      additionals: [...(r?.additional ?? []).map(toWire), ...opt],
    });
    const limit = transport === 'tcp' ? 65535 : Math.min(q.edns ?? PLAIN_UDP_SIZE, EDNS_UDP_SIZE);
    if (full.length <= limit) return full;
    // Too large for this UDP answer: the header and question with TC set; the client retries over TCP.
    return packet.encode({
      ...base,
      flags: flags | packet.TRUNCATED_RESPONSE,
      answers: [],
      authorities: [],
      additionals: opt,
    });
  }
}
