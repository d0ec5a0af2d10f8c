import { describe, expect, it } from '@jest/globals';
import type { KubeObject, Service } from '../model/types.js';
import type { DeepPartial } from '../../../test/factories/objects.js';
import {
  proxyService,
  proxySlice,
  ruleSetOf,
  TEST_NODE,
  upstreamOverallObjects,
  type EndpointSpec,
} from '../../../test/factories/proxy-cluster.js';
import { DomainError } from '../errors.js';
import { ipsetName, renderIpvs, type IpvsOptions } from './ipvs.js';
import type { ProxyRuleSet } from './service-ports.js';
import type { RenderedRules } from './text.js';

const CLUSTER_IP = '172.30.0.41';
const local = (ip: string): EndpointSpec => ({ ip, node: TEST_NODE });
const remote = (ip: string): EndpointSpec => ({ ip, node: 'other-node' });

/** ns1/svc1 on 172.30.0.41 (and fd00:10:96::41), port p80 TCP 80 unless overridden. */
function svc1(o: DeepPartial<Service> = {}): Service {
  return proxyService('ns1', 'svc1', {
    ...o,
    spec: { clusterIP: CLUSTER_IP, clusterIPs: [CLUSTER_IP], ...o.spec },
  });
}

function render(objects: KubeObject[], opts: IpvsOptions = {}, family: 4 | 6 = 4): RenderedRules {
  return renderIpvs(ruleSetOf(objects, family), opts);
}

function section(r: RenderedRules, tool: string): string {
  const s = r.sections.find((x) => x.tool === tool);
  if (!s) throw new Error(`no ${tool} section`);
  return s.text;
}

const ipvsadm = (r: RenderedRules): string => section(r, 'ipvsadm -R');
/** The `add` lines of the ipset section (the 17 create lines are always the same). */
const ipsetAdds = (r: RenderedRules): string[] =>
  section(r, 'ipset restore')
    .split('\n')
    .filter((l) => l.startsWith('add '));
const iptables = (r: RenderedRules): string =>
  section(
    r,
    r.sections.some((s) => s.tool === 'ip6tables-restore') ? 'ip6tables-restore' : 'iptables-restore',
  );
/** The rules of one chain of one table, in order. */
function chainRules(r: RenderedRules, table: 'nat' | 'filter', chain: string): string[] {
  const text = iptables(r);
  const body = text.slice(text.indexOf(`*${table}\n`));
  return body
    .slice(0, body.indexOf('COMMIT'))
    .split('\n')
    .filter((l) => l.startsWith(`-A ${chain} `));
}
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const V4_CREATES = [
  'create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-EXTERNAL-IP hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-EXTERNAL-IP-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-LOAD-BALANCER hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-LOAD-BALANCER-FW hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-LOAD-BALANCER-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-LOAD-BALANCER-SOURCE-IP hash:ip,port,ip family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-NODE-PORT-TCP bitmap:port range 0-65535 -exist',
  'create KUBE-NODE-PORT-LOCAL-TCP bitmap:port range 0-65535 -exist',
  'create KUBE-NODE-PORT-UDP bitmap:port range 0-65535 -exist',
  'create KUBE-NODE-PORT-LOCAL-UDP bitmap:port range 0-65535 -exist',
  'create KUBE-NODE-PORT-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-NODE-PORT-LOCAL-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536 -exist',
  'create KUBE-HEALTH-CHECK-NODE-PORT bitmap:port range 0-65535 -exist',
  'create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536 -exist',
];

describe('renderIpvs: one ClusterIP service', () => {
  it.each([
    { n: 0, want: lines('-A -t 172.30.0.41:80 -s rr'), count: 1 },
    {
      n: 1,
      want: lines('-A -t 172.30.0.41:80 -s rr', '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1'),
      count: 2,
    },
    {
      n: 2,
      want: lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-a -t 172.30.0.41:80 -r 10.180.0.2:80 -m -w 1',
      ),
      count: 3,
    },
    {
      n: 3,
      want: lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-a -t 172.30.0.41:80 -r 10.180.0.2:80 -m -w 1',
        '-a -t 172.30.0.41:80 -r 10.180.0.3:80 -m -w 1',
      ),
      count: 4,
    },
  ])('with $n endpoints: one virtual server, $n real servers', ({ n, want, count }) => {
    const eps = Array.from({ length: n }, (_, i) => remote(`10.180.0.${i + 1}`));
    const r = render([svc1(), proxySlice('ns1', 'svc1', eps)]);
    expect(ipvsadm(r)).toBe(want);
    expect(r.sections[0]!.ruleCount).toBe(count);
    // The virtual server stays without endpoints (upstream: "no real servers corresponding to no
    // endpoints"); the ClusterIP is in its sets and on kube-ipvs0 either way.
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
    ]);
    expect(section(r, 'ip -batch')).toBe(
      lines('link add kube-ipvs0 type dummy', 'address add 172.30.0.41/32 dev kube-ipvs0'),
    );
  });

  it('writes the whole output for one local endpoint', () => {
    const r = render([svc1(), proxySlice('ns1', 'svc1', [local('10.180.0.1')])]);
    expect(r.mode).toBe('ipvs');
    expect(r.sections.map((s) => s.tool)).toEqual([
      'ipvsadm -R',
      'ipset restore',
      'iptables-restore',
      'ip -batch',
    ]);
    expect(r.text).toBe(
      lines(
        '# ipvsadm -R',
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '# ipset restore',
        V4_CREATES[0]!,
        'add KUBE-LOOP-BACK 10.180.0.1,tcp:80,10.180.0.1 -exist',
        V4_CREATES[1]!,
        'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
        ...V4_CREATES.slice(2),
        'add KUBE-IPVS-IPS 172.30.0.41 -exist',
        '# iptables-restore',
        '# kube-proxy IPVS mode; load with --noflush. KUBE-IPVS-OUT-FILTER rules need the ipvs match (xt_ipvs)',
        '# and fail to load on a kernel without IPVS.',
        '*nat',
        ':KUBE-SERVICES - [0:0]',
        ':KUBE-POSTROUTING - [0:0]',
        ':KUBE-NODE-PORT - [0:0]',
        ':KUBE-LOAD-BALANCER - [0:0]',
        ':KUBE-MARK-MASQ - [0:0]',
        '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
        '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE',
        '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
        '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
        '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
        '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
        'COMMIT',
        '*filter',
        ':KUBE-FORWARD - [0:0]',
        ':KUBE-NODE-PORT - [0:0]',
        ':KUBE-PROXY-FIREWALL - [0:0]',
        ':KUBE-SOURCE-RANGES-FIREWALL - [0:0]',
        ':KUBE-IPVS-FILTER - [0:0]',
        ':KUBE-IPVS-OUT-FILTER - [0:0]',
        '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN',
        '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT',
        'COMMIT',
        '# ip -batch',
        'link add kube-ipvs0 type dummy',
        'address add 172.30.0.41/32 dev kube-ipvs0',
      ),
    );
    expect(r.sections.map((s) => s.ruleCount)).toEqual([2, 3, 20, 1]);
    expect(r.ruleCount).toBe(26);
  });

  it('declares the chains upstream TestCreateAndLinkKubeChain expects', () => {
    // pkg/proxy/ipvs/proxier_test.go, TestCreateAndLinkKubeChain:
    const expectedNATChains = `:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-LOAD-BALANCER - [0:0]
:KUBE-MARK-MASQ - [0:0]
`;
    const expectedFilterChains = `:KUBE-FORWARD - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SOURCE-RANGES-FIREWALL - [0:0]
:KUBE-IPVS-FILTER - [0:0]
:KUBE-IPVS-OUT-FILTER - [0:0]
`;
    const text = iptables(render([svc1()]));
    expect(text).toContain(`*nat\n${expectedNATChains}-A `);
    expect(text).toContain(`*filter\n${expectedFilterChains}-A `);
  });

  it('dismisses localhost first (upstream TestDismissLocalhostRuleExist: src 127.0.0.0/8, ::1/128)', () => {
    expect(chainRules(render([svc1()]), 'nat', 'KUBE-SERVICES')[0]).toBe(
      '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
    );
    const v6 = render([svc1({ spec: { clusterIPs: [CLUSTER_IP, 'fd00:10:96::41'] } })], {}, 6);
    expect(chainRules(v6, 'nat', 'KUBE-SERVICES')[0]).toBe('-A KUBE-SERVICES -s ::1/128 -j RETURN');
  });

  it('masquerades VIP-sourced traffic without a cluster CIDR, and everything with masqueradeAll', () => {
    const objs = [svc1()];
    const rule = (rs: ProxyRuleSet): string | undefined =>
      chainRules(renderIpvs(rs), 'nat', 'KUBE-SERVICES').find((l) => l.includes('-j KUBE-MARK-MASQ'));
    const head =
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP';
    expect(rule(ruleSetOf(objs, 4, { clusterCidrs: [] }))).toBe(`${head} src,dst -j KUBE-MARK-MASQ`);
    expect(rule(ruleSetOf(objs, 4, { masqueradeAll: true }))).toBe(`${head} dst,dst -j KUBE-MARK-MASQ`);
  });

  it('uses the rule set mark (kube-proxy default 0x00004000)', () => {
    const r = renderIpvs(ruleSetOf([svc1()], 4, { masqueradeMark: undefined }));
    expect(chainRules(r, 'nat', 'KUBE-MARK-MASQ')).toEqual([
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000',
    ]);
    expect(chainRules(r, 'nat', 'KUBE-POSTROUTING')[0]).toBe(
      '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN',
    );
  });

  it('puts every local endpoint in KUBE-LOOP-BACK, whatever its conditions', () => {
    // Upstream Test_EndpointSliceReadyAndTerminatingCluster counts the not-ready, not-serving,
    // terminating local endpoint 10.0.1.4 in KUBE-LOOP-BACK too.
    const r = render([
      svc1(),
      proxySlice('ns1', 'svc1', [
        local('10.0.1.1'),
        { ...local('10.0.1.4'), ready: false, serving: false, terminating: true },
        remote('10.0.1.5'),
      ]),
    ]);
    expect(ipsetAdds(r).filter((l) => l.includes('LOOP-BACK'))).toEqual([
      'add KUBE-LOOP-BACK 10.0.1.1,tcp:80,10.0.1.1 -exist',
      'add KUBE-LOOP-BACK 10.0.1.4,tcp:80,10.0.1.4 -exist',
    ]);
    // Only ready endpoints are real servers.
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.0.1.1:80 -m -w 1',
        '-a -t 172.30.0.41:80 -r 10.0.1.5:80 -m -w 1',
      ),
    );
  });

  it('gives an internalTrafficPolicy Local ClusterIP no real server without local endpoints', () => {
    // Upstream TestTestInternalTrafficPolicyE2E, "local with zero local endpoints": 0 real servers.
    const r = render([
      svc1({ spec: { internalTrafficPolicy: 'Local' } }),
      proxySlice('ns1', 'svc1', [remote('10.0.1.1'), remote('10.0.1.2')]),
    ]);
    expect(ipvsadm(r)).toBe(lines('-A -t 172.30.0.41:80 -s rr'));
    const withLocal = render([
      svc1({ spec: { internalTrafficPolicy: 'Local' } }),
      proxySlice('ns1', 'svc1', [remote('10.0.1.1'), local('10.0.1.2')]),
    ]);
    expect(ipvsadm(withLocal)).toBe(
      lines('-A -t 172.30.0.41:80 -s rr', '-a -t 172.30.0.41:80 -r 10.0.1.2:80 -m -w 1'),
    );
  });
});

describe('renderIpvs: NodePort and external traffic', () => {
  const nodePort = (
    o: DeepPartial<Service['spec']> = {},
    protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP',
  ): Service =>
    svc1({ spec: { type: 'NodePort', ports: [{ name: 'p80', port: 80, protocol, nodePort: 3001 }], ...o } });
  const twoNodeIPs = (rs: ProxyRuleSet): ProxyRuleSet => ({
    ...rs,
    node: { ...rs.node, addresses: ['192.168.0.2', '192.168.0.3'] },
  });

  it('adds a virtual server on every node address, and the port to KUBE-NODE-PORT-TCP', () => {
    const rs = twoNodeIPs(ruleSetOf([nodePort(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])]));
    const r = renderIpvs(rs);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr',
        '-a -t 192.168.0.2:3001 -r 10.180.0.1:80 -m -w 1',
        '-A -t 192.168.0.3:3001 -s rr',
        '-a -t 192.168.0.3:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
      'add KUBE-NODE-PORT-TCP 3001 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
    ]);
    // Node addresses are never bound to kube-ipvs0.
    expect(section(r, 'ip -batch')).not.toContain('192.168.0.');
    expect(chainRules(r, 'nat', 'KUBE-NODE-PORT')).toEqual([
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
    ]);
  });

  it('sends externalTrafficPolicy Local NodePort traffic to local endpoints only', () => {
    // Upstream TestNodePortIPv4 "node port service with protocol sctp and externalTrafficPolicy local"
    // (here TCP): the ClusterIP VS gets 10.180.0.1 and 10.180.1.1, the NodePort VS only 10.180.0.1.
    const r = render([
      nodePort({ externalTrafficPolicy: 'Local' }),
      proxySlice('ns1', 'svc1', [local('10.180.0.1'), remote('10.180.1.1')]),
    ]);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-a -t 172.30.0.41:80 -r 10.180.1.1:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr',
        '-a -t 192.168.0.2:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-LOOP-BACK 10.180.0.1,tcp:80,10.180.0.1 -exist',
      'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
      'add KUBE-NODE-PORT-TCP 3001 -exist',
      'add KUBE-NODE-PORT-LOCAL-TCP 3001 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
    ]);
    // Upstream TestOnlyLocalNodePorts, KUBE-NODE-PORT (nat, then filter):
    //   {JumpChain: "RETURN", MatchSet: kubeNodePortLocalSetTCP},
    //   {JumpChain: string(kubeMarkMasqChain), MatchSet: kubeNodePortSetTCP},
    //   {JumpChain: "ACCEPT", MatchSet: kubeHealthCheckNodePortSet},
    expect([...chainRules(r, 'nat', 'KUBE-NODE-PORT'), ...chainRules(r, 'filter', 'KUBE-NODE-PORT')]).toEqual(
      [
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
        '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
        '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
      ],
    );
  });

  it('falls back to cluster endpoints for externalTrafficPolicy Local without local endpoints', () => {
    // proxier.go syncEndpoint: with no local endpoint, "Allow access from local PODs even if no local
    // endpoints exist" (kubernetes PR 97081): the NodePort VS gets the cluster endpoints.
    const r = render([
      nodePort({ externalTrafficPolicy: 'Local' }),
      proxySlice('ns1', 'svc1', [remote('10.180.1.1')]),
    ]);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr',
        '-a -t 172.30.0.41:80 -r 10.180.1.1:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr',
        '-a -t 192.168.0.2:3001 -r 10.180.1.1:80 -m -w 1',
      ),
    );
  });

  it('skips the NodePort when the node has no address of the family', () => {
    const rs = ruleSetOf([nodePort(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])]);
    const r = renderIpvs({ ...rs, node: { ...rs.node, addresses: [] } });
    expect(ipvsadm(r)).toBe(
      lines('-A -t 172.30.0.41:80 -s rr', '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1'),
    );
    expect(ipsetAdds(r)).not.toContain('add KUBE-NODE-PORT-TCP 3001 -exist');
  });

  it('makes every virtual server of a ClientIP-affinity port persistent', () => {
    const r = render([
      nodePort({
        externalIPs: ['192.168.99.22'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
    ]);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr -p 10800',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-A -t 192.168.99.22:80 -s rr -p 10800',
        '-a -t 192.168.99.22:80 -r 10.180.0.1:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr -p 10800',
        '-a -t 192.168.0.2:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
  });

  it('writes UDP services with -u and KUBE-NODE-PORT-UDP', () => {
    const r = render([
      nodePort({}, 'UDP'),
      proxySlice('ns1', 'svc1', [local('10.180.0.1')], { protocol: 'UDP' }),
    ]);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -u 172.30.0.41:80 -s rr',
        '-a -u 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-A -u 192.168.0.2:3001 -s rr',
        '-a -u 192.168.0.2:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-LOOP-BACK 10.180.0.1,udp:80,10.180.0.1 -exist',
      'add KUBE-CLUSTER-IP 172.30.0.41,udp:80 -exist',
      'add KUBE-NODE-PORT-UDP 3001 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
    ]);
    expect(chainRules(r, 'nat', 'KUBE-NODE-PORT')).toEqual([
      '-A KUBE-NODE-PORT -p udp -m comment --comment "Kubernetes nodeport UDP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-UDP dst -j KUBE-MARK-MASQ',
    ]);
  });

  it('writes SCTP services with --sctp-service and one hash entry per node address', () => {
    // Upstream TestNodePortIPv4 "node port service with protocol sctp on a node with multiple nodeIPs":
    // a VS on 100.101.102.103/104/105:3001 and KUBE-NODE-PORT-SCTP-HASH entries for each of them.
    const rs = ruleSetOf([
      nodePort({ externalTrafficPolicy: 'Local' }, 'SCTP'),
      proxySlice('ns1', 'svc1', [local('10.180.0.1'), remote('10.180.1.1')], { protocol: 'SCTP' }),
    ]);
    const r = renderIpvs({ ...rs, node: { ...rs.node, addresses: ['100.101.102.103', '100.101.102.104'] } });
    expect(ipvsadm(r)).toBe(
      lines(
        '-A --sctp-service 172.30.0.41:80 -s rr',
        '-a --sctp-service 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-a --sctp-service 172.30.0.41:80 -r 10.180.1.1:80 -m -w 1',
        '-A --sctp-service 100.101.102.103:3001 -s rr',
        '-a --sctp-service 100.101.102.103:3001 -r 10.180.0.1:80 -m -w 1',
        '-A --sctp-service 100.101.102.104:3001 -s rr',
        '-a --sctp-service 100.101.102.104:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-LOOP-BACK 10.180.0.1,sctp:80,10.180.0.1 -exist',
      'add KUBE-CLUSTER-IP 172.30.0.41,sctp:80 -exist',
      'add KUBE-NODE-PORT-SCTP-HASH 100.101.102.103,sctp:3001 -exist',
      'add KUBE-NODE-PORT-SCTP-HASH 100.101.102.104,sctp:3001 -exist',
      'add KUBE-NODE-PORT-LOCAL-SCTP-HASH 100.101.102.103,sctp:3001 -exist',
      'add KUBE-NODE-PORT-LOCAL-SCTP-HASH 100.101.102.104,sctp:3001 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
    ]);
    // Upstream, same test file, "...sctp and externalTrafficPolicy local", KUBE-NODE-PORT:
    //   {JumpChain: "RETURN", MatchSet: kubeNodePortLocalSetSCTP},
    //   {JumpChain: string(kubeMarkMasqChain), MatchSet: kubeNodePortSetSCTP},
    //   {JumpChain: "ACCEPT", MatchSet: kubeHealthCheckNodePortSet},
    expect([...chainRules(r, 'nat', 'KUBE-NODE-PORT'), ...chainRules(r, 'filter', 'KUBE-NODE-PORT')]).toEqual(
      [
        `-A KUBE-NODE-PORT -p sctp -m comment --comment "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" -m set --match-set KUBE-NODE-PORT-LOCAL-SCTP-HASH dst,dst -j RETURN`,
        `-A KUBE-NODE-PORT -p sctp -m comment --comment "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" -m set --match-set KUBE-NODE-PORT-SCTP-HASH dst,dst -j KUBE-MARK-MASQ`,
        '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
      ],
    );
  });

  it('binds external IPs unless they are node addresses, and splits them by policy', () => {
    const r = render([
      svc1({ spec: { externalIPs: ['192.168.99.22', '192.168.0.2'] } }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
      proxyService('ns2', 'svc2', {
        spec: {
          type: 'NodePort',
          clusterIP: '172.30.0.42',
          clusterIPs: ['172.30.0.42'],
          externalIPs: ['192.168.99.33'],
          externalTrafficPolicy: 'Local',
        },
      }),
    ]);
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
      'add KUBE-CLUSTER-IP 172.30.0.42,tcp:80 -exist',
      'add KUBE-EXTERNAL-IP 192.168.99.22,tcp:80 -exist',
      'add KUBE-EXTERNAL-IP 192.168.0.2,tcp:80 -exist',
      'add KUBE-EXTERNAL-IP-LOCAL 192.168.99.33,tcp:80 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
      'add KUBE-IPVS-IPS 192.168.99.22 -exist',
      'add KUBE-IPVS-IPS 172.30.0.42 -exist',
      'add KUBE-IPVS-IPS 192.168.99.33 -exist',
    ]);
    expect(section(r, 'ip -batch')).toBe(
      lines(
        'link add kube-ipvs0 type dummy',
        'address add 172.30.0.41/32 dev kube-ipvs0',
        'address add 192.168.99.22/32 dev kube-ipvs0',
        'address add 172.30.0.42/32 dev kube-ipvs0',
        'address add 192.168.99.33/32 dev kube-ipvs0',
      ),
    );
    const ext = '"Kubernetes service external ip + port for masquerade and filter purpose"';
    const extLocal = '"Kubernetes service external ip + port with externalTrafficPolicy=local"';
    expect(chainRules(r, 'nat', 'KUBE-SERVICES').filter((l) => l.includes('EXTERNAL-IP'))).toEqual([
      `-A KUBE-SERVICES -m comment --comment ${ext} -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ`,
      `-A KUBE-SERVICES -m comment --comment ${ext} -m set --match-set KUBE-EXTERNAL-IP dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
      `-A KUBE-SERVICES -m comment --comment ${ext} -m set --match-set KUBE-EXTERNAL-IP dst,dst -m addrtype --dst-type LOCAL -j ACCEPT`,
      `-A KUBE-SERVICES -m comment --comment ${extLocal} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`,
      `-A KUBE-SERVICES -m comment --comment ${extLocal} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -m addrtype --dst-type LOCAL -j ACCEPT`,
    ]);
  });
});

describe('renderIpvs: LoadBalancer', () => {
  const lb = (o: DeepPartial<Service['spec']> = {}): Service =>
    svc1({
      spec: {
        type: 'LoadBalancer',
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
        ...o,
      },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    });

  it('lists the ingress IP, and chains KUBE-SERVICES as upstream TestLoadBalancer expects', () => {
    const r = render([lb(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])]);
    expect(ipvsadm(r)).toContain('-A -t 1.2.3.4:80 -s rr\n-a -t 1.2.3.4:80 -r 10.180.0.1:80 -m -w 1\n');
    expect(ipsetAdds(r)).toContain('add KUBE-LOAD-BALANCER 1.2.3.4,tcp:80 -exist');
    // Upstream TestLoadBalancer, KUBE-SERVICES: RETURN (src 127.0.0.0/8), KUBE-LOAD-BALANCER <-
    // KUBE-LOAD-BALANCER, KUBE-MARK-MASQ <- KUBE-CLUSTER-IP, KUBE-NODE-PORT, ACCEPT <- KUBE-CLUSTER-IP,
    // ACCEPT <- KUBE-LOAD-BALANCER.
    expect(chainRules(r, 'nat', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
      '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
      '-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT',
    ]);
  });

  it('returns Local LoadBalancer traffic early (upstream TestOnlyLocalLoadBalancing)', () => {
    const r = render([
      lb({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30000 }),
      proxySlice('ns1', 'svc1', [local('10.180.0.1'), remote('10.180.1.1')]),
    ]);
    // KUBE-LOAD-BALANCER: RETURN <- KUBE-LOAD-BALANCER-LOCAL, KUBE-MARK-MASQ <- "".
    expect(chainRules(r, 'nat', 'KUBE-LOAD-BALANCER')).toEqual([
      '-A KUBE-LOAD-BALANCER -m comment --comment "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN',
      '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
    ]);
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-LOOP-BACK 10.180.0.1,tcp:80,10.180.0.1 -exist',
      'add KUBE-CLUSTER-IP 172.30.0.41,tcp:80 -exist',
      'add KUBE-LOAD-BALANCER 1.2.3.4,tcp:80 -exist',
      'add KUBE-LOAD-BALANCER-LOCAL 1.2.3.4,tcp:80 -exist',
      'add KUBE-NODE-PORT-TCP 3001 -exist',
      'add KUBE-NODE-PORT-LOCAL-TCP 3001 -exist',
      'add KUBE-HEALTH-CHECK-NODE-PORT 30000 -exist',
      'add KUBE-IPVS-IPS 172.30.0.41 -exist',
      'add KUBE-IPVS-IPS 1.2.3.4 -exist',
    ]);
    expect(ipvsadm(r)).toContain('-A -t 1.2.3.4:80 -s rr\n-a -t 1.2.3.4:80 -r 10.180.0.1:80 -m -w 1\n-A ');
  });

  it('firewalls source ranges and blocks node access when the node IP is outside them', () => {
    const r = render([
      lb({ loadBalancerSourceRanges: ['203.0.113.0/25'] }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
    ]);
    expect(ipsetAdds(r).filter((l) => l.includes('LOAD-BALANCER'))).toEqual([
      'add KUBE-LOAD-BALANCER 1.2.3.4,tcp:80 -exist',
      'add KUBE-LOAD-BALANCER-FW 1.2.3.4,tcp:80 -exist',
      'add KUBE-LOAD-BALANCER-SOURCE-CIDR 1.2.3.4,tcp:80,203.0.113.0/25 -exist',
    ]);
    // Upstream TestLoadBalancerSourceRanges: KUBE-PROXY-FIREWALL is KUBE-SOURCE-RANGES-FIREWALL <-
    // KUBE-LOAD-BALANCER-FW; KUBE-SOURCE-RANGES-FIREWALL is RETURN <- KUBE-LOAD-BALANCER-SOURCE-CIDR, DROP.
    expect(chainRules(r, 'filter', 'KUBE-PROXY-FIREWALL')).toEqual([
      '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL',
    ]);
    expect(chainRules(r, 'filter', 'KUBE-SOURCE-RANGES-FIREWALL')).toEqual([
      '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN',
      '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
    ]);
    expect(chainRules(r, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([
      '-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP',
    ]);
  });

  it('lets the node reach the LoadBalancer IP when a source range holds the node IP', () => {
    const r = render([
      lb({ loadBalancerSourceRanges: ['192.168.0.0/24'] }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
    ]);
    expect(ipsetAdds(r)).toContain('add KUBE-LOAD-BALANCER-SOURCE-IP 1.2.3.4,tcp:80,1.2.3.4 -exist');
    expect(chainRules(r, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([]);
    expect(chainRules(r, 'filter', 'KUBE-SOURCE-RANGES-FIREWALL')).toContain(
      '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source IP for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-IP dst,dst,src -j RETURN',
    );
  });

  it('treats a zero-length source range as no firewall', () => {
    const r = render([
      lb({ loadBalancerSourceRanges: ['203.0.113.0/25', '0.0.0.0/0'] }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
    ]);
    expect(ipsetAdds(r).filter((l) => /FW|SOURCE/.test(l))).toEqual([]);
    expect(chainRules(r, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([]);
  });

  it('drops ipMode Proxy ingress IPs (upstream TestLoadBalancerIngressRouteTypeProxy)', () => {
    const r = render([
      svc1({
        spec: { type: 'LoadBalancer', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }] },
        status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'Proxy' }] } },
      }),
    ]);
    expect(ipvsadm(r)).not.toContain('1.2.3.4');
    expect(ipsetAdds(r).join('\n')).not.toContain('1.2.3.4');
  });
});

describe('renderIpvs: dual-stack', () => {
  const objs = (): KubeObject[] => [
    svc1({
      spec: {
        type: 'NodePort',
        clusterIPs: [CLUSTER_IP, 'fd00:10:96::41'],
        ipFamilies: ['IPv4', 'IPv6'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
        externalTrafficPolicy: 'Local',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
      },
    }),
    proxySlice('ns1', 'svc1', [local('10.180.0.1')]),
    proxySlice('ns1', 'svc1', [local('fd00:10::1'), remote('fd00:10::2')], { family: 6 }),
  ];

  it('writes the IPv6 proxier with [addr]:port, KUBE-6- sets, ip6tables and /128 addresses', () => {
    const r = render(objs(), {}, 6);
    expect(r.sections.map((s) => s.tool)).toEqual([
      'ipvsadm -R',
      'ipset restore',
      'ip6tables-restore',
      'ip -batch',
    ]);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t [fd00:10:96::41]:80 -s rr -p 300',
        '-a -t [fd00:10:96::41]:80 -r [fd00:10::1]:80 -m -w 1',
        '-a -t [fd00:10:96::41]:80 -r [fd00:10::2]:80 -m -w 1',
        '-A -t [2001:db8::1]:3001 -s rr -p 300',
        '-a -t [2001:db8::1]:3001 -r [fd00:10::1]:80 -m -w 1',
      ),
    );
    expect(ipsetAdds(r)).toEqual([
      'add KUBE-6-LOOP-BACK fd00:10::1,tcp:80,fd00:10::1 -exist',
      'add KUBE-6-CLUSTER-IP fd00:10:96::41,tcp:80 -exist',
      'add KUBE-6-NODE-PORT-TCP 3001 -exist',
      'add KUBE-6-NODE-PORT-LOCAL-TCP 3001 -exist',
      'add KUBE-6-IPVS-IPS fd00:10:96::41 -exist',
    ]);
    const creates = section(r, 'ipset restore')
      .split('\n')
      .filter((l) => l.startsWith('create '));
    expect(creates).toHaveLength(17);
    expect(creates).toContain(
      'create KUBE-6-LOAD-BALANCER-SOURCE-CID hash:ip,port,net family inet6 hashsize 1024 maxelem 65536 -exist',
    );
    expect(creates).toContain(
      'create KUBE-6-NODE-PORT-LOCAL-SCTP-HAS hash:ip,port family inet6 hashsize 1024 maxelem 65536 -exist',
    );
    expect(creates).toContain('create KUBE-6-NODE-PORT-TCP bitmap:port range 0-65535 -exist');
    expect(chainRules(r, 'filter', 'KUBE-IPVS-FILTER')).toEqual([
      '-A KUBE-IPVS-FILTER -m set --match-set KUBE-6-LOAD-BALANCER dst,dst -j RETURN',
      '-A KUBE-IPVS-FILTER -m set --match-set KUBE-6-CLUSTER-IP dst,dst -j RETURN',
      '-A KUBE-IPVS-FILTER -m set --match-set KUBE-6-EXTERNAL-IP dst,dst -j RETURN',
      '-A KUBE-IPVS-FILTER -m set --match-set KUBE-6-EXTERNAL-IP-LOCAL dst,dst -j RETURN',
      '-A KUBE-IPVS-FILTER -m set --match-set KUBE-6-HEALTH-CHECK-NODE-PORT dst -j RETURN',
      '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-6-IPVS-IPS dst -j REJECT',
    ]);
    expect(section(r, 'ip -batch')).toBe(
      lines('link add kube-ipvs0 type dummy', 'address add fd00:10:96::41/128 dev kube-ipvs0'),
    );
  });

  it('keeps the IPv4 proxier to its own family', () => {
    const r = render(objs(), {}, 4);
    expect(ipvsadm(r)).toBe(
      lines(
        '-A -t 172.30.0.41:80 -s rr -p 300',
        '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr -p 300',
        '-a -t 192.168.0.2:3001 -r 10.180.0.1:80 -m -w 1',
      ),
    );
    expect(section(r, 'ipset restore')).not.toContain('KUBE-6-');
  });

  it('names IPv6 sets as kube-proxy does, cut to 31 characters', () => {
    expect(ipsetName('KUBE-CLUSTER-IP', 4)).toBe('KUBE-CLUSTER-IP');
    expect(ipsetName('KUBE-CLUSTER-IP', 6)).toBe('KUBE-6-CLUSTER-IP');
    expect(ipsetName('KUBE-LOAD-BALANCER-SOURCE-CIDR', 6)).toBe('KUBE-6-LOAD-BALANCER-SOURCE-CID');
    expect(ipsetName('KUBE-NODE-PORT-LOCAL-SCTP-HASH', 6)).toBe('KUBE-6-NODE-PORT-LOCAL-SCTP-HAS');
  });
});

describe('renderIpvs: scheduler', () => {
  const objs = (): KubeObject[] => [svc1(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])];

  it.each(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq'] as const)(
    'writes -s %s',
    (s) => {
      expect(ipvsadm(render(objs(), { scheduler: s }))).toBe(
        lines(`-A -t 172.30.0.41:80 -s ${s}`, '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1'),
      );
    },
  );

  it('defaults to rr, and treats an empty scheduler as the default as kube-proxy does', () => {
    expect(ipvsadm(render(objs()))).toContain('-s rr\n');
    expect(ipvsadm(render(objs(), { scheduler: '' as never }))).toContain('-s rr\n');
  });

  it('adds the source-port hash flag for mh, after the persistence timeout', () => {
    expect(ipvsadm(render(objs(), { scheduler: 'mh' }))).toContain('-A -t 172.30.0.41:80 -s mh -b mh-port\n');
    const sticky = [
      svc1({
        spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
      }),
    ];
    expect(ipvsadm(render(sticky, { scheduler: 'mh' }))).toBe(
      lines('-A -t 172.30.0.41:80 -s mh -p 10800 -b mh-port'),
    );
  });

  it('rejects an unknown scheduler with the supported values', () => {
    const call = (): RenderedRules => render(objs(), { scheduler: 'fo' as never });
    expect(call).toThrow(DomainError);
    expect(call).toThrow(
      'scheduler: Unsupported value: "fo": supported values: "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", "mh"',
    );
    try {
      call();
    } catch (e) {
      expect((e as DomainError).code).toBe('BadRequest');
      expect((e as DomainError).details.causes?.[0]).toMatchObject({
        reason: 'FieldValueNotSupported',
        field: 'scheduler',
      });
    }
  });
});

describe('renderIpvs: the overall cluster of upstream tests', () => {
  it('counts virtual and real servers, entries, rules and addresses', () => {
    const r = render(upstreamOverallObjects());
    // svc1 1+1; svc2 ClusterIP, external IP, LB, NodePort, each 1+1 (eTP Local without local
    // endpoints falls back to the cluster endpoint); svc3 2x(1+1); svc4 2x(1+2); svc5 3x(1+1); svc6 1.
    expect(r.sections.map((s) => [s.tool, s.ruleCount])).toEqual([
      ['ipvsadm -R', 27],
      ['ipset restore', 31],
      // nat: 20 rules, filter: 13 (one KUBE-IPVS-OUT-FILTER drop for 5.6.7.8, source range 203.0.113.0/25).
      ['iptables-restore', 33],
      ['ip -batch', 10],
    ]);
    expect(ipvsadm(r)).toContain(
      lines(
        '-A -t 172.30.0.42:80 -s rr',
        '-a -t 172.30.0.42:80 -r 10.180.0.2:80 -m -w 1',
        '-A -t 192.168.99.22:80 -s rr',
        '-a -t 192.168.99.22:80 -r 10.180.0.2:80 -m -w 1',
        '-A -t 1.2.3.4:80 -s rr',
        '-a -t 1.2.3.4:80 -r 10.180.0.2:80 -m -w 1',
        '-A -t 192.168.0.2:3001 -s rr',
        '-a -t 192.168.0.2:3001 -r 10.180.0.2:80 -m -w 1',
      ),
    );
    expect(ipvsadm(r)).toContain('-A -t 5.6.7.8:80 -s rr -p 10800\n');
    expect(ipvsadm(r).endsWith('-A -t 172.30.0.46:80 -s rr\n')).toBe(true);
    // Every iptables rule appears once.
    const rules = iptables(r)
      .split('\n')
      .filter((l) => l.startsWith('-A '));
    expect(new Set(rules).size).toBe(rules.length);
  });

  it('writes a virtual server claimed twice once, with the later real servers', () => {
    const r = render([
      svc1({ spec: { externalIPs: ['192.168.99.22'] } }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
      proxyService('ns2', 'svc2', {
        spec: { clusterIP: '172.30.0.42', clusterIPs: ['172.30.0.42'], externalIPs: ['192.168.99.22'] },
      }),
      proxySlice('ns2', 'svc2', [remote('10.180.0.2')]),
    ]);
    expect(ipvsadm(r).match(/-A -t 192\.168\.99\.22:80 /g)).toHaveLength(1);
    expect(ipvsadm(r)).toContain(
      '-A -t 192.168.99.22:80 -s rr\n-a -t 192.168.99.22:80 -r 10.180.0.2:80 -m -w 1\n',
    );
    expect(r.sections[0]!.ruleCount).toBe(6);
    expect(ipsetAdds(r).filter((l) => l.includes('192.168.99.22'))).toEqual([
      'add KUBE-EXTERNAL-IP 192.168.99.22,tcp:80 -exist',
      'add KUBE-IPVS-IPS 192.168.99.22 -exist',
    ]);
  });

  it('adds the built-in chain jumps on request, in the order kube-proxy leaves them', () => {
    const r = render([svc1()], { withJumps: true });
    expect(chainRules(r, 'nat', 'PREROUTING')).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
    expect(chainRules(r, 'nat', 'POSTROUTING')).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ]);
    expect(chainRules(r, 'filter', 'INPUT')).toEqual([
      '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
      '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
    ]);
    expect(chainRules(r, 'filter', 'FORWARD')).toEqual([
      '-A FORWARD -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    ]);
    expect(chainRules(r, 'filter', 'OUTPUT')).toEqual([
      '-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER',
    ]);
    expect(iptables(render([svc1()]))).not.toContain('-A INPUT');
  });
});
