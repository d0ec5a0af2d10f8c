import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import dgram from 'node:dgram';
import net from 'node:net';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { DnsResponse, Rcode } from '../../domain/dns/types.js';
import { DnsService } from './dns.service.js';
import { parseQuery, type ParsedQuery } from './query-parser.js';
import { encodeResponse } from './wire-encoder.js';

const RCODE: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
const OPCODE_QUERY = 0;
/** Without EDNS0 a UDP answer is at most 512 bytes (RFC 1035 section 4.2.1). */
const PLAIN_UDP_SIZE = 512;
const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 256;

/**
 * The real DNS server (NETMODEL_DNS_PORT): RFC 1035 over UDP and TCP, answered by the same resolver as
 * GraphQL and REST.
 * - EDNS0 as CoreDNS: the client's OPT sets the UDP size (at least 512; 512 without one), the answer's
 *   OPT advertises it back with DO copied, and an EDNS version other than 0 is answered BADVERS.
 * - Answers are written with name compression (wire-encoder.ts); one larger than the UDP size keeps the
 *   records that fit and sets TC, and the client retries over TCP. TCP is held to 65,535 bytes the same way.
 * - TCP: several queries per connection (pipelined), 10 s idle timeout, at most 256 connections, and a
 *   client that does not read its answers is paused until it does.
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
    if (this.sockets.size >= MAX_TCP_CONNECTIONS) {
      s.destroy();
      return;
    }
    this.sockets.add(s);
    s.setTimeout(TCP_IDLE_MS, () => s.destroy());
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
    // Chunks are kept in a list and joined once a whole message is there, so a message that arrives a
    // byte at a time costs its length, not its length squared.
    const chunks: Buffer[] = [];
    let have = 0;
    const take = (n: number): Buffer => {
      const out = Buffer.alloc(n);
      let filled = 0;
      while (filled < n) {
        const c = chunks[0]!;
        const k = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, k);
        filled += k;
        if (k === c.length) chunks.shift();
        else chunks[0] = c.subarray(k);
      }
      have -= n;
      return out;
    };
    let need = -1; // the length of the message being read, once its 2-byte prefix is in
    s.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      for (;;) {
        if (need < 0) {
          if (have < 2) return;
          need = take(2).readUInt16BE(0);
        }
        if (have < need) return;
        const out = this.handle(take(need), 'tcp');
        need = -1;
        if (!out) {
          s.end();
          return;
        }
        const framed = Buffer.alloc(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        // A client that pipelines queries without reading answers is paused until it drains.
        if (!s.write(framed)) {
          s.pause();
          s.once('drain', () => s.resume());
        }
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
      if (q.edns && q.edns.version > 0) return this.encode(q, 'BADVERS');
      if (question.wire.class !== 1) return this.encode(q, 'REFUSED');
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

  private encode(
    q: ParsedQuery,
    rcode: Rcode | 'BADVERS',
    r?: DnsResponse,
    transport: 'udp' | 'tcp' = 'udp',
  ): Buffer {
    const code = rcode === 'BADVERS' ? 16 : RCODE[rcode];
    // EDNS0 as CoreDNS's edns package does it: a size under 512 counts as 512, the reply advertises the
    // client's size and is held to it, DO is copied, and a version other than 0 is BADVERS.
    const size = q.edns ? Math.max(PLAIN_UDP_SIZE, q.edns.udpSize) : PLAIN_UDP_SIZE;
    const flags = (OPCODE_QUERY << 11) | (r?.authoritative ? 0x0400 : 0) | (q.rd ? 0x0100 : 0);
    return encodeResponse(
      {
        id: q.id,
        flags,
        rcode: code & 0xf,
        question: q.question?.wire,
        answer: r?.answer ?? [],
        authority: r?.authority ?? [],
        additional: r?.additional ?? [],
        opt: q.edns
          ? { udpSize: size, extendedRcode: code >> 4, version: 0, dnssecOk: q.edns.dnssecOk }
          : undefined,
      },
      transport === 'tcp' ? 65535 : size,
    );
  }
}
