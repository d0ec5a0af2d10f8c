import { Field, Int, InterfaceType, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from '../../../common/graphql/scalars.js';

@ObjectType()
export class OwnerReference {
  @Field() apiVersion: string;
  @Field() kind: string;
  @Field() name: string;
  @Field() uid: string;
  @Field({ nullable: true }) controller?: boolean;
}

@ObjectType({ description: 'metav1.ObjectMeta: identity, server-set fields, labels and annotations.' })
export class ObjectMeta {
  @Field() name: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) uid?: string;
  @Field({ nullable: true, description: 'Changes on every write; one global sequence.' })
  resourceVersion?: string;
  @Field(() => Int, { nullable: true }) generation?: number;
  @Field({ nullable: true }) creationTimestamp?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) labels?: Record<string, string>;
  @Field(() => GraphQLJSONObject, { nullable: true }) annotations?: Record<string, string>;
  @Field(() => [OwnerReference], { nullable: true }) ownerReferences?: OwnerReference[];
}

@ObjectType()
export class LabelSelectorRequirement {
  @Field() key: string;
  @Field() operator: string;
  @Field(() => [String], { nullable: true }) values?: string[];
}

@ObjectType({ description: 'metav1.LabelSelector. An empty selector selects everything.' })
export class LabelSelector {
  @Field(() => GraphQLJSONObject, { nullable: true }) matchLabels?: Record<string, string>;
  @Field(() => [LabelSelectorRequirement], { nullable: true }) matchExpressions?: LabelSelectorRequirement[];
}

@ObjectType()
export class PageInfo {
  @Field({ nullable: true, description: 'Pass as `after` to get the next page.' }) endCursor?: string;
  @Field() hasNextPage: boolean;
}

@ObjectType()
export class LoadBalancerIngress {
  @Field({ nullable: true }) ip?: string;
  @Field({ nullable: true }) hostname?: string;
  @Field({ nullable: true }) ipMode?: string;
}

@ObjectType()
export class LoadBalancerStatus {
  @Field(() => [LoadBalancerIngress], { nullable: true }) ingress?: LoadBalancerIngress[];
}

/** Every modelled object: the Kubernetes envelope plus the stored object whole, for clients that want all of it. */
@InterfaceType('KubernetesObject', {
  resolveType: (v: { kind: string }) => v.kind,
})
export abstract class KubernetesObject {
  @Field() apiVersion: string;
  @Field() kind: string;
  @Field(() => ObjectMeta) metadata: ObjectMeta;
  @Field(() => GraphQLJSONObject, {
    description: 'The object exactly as stored (all fields, including ones not typed here).',
  })
  manifest: Record<string, unknown>;
}
