/**
 * Cluster DNS through HTTP (GraphQL and REST) and the wire server (UDP and TCP, with dns-packet as the
 * client): answers, the pod's view, bad input, and 10,000 random packets that leave it answering.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as packet from 'dns-packet';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { DnsServer } from '../../src/modules/dns/dns.server.js';
import { startApp, type TestApp } from '../support/app.js';
import { applyHeadlessWithPods } from './e2e-helpers.js';

interface Rec {
  name: string;
  type: string;
  ttl: number;
  data: string;
}
interface Resp {
  rcode: string;
  authoritative: boolean;
  answer: Rec[];
  authority: Rec[];
  additional: Rec[];
}
const line = (r: Rec) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`;

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await startApp({ seed: 'demo', env: { NETMODEL_DNS_PORT: '0', HOST: '127.0.0.1' } });
  port = t.app.get(DnsServer).ports().udp!;
});
afterAll(async () => {
  await t.close({ drop: true });
});

describe('dnsQuery (GraphQL) and GET /netmodel/v1/dns', () => {
  const Q = `query($n: String!, $t: DnsRecordType) { dnsQuery(name: $n, type: $t) {
    rcode authoritative answer { name type ttl data } authority { name type ttl data } additional { name type ttl data } } }`;

  it.each([
    {
      name: 'api.shop.svc.cluster.local',
      type: 'A',
      rcode: 'NOERROR',
      answer: ['api.shop.svc.cluster.local. 30 IN A 10.96.100.11'],
    },
    {
      name: 'kube-dns.kube-system.svc.cluster.local.',
      type: 'A',
      rcode: 'NOERROR',
      answer: ['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10'],
    },
    { name: 'nope.shop.svc.cluster.local', type: 'A', rcode: 'NXDOMAIN', answer: [] },
    { name: 'api.shop.svc.cluster.local', type: 'AAAA', rcode: 'NOERROR', answer: [] },
    { name: 'example.com', type: 'A', rcode: 'REFUSED', answer: [] },
  ])('$name $type -> $rcode', async ({ name, type, rcode, answer }) => {
    const g = await t.gql<{ dnsQuery: Resp }>(Q, { n: name, t: type });
    expect(g.errors).toBeUndefined();
    expect(g.data.dnsQuery.rcode).toBe(rcode);
    expect(g.data.dnsQuery.answer.map(line)).toEqual(answer);
    const r = await t
      .http()
      .get(`/netmodel/v1/dns?name=${encodeURIComponent(name)}&type=${type}`)
      .expect(200);
    expect(r.body).toEqual(g.data.dnsQuery);
  });

  it('negative answers from the cluster zone carry its SOA', async () => {
    const g = await t.gql<{ dnsQuery: Resp }>(Q, { n: 'nope.shop.svc.cluster.local', t: 'A' });
    expect(g.data.dnsQuery.authority.map((r) => [r.name, r.type])).toEqual([['cluster.local.', 'SOA']]);
  });

  it.each([
    { name: 'a'.repeat(64) + '.shop.svc.cluster.local', why: 'must be no more than 63 characters' },
    { name: ('abcdefghi.'.repeat(26) + 'x').slice(0, 260), why: 'must be no more than 253 characters' },
    { name: 'bad..name', why: 'empty label' },
    { name: 'sp ace.cluster.local', why: "may contain only letters, digits, '-', '_' and '*'" },
  ])('a bad name is a 400 with a cause: $why', async ({ name, why }) => {
    const r = await t
      .http()
      .get(`/netmodel/v1/dns?name=${encodeURIComponent(name)}&type=A`)
      .expect(400);
    expect(r.body.reason).toBe('BadRequest');
    expect(r.body.details.causes[0].field).toBe('name');
    expect(r.body.details.causes[0].message).toContain(why);
    const g = await t.gql(Q, { n: name, t: 'A' });
    expect(g.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('an unknown type is a 400 listing the supported ones (REST) and a validation error (GraphQL)', async () => {
    const r = await t.http().get('/netmodel/v1/dns?name=api.shop.svc.cluster.local&type=BOGUS').expect(400);
    expect(r.body.details.causes[0]).toMatchObject({ field: 'type', reason: 'FieldValueNotSupported' });
    const g = await t.gql('{ dnsQuery(name: "x.cluster.local", type: BOGUS) { rcode } }');
    expect(g.errors?.length).toBeGreaterThan(0);
  });

  it('a missing name is a 400', async () => {
    const r = await t.http().get('/netmodel/v1/dns').expect(400);
    expect(r.body.message).toContain('name: Required value');
  });
});

describe("the pod's view: resolv.conf, /etc/hosts, the search walk", () => {
  it('Pod.resolvConf and Pod.hostsFile over GraphQL, and the same text over REST', async () => {
    const g = await t.gql<{ pod: { resolvConf: string; hostsFile: string } }>(
      '{ pod(namespace: "shop", name: "db-0") { resolvConf hostsFile } }',
    );
    expect(g.errors).toBeUndefined();
    const conf = g.data.pod.resolvConf;
    expect(conf).toContain('search shop.svc.cluster.local svc.cluster.local cluster.local');
    expect(conf).toContain('nameserver 10.96.0.10');
    expect(conf).toContain('options ndots:5');
    expect(g.data.pod.hostsFile).toContain('10.244.1.12\tdb-0.db.shop.svc.cluster.local\tdb-0');
    const rest = await t.http().get('/netmodel/v1/dns/resolv.conf?pod=shop/db-0').expect(200);
    expect(rest.text).toBe(conf);
    const hosts = await t.http().get('/netmodel/v1/dns/hosts?pod=shop/db-0').expect(200);
    expect(hosts.text).toBe(g.data.pod.hostsFile);
  });

  it('dnsLookup of an external name walks the search list first (ndots:5)', async () => {
    const g = await t.gql<{
      dnsLookup: { attempts: { name: string; rcode: string }[]; queriesSent: number; rcode: string };
    }>('{ dnsLookup(pod: "shop/db-0", name: "google.com") { attempts { name rcode } queriesSent rcode } }');
    expect(g.errors).toBeUndefined();
    expect(g.data.dnsLookup.attempts.map((a) => a.name)).toEqual([
      'google.com.shop.svc.cluster.local.',
      'google.com.svc.cluster.local.',
      'google.com.cluster.local.',
      'google.com.',
    ]);
    expect(g.data.dnsLookup.attempts.slice(0, 3).map((a) => a.rcode)).toEqual([
      'NXDOMAIN',
      'NXDOMAIN',
      'NXDOMAIN',
    ]);
    expect(g.data.dnsLookup.queriesSent).toBe(4);
  });

  it('dnsLookup of a short service name answers at the first suffix (REST form)', async () => {
    const r = await t.http().get('/netmodel/v1/dns/lookup?pod=shop/db-0&name=api&type=A').expect(200);
    expect(r.body.attempts).toEqual([
      { name: 'api.shop.svc.cluster.local.', type: 'A', rcode: 'NOERROR', answerCount: 1 },
    ]);
    expect(r.body.answer.map(line)).toEqual(['api.shop.svc.cluster.local. 30 IN A 10.96.100.11']);
    expect(r.body.queriesSent).toBe(1);
  });

  it('an unknown pod is a 404', async () => {
    const r = await t.http().get('/netmodel/v1/dns/lookup?pod=shop/ghost&name=api').expect(404);
    expect(r.body.reason).toBe('NotFound');
    const g = await t.gql('{ dnsLookup(pod: "shop/ghost", name: "api") { queriesSent } }');
    expect(g.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

// ---- the wire server -------------------------------------------------------------------------------

function udpQuery(buf: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m);
    });
    s.send(buf, port, '127.0.0.1');
  });
}

function tcpQuery(buf: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        c.end();
        resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
    c.on('error', reject);
    const framed = Buffer.alloc(2 + buf.length);
    framed.writeUInt16BE(buf.length, 0);
    buf.copy(framed, 2);
    c.write(framed);
  });
}

/** The fields these specs read from a decoded answer. */
interface Wire {
  id: number;
  type: string;
  flag_aa: boolean;
  flag_rd: boolean;
  flag_ra: boolean;
  rcode: string;
  answers: { name: string; type: string; ttl: number; data: unknown }[];
  authorities: { type: string }[];
  additionals: { type: string; udpPayloadSize?: number }[];
}
const decode = (b: Buffer | undefined): Wire => packet.decode(b!) as unknown as Wire;

const query = (name: string, type: string, id = 4242, edns?: number) =>
  packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: type as packet.RecordType, name }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: edns } as packet.Answer] : [],
  });

describe('the DNS server (UDP and TCP)', () => {
  it('answers A over UDP with the query id, AA and RD set, no RA', async () => {
    const out = decode(await udpQuery(query('api.shop.svc.cluster.local', 'A', 777)));
    expect(out.id).toBe(777);
    expect(out.type).toBe('response');
    expect(out.flag_aa).toBe(true);
    expect(out.flag_rd).toBe(true);
    expect(out.flag_ra).toBe(false);
    expect(out.rcode).toBe('NOERROR');
    expect(out.answers?.map((a) => [a.name, a.type, a.ttl, a.data])).toEqual([
      ['api.shop.svc.cluster.local', 'A', 30, '10.96.100.11'],
    ]);
  });

  it('answers over TCP the same as over UDP', async () => {
    const q = query('_http._tcp.api.shop.svc.cluster.local', 'SRV');
    const u = decode(await udpQuery(q));
    const c = decode(await tcpQuery(q));
    expect(c.answers).toEqual(u.answers);
    expect(c.answers?.[0]?.type).toBe('SRV');
  });

  it('TCP: a query sent a byte at a time, and two queries pipelined in one write, are each answered', async () => {
    const frame = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
    const answers = await new Promise<Buffer[]>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1');
      let got = Buffer.alloc(0);
      const out: Buffer[] = [];
      c.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        while (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
          out.push(got.subarray(2, 2 + got.readUInt16BE(0)));
          got = got.subarray(2 + got.readUInt16BE(0));
        }
        if (out.length === 3) {
          c.end();
          resolve(out);
        }
      });
      c.on('error', reject);
      void (async () => {
        const first = frame(query('api.shop.svc.cluster.local', 'A', 11));
        for (const byte of first) {
          c.write(Buffer.from([byte]));
          await new Promise((r) => setImmediate(r));
        }
        c.write(
          Buffer.concat([
            frame(query('db.shop.svc.cluster.local', 'A', 12)),
            frame(query('nope.shop.svc.cluster.local', 'A', 13)),
          ]),
        );
      })();
    });
    expect(answers.map((a) => decode(a).id)).toEqual([11, 12, 13]);
    expect(decode(answers[2]).rcode).toBe('NXDOMAIN');
  });

  it('NXDOMAIN with the SOA', async () => {
    const out = decode(await udpQuery(query('nope.shop.svc.cluster.local', 'A')));
    expect(out.rcode).toBe('NXDOMAIN');
    expect(out.authorities?.[0]?.type).toBe('SOA');
  });

  it('a type the resolver has no records of (HINFO) is NODATA for an existing name', async () => {
    const out = decode(await udpQuery(query('api.shop.svc.cluster.local', 'HINFO')));
    expect(out.rcode).toBe('NOERROR');
    expect(out.answers).toEqual([]);
  });

  it("EDNS0: advertises the client's size back, copies DO, treats a size under 512 as 512", async () => {
    const out = decode(await udpQuery(query('api.shop.svc.cluster.local', 'A', 1, 4096)));
    expect(out.additionals.find((a) => a.type === 'OPT')?.udpPayloadSize).toBe(4096);
    const withDo = packet.encode({
      type: 'query',
      id: 2,
      questions: [{ type: 'A', name: 'api.shop.svc.cluster.local' }],
      additionals: [
        { type: 'OPT', name: '.', udpPayloadSize: 100, flags: packet.DNSSEC_OK } as packet.Answer,
      ],
    });
    const r = decode(await udpQuery(withDo));
    const opt = r.additionals.find((a) => a.type === 'OPT') as { udpPayloadSize?: number; flag_do?: boolean };
    expect(opt.udpPayloadSize).toBe(512);
    expect(opt.flag_do).toBe(true);
    expect(r.answers).toHaveLength(1);
  });

  it('EDNS0 version 1 is answered BADVERS (extended rcode 16), with no records', async () => {
    const q = packet.encode({
      type: 'query',
      id: 3,
      questions: [{ type: 'A', name: 'api.shop.svc.cluster.local' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, ednsVersion: 1 } as packet.Answer],
    });
    const r = decode(await udpQuery(q));
    const opt = r.additionals.find((a) => a.type === 'OPT') as { extendedRcode?: number };
    expect(opt.extendedRcode).toBe(1);
    expect(r.answers).toEqual([]);
  });

  it('an unknown class is REFUSED with the question echoed byte for byte', async () => {
    const q = query('api.shop.svc.cluster.local', 'A', 5);
    q.writeUInt16BE(300, q.length - 2); // QCLASS
    const out = (await udpQuery(q))!;
    expect(out.readUInt16BE(2) & 0xf).toBe(5);
    expect(out.subarray(12, q.length).equals(q.subarray(12))).toBe(true);
  });

  it('compresses names: a 60-address headless answer fits in 4096 bytes of UDP without TC', async () => {
    await applyHeadlessWithPods(t, 'shop', 'wide', 60);
    const raw = (await udpQuery(query('wide.shop.svc.cluster.local', 'A', 6, 4096)))!;
    const out = decode(raw);
    expect(out.answers).toHaveLength(60);
    expect(raw.readUInt16BE(2) & 0x0200).toBe(0); // no TC
    // 60 A records with the owner compressed to a pointer: 16 bytes each, plus header and question.
    expect(raw.length).toBeLessThan(12 + 33 + 60 * 16 + 11 + 1);
    // Without EDNS (512 bytes) the records that fit are sent, with TC set.
    const small = (await udpQuery(query('wide.shop.svc.cluster.local', 'A', 7)))!;
    expect(small.readUInt16BE(2) & 0x0200).toBe(0x0200);
    expect(decode(small).answers.length).toBeGreaterThan(25);
  });

  it('sets TC when only additional records are left out, as CoreDNS (miekg/dns) does', async () => {
    await applyHeadlessWithPods(t, 'shop', 'mid', 6);
    // Without EDNS (512 bytes): all 6 SRV answers fit, not all 6 address records after them.
    const raw = (await udpQuery(query('_http._tcp.mid.shop.svc.cluster.local', 'SRV', 8)))!;
    const out = decode(raw);
    expect(out.answers).toHaveLength(6);
    expect((out.additionals ?? []).length).toBeLessThan(6);
    expect(raw.readUInt16BE(2) & 0x0200).toBe(0x0200);
    // With room, everything and no TC.
    const big = (await udpQuery(query('_http._tcp.mid.shop.svc.cluster.local', 'SRV', 9, 4096)))!;
    expect(decode(big).additionals.filter((a) => a.type === 'A')).toHaveLength(6);
    expect(big.readUInt16BE(2) & 0x0200).toBe(0);
  });

  it('answers a packet it cannot parse (with a readable header) with FORMERR', async () => {
    const junk = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0xff, 0xff]),
    ]);
    const out = (await udpQuery(junk))!;
    expect(out.readUInt16BE(0)).toBe(0x1234);
    expect(out.readUInt16BE(2) & 0x000f).toBe(1); // FORMERR
  });

  it('drops packets shorter than a header and responses', async () => {
    expect(await udpQuery(Buffer.from([1, 2, 3]), 300)).toBeUndefined();
    const resp = packet.encode({
      type: 'response',
      id: 9,
      questions: [{ type: 'A', name: 'x.cluster.local' }],
    });
    expect(await udpQuery(resp, 300)).toBeUndefined();
  });

  it('keeps answering after 10,000 random packets', async () => {
    const s = dgram.createSocket('udp4');
    for (let i = 0; i < 10_000; i++) {
      const len = 1 + (i % 600);
      await new Promise<void>((ok) => s.send(randomBytes(len), port, '127.0.0.1', () => ok()));
    }
    s.close();
    // UDP may drop a query while the server drains the burst: ask as a stub resolver would, with retries.
    let reply: Buffer | undefined;
    for (let attempt = 0; attempt < 10 && !reply; attempt++) {
      reply = await udpQuery(query('api.shop.svc.cluster.local', 'A', 31337), 1000);
    }
    const out = decode(reply);
    expect(out.id).toBe(31337);
    expect(out.answers?.[0]?.data).toBe('10.96.100.11');
    const res = await t.http().get('/healthz').expect(200);
    expect(res.status).toBe(200);
  }, 60_000);
});
