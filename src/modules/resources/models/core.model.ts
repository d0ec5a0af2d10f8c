import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from '../../../common/graphql/scalars.js';
import { KubernetesObject, ObjectMeta } from './meta.model.js';

// ---- Namespace ----
@ObjectType()
export class NamespaceSpec {
  @Field(() => [String], { nullable: true }) finalizers?: string[];
}
@ObjectType()
export class NamespaceStatus {
  @Field({ nullable: true }) phase?: string;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class Namespace implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => NamespaceSpec, { nullable: true }) spec?: NamespaceSpec;
  @Field(() => NamespaceStatus, { nullable: true }) status?: NamespaceStatus;
}

// ---- Node ----
@ObjectType()
export class Taint {
  @Field() key: string;
  @Field({ nullable: true }) value?: string;
  @Field() effect: string;
}
@ObjectType()
export class NodeSpec {
  @Field({ nullable: true }) podCIDR?: string;
  @Field(() => [String], { nullable: true }) podCIDRs?: string[];
  @Field({ nullable: true }) unschedulable?: boolean;
  @Field(() => [Taint], { nullable: true }) taints?: Taint[];
  @Field({ nullable: true }) providerID?: string;
}
@ObjectType()
export class NodeAddress {
  @Field() type: string;
  @Field() address: string;
}
@ObjectType()
export class Condition {
  @Field() type: string;
  @Field() status: string;
  @Field({ nullable: true }) reason?: string;
  @Field({ nullable: true }) message?: string;
  @Field({ nullable: true }) lastTransitionTime?: string;
}
@ObjectType()
export class NodeStatus {
  @Field(() => [NodeAddress], { nullable: true }) addresses?: NodeAddress[];
  @Field(() => [Condition], { nullable: true }) conditions?: Condition[];
  @Field(() => GraphQLJSONObject, { nullable: true }) capacity?: Record<string, string>;
  @Field(() => GraphQLJSONObject, { nullable: true }) allocatable?: Record<string, string>;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class Node implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => NodeSpec, { nullable: true }) spec?: NodeSpec;
  @Field(() => NodeStatus, { nullable: true }) status?: NodeStatus;
}

// ---- Pod ----
@ObjectType()
export class ContainerPort {
  @Field({ nullable: true }) name?: string;
  @Field(() => Int) containerPort: number;
  @Field({ nullable: true }) protocol?: string;
  @Field(() => Int, { nullable: true }) hostPort?: number;
  @Field({ nullable: true }) hostIP?: string;
}
@ObjectType()
export class Container {
  @Field() name: string;
  @Field({ nullable: true }) image?: string;
  @Field(() => [ContainerPort], { nullable: true }) ports?: ContainerPort[];
}
@ObjectType()
export class HostAlias {
  @Field() ip: string;
  @Field(() => [String], { nullable: true }) hostnames?: string[];
}
@ObjectType()
export class PodDNSConfigOption {
  @Field() name: string;
  @Field({ nullable: true }) value?: string;
}
@ObjectType()
export class PodDNSConfig {
  @Field(() => [String], { nullable: true }) nameservers?: string[];
  @Field(() => [String], { nullable: true }) searches?: string[];
  @Field(() => [PodDNSConfigOption], { nullable: true }) options?: PodDNSConfigOption[];
}
@ObjectType()
export class PodSpec {
  @Field(() => [Container]) containers: Container[];
  @Field(() => [Container], { nullable: true }) initContainers?: Container[];
  @Field({ nullable: true }) nodeName?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) nodeSelector?: Record<string, string>;
  @Field({ nullable: true }) hostNetwork?: boolean;
  @Field({ nullable: true }) hostname?: string;
  @Field({ nullable: true }) subdomain?: string;
  @Field({ nullable: true }) setHostnameAsFQDN?: boolean;
  @Field({ nullable: true }) dnsPolicy?: string;
  @Field(() => PodDNSConfig, { nullable: true }) dnsConfig?: PodDNSConfig;
  @Field(() => [HostAlias], { nullable: true }) hostAliases?: HostAlias[];
  @Field({ nullable: true }) restartPolicy?: string;
  @Field({ nullable: true }) serviceAccountName?: string;
}
@ObjectType()
export class PodIP {
  @Field() ip: string;
}
@ObjectType()
export class PodStatus {
  @Field({ nullable: true }) phase?: string;
  @Field(() => [Condition], { nullable: true }) conditions?: Condition[];
  @Field({ nullable: true }) hostIP?: string;
  @Field({ nullable: true }) podIP?: string;
  @Field(() => [PodIP], { nullable: true }) podIPs?: PodIP[];
  @Field({ nullable: true }) startTime?: string;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class Pod implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => PodSpec) spec: PodSpec;
  @Field(() => PodStatus, { nullable: true }) status?: PodStatus;
}
