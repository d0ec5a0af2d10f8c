import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export enum ProtocolEnum {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}
registerEnumType(ProtocolEnum, { name: 'Protocol', description: 'L4 protocols NetworkPolicy ports name.' });

@ObjectType({
  description: 'One direction of a connection: the source pod egress, or the destination pod ingress.',
})
export class DirectionVerdictModel {
  @Field() allowed: boolean;
  @Field({ description: 'Some policy selecting the pod has this policy type.' }) isolated: boolean;
  @Field(() => [String], { description: '"ns/name" of every policy selecting the pod for this direction.' })
  policies: string[];
  @Field({ description: 'e.g. "x/allow-from-y ingress[0] from[1]", "no rule matched", "not isolated".' })
  decidedBy: string;
}

@ObjectType('PolicyVerdict', { description: 'May the source reach the destination on this port, and why.' })
export class PolicyVerdictModel {
  @Field() allowed: boolean;
  @Field(() => DirectionVerdictModel) egress: DirectionVerdictModel;
  @Field(() => DirectionVerdictModel) ingress: DirectionVerdictModel;
}

@ObjectType('Reachability', { description: 'Which pod may open a connection to which, on one port.' })
export class ReachabilityModel {
  @Field(() => [String], { description: '"namespace/name", sorted; rows and columns of the matrix.' })
  pods: string[];
  @Field(() => [[Boolean]], { description: 'allowed[i][j]: pods[i] may connect to pods[j].' })
  allowed: boolean[][];
  @Field(() => [String], { description: '"x/a->y/b" for every allowed pair of different pods.' })
  allowedPairs: string[];
}

@ObjectType('PolicyDiff', {
  description: 'What draft policies would change, pod to pod, before anyone applies them.',
})
export class PolicyDiffModel {
  @Field(() => [String], { description: '"x/a->y/b:80/TCP" now denied, allowed with the drafts.' })
  newlyAllowed: string[];
  @Field(() => [String], { description: '"x/a->y/b:80/TCP" now allowed, denied with the drafts.' })
  newlyDenied: string[];
  @Field(() => [String], {
    description: 'The ports compared ("80/TCP"): declared container ports and ports the policies name.',
  })
  ports: string[];
}

@InputType({
  description: 'Choices the NetworkPolicy API leaves to the network plugin; each defaults as documented.',
})
export class PolicyOptionsInput {
  @Field({
    nullable: true,
    description: 'ipBlock peers match pod IPs (default true: Calico, upstream e2e; false: Cilium).',
  })
  @IsOptional()
  @IsBoolean()
  ipBlockMatchesPodIPs?: boolean;

  @Field({ nullable: true, description: 'A pod may always reach itself (default true).' })
  @IsOptional()
  @IsBoolean()
  allowSelf?: boolean;

  @Field({
    nullable: true,
    description: '"as-node" (default): hostNetwork pods are their node; "as-pod": ordinary pods.',
  })
  @IsOptional()
  @IsIn(['as-node', 'as-pod'])
  hostNetworkPods?: 'as-node' | 'as-pod';

  @Field({ nullable: true, description: "Ingress from the pod's own node is always allowed (default true)." })
  @IsOptional()
  @IsBoolean()
  allowFromLocalNode?: boolean;

  @Field({ nullable: true, description: "Egress to the pod's own node is always allowed (default true)." })
  @IsOptional()
  @IsBoolean()
  allowToLocalNode?: boolean;
}
