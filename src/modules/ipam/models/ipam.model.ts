import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An address or port pool netmodel allocates from, and how full it is.' })
export class IpPool {
  @Field({
    description:
      'e.g. service-ipv4, node-port, node-cidr-ipv4, node-address, load-balancer, pods/<node>/ipv4',
  })
  name: string;
  @Field({ description: 'service | node-port | node-cidr | node-address | load-balancer | pod' })
  kind: string;
  @Field({ description: 'The CIDR the pool covers (node-port: "min-max").' }) cidr: string;
  @Field(() => Int, { nullable: true, description: '4 or 6; null for node-port' }) family?: number;
  @Field({ nullable: true, description: 'The node of a pod pool.' }) node?: string;
  @Field(() => Float, {
    description: 'Values that can be handed out (network, gateway, broadcast excluded).',
  })
  size: number;
  @Field(() => Float) allocated: number;
  @Field(() => Float) free: number;
}

@ObjectType({ description: 'An object that holds an address.' })
export class IpHolder {
  @Field() kind: string;
  @Field() namespace: string;
  @Field() name: string;
  @Field({ description: 'podIP, clusterIP, externalIP, loadBalancerIP, InternalIP, ExternalIP' })
  role: string;
}

@ObjectType()
export class WhoHas {
  @Field({ description: 'The address, in canonical form.' }) ip: string;
  @Field(() => [IpHolder]) holders: IpHolder[];
  @Field(() => [IpPool], { description: 'The pools whose range contains the address.' }) pools: IpPool[];
}
