import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DnsRecordType {
  A = 'A',
  AAAA = 'AAAA',
  SRV = 'SRV',
  PTR = 'PTR',
  CNAME = 'CNAME',
  SOA = 'SOA',
  NS = 'NS',
  TXT = 'TXT',
  ANY = 'ANY',
}
registerEnumType(DnsRecordType, { name: 'DnsRecordType', description: 'DNS query and record types.' });

@ObjectType({ description: 'A resource record; data in zone-file presentation form.' })
export class DnsRecordModel {
  @Field({ description: 'Absolute, with the trailing dot.' }) name: string;
  @Field() type: string;
  @Field(() => Int) ttl: number;
  @Field({
    description: 'e.g. 10.96.0.10; SRV "0 100 80 web.shop.svc.cluster.local."; names end with a dot.',
  })
  data: string;
}

@ObjectType('DnsResponse', { description: 'What the cluster DNS (CoreDNS, kubernetes plugin) answers.' })
export class DnsResponseModel {
  @Field({ description: 'NOERROR, NXDOMAIN, REFUSED, SERVFAIL, ...' }) rcode: string;
  @Field() authoritative: boolean;
  @Field(() => [DnsRecordModel]) answer: DnsRecordModel[];
  @Field(() => [DnsRecordModel]) authority: DnsRecordModel[];
  @Field(() => [DnsRecordModel]) additional: DnsRecordModel[];
}

@ObjectType({ description: 'One query of the stub resolver walk.' })
export class DnsAttempt {
  @Field() name: string;
  @Field() type: string;
  @Field() rcode: string;
  @Field(() => Int) answerCount: number;
}

@ObjectType({ description: "A name looked up from a pod: its resolver's walk over the search list." })
export class DnsLookup {
  @Field(() => [DnsAttempt]) attempts: DnsAttempt[];
  @Field(() => [DnsRecordModel]) answer: DnsRecordModel[];
  @Field({ description: 'The rcode the application sees.' }) rcode: string;
  @Field(() => Int) queriesSent: number;
  @Field({ nullable: true, description: 'The name that answered.' }) resolvedName?: string;
}
