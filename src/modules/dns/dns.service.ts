import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { notFound } from '../../domain/errors.js';
import {
  defaultHostResolvConf,
  hostsFile,
  lookup,
  resolvConf,
  type LookupResult,
  type ResolvConf,
} from '../../domain/dns/pod-view.js';
import { checkQuery } from '../../domain/dns/query.js';
import { resolve, type QueryType } from '../../domain/dns/resolver.js';
import type { DnsResponse, DnsSettings } from '../../domain/dns/types.js';
import type { Pod } from '../../domain/model/types.js';
import { addToIP, cidrFirst, formatIP, parseCIDR } from '../../domain/net/ip.js';
import { nthServiceIP } from '../../domain/resources/bootstrap.js';
import { ResourceStore } from '../persistence/resource-store.js';

/** The kubernetes plugin's record TTL in the kubeadm (and kind) Corefile. */
export const DNS_TTL = 30;

/**
 * Cluster DNS from the in-memory state: what CoreDNS would answer, and what a pod sees (its
 * resolv.conf, /etc/hosts, and the search-list walk its resolver does). Every call reads one snapshot.
 */
@Injectable()
export class DnsService {
  constructor(
    private readonly store: ResourceStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  settings(): DnsSettings {
    // The SOA serial: CoreDNS uses the time of the last change it saw; the resourceVersion is the
    // model's clock of changes (it only grows) and keeps answers reproducible.
    return {
      clusterDomain: this.config.clusterDomain,
      ttl: DNS_TTL,
      serial: this.store.snapshot().resourceVersion,
    };
  }

  /** A query as typed by a user: checked (400 on a bad name or type), then answered. */
  query(name: string, type: string): DnsResponse {
    const q = checkQuery(name, type);
    return this.answer(q.name, q.type);
  }

  /** A query already in wire form (the DNS server): answered as it is. */
  answer(name: string, type: QueryType): DnsResponse {
    return resolve(this.store.snapshot(), name, type, this.settings());
  }

  pod(ref: string): Pod {
    const slash = ref.indexOf('/');
    const ns = slash < 0 ? 'default' : ref.slice(0, slash);
    const name = slash < 0 ? ref : ref.slice(slash + 1);
    const pod = this.store.snapshot().get('Pod', ns, name);
    if (!pod) throw notFound('pods', name);
    return pod;
  }

  resolvConf(pod: Pod): ResolvConf {
    // kubelet's clusterDNS: one address, as kubeadm configures it (kube-dns's ClusterIP, the tenth of
    // the first service range). It is kubelet configuration, so it stays when the Service is deleted;
    // a cluster imported with kube-dns elsewhere is read from the Service.
    const dns = this.store.snapshot().get('Service', 'kube-system', 'kube-dns');
    const primary = dns?.spec.clusterIPs?.[0] ?? dns?.spec.clusterIP;
    const clusterDNS = [
      primary && primary !== 'None' ? primary : nthServiceIP(this.config.serviceCidrs[0]!, 10),
    ];
    return resolvConf(pod, {
      clusterDomain: this.config.clusterDomain,
      clusterDNS,
      host: defaultHostResolvConf(this.nodeGateway()),
    });
  }

  hostsFile(pod: Pod): string {
    const node = pod.spec.nodeName ? this.store.snapshot().get('Node', '', pod.spec.nodeName) : undefined;
    return hostsFile(pod, node, this.config.clusterDomain);
  }

  /** The stub resolver's walk for `name` from the pod, each step answered by the cluster DNS. */
  lookup(podRef: string, name: string, type: string): LookupResult {
    const pod = this.pod(podRef);
    const q = checkQuery(name, type);
    const conf = this.resolvConf(pod);
    // The name as the application passes it: a trailing dot only when the user typed one.
    return lookup(conf, name.endsWith('.') ? q.name : q.name.slice(0, -1), q.type, (fqdn, t) =>
      this.answer(fqdn, t),
    );
  }

  /** The node network's gateway (.1), where a kind node's own resolv.conf points. */
  private nodeGateway(): string {
    const c = parseCIDR(this.config.nodeNetwork)!;
    return formatIP(addToIP(cidrFirst(c), 1n)!);
  }
}
