import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject, IntOrStringScalar } from '../../../common/graphql/scalars.js';
import { KubernetesObject, LoadBalancerStatus, ObjectMeta } from './meta.model.js';

@ObjectType()
export class ServicePort {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) protocol?: string;
  @Field({ nullable: true }) appProtocol?: string;
  @Field(() => Int) port: number;
  @Field(() => IntOrStringScalar, { nullable: true }) targetPort?: number | string;
  @Field(() => Int, { nullable: true }) nodePort?: number;
}
@ObjectType()
export class ClientIPConfig {
  @Field(() => Int, { nullable: true }) timeoutSeconds?: number;
}
@ObjectType()
export class SessionAffinityConfig {
  @Field(() => ClientIPConfig, { nullable: true }) clientIP?: ClientIPConfig;
}
@ObjectType()
export class ServiceSpec {
  @Field({ nullable: true }) type?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) selector?: Record<string, string>;
  @Field(() => [ServicePort], { nullable: true }) ports?: ServicePort[];
  @Field({ nullable: true }) clusterIP?: string;
  @Field(() => [String], { nullable: true }) clusterIPs?: string[];
  @Field(() => [String], { nullable: true }) ipFamilies?: string[];
  @Field({ nullable: true }) ipFamilyPolicy?: string;
  @Field({ nullable: true }) externalName?: string;
  @Field(() => [String], { nullable: true }) externalIPs?: string[];
  @Field({ nullable: true }) loadBalancerIP?: string;
  @Field(() => [String], { nullable: true }) loadBalancerSourceRanges?: string[];
  @Field({ nullable: true }) loadBalancerClass?: string;
  @Field({ nullable: true }) allocateLoadBalancerNodePorts?: boolean;
  @Field({ nullable: true }) sessionAffinity?: string;
  @Field(() => SessionAffinityConfig, { nullable: true }) sessionAffinityConfig?: SessionAffinityConfig;
  @Field({ nullable: true }) externalTrafficPolicy?: string;
  @Field({ nullable: true }) internalTrafficPolicy?: string;
  @Field(() => Int, { nullable: true }) healthCheckNodePort?: number;
  @Field({ nullable: true }) publishNotReadyAddresses?: boolean;
}
@ObjectType()
export class ServiceStatus {
  @Field(() => LoadBalancerStatus, { nullable: true }) loadBalancer?: LoadBalancerStatus;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class Service implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => ServiceSpec) spec: ServiceSpec;
  @Field(() => ServiceStatus, { nullable: true }) status?: ServiceStatus;
}

// ---- EndpointSlice ----
@ObjectType()
export class EndpointConditions {
  @Field({ nullable: true }) ready?: boolean;
  @Field({ nullable: true }) serving?: boolean;
  @Field({ nullable: true }) terminating?: boolean;
}
@ObjectType()
export class ObjectReference {
  @Field({ nullable: true }) kind?: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) uid?: string;
}
@ObjectType()
export class Endpoint {
  @Field(() => [String]) addresses: string[];
  @Field(() => EndpointConditions, { nullable: true }) conditions?: EndpointConditions;
  @Field({ nullable: true }) hostname?: string;
  @Field({ nullable: true }) nodeName?: string;
  @Field({ nullable: true }) zone?: string;
  @Field(() => ObjectReference, { nullable: true }) targetRef?: ObjectReference;
}
@ObjectType()
export class EndpointPort {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) protocol?: string;
  @Field(() => Int, { nullable: true }) port?: number;
  @Field({ nullable: true }) appProtocol?: string;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class EndpointSlice implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field() addressType: string;
  @Field(() => [Endpoint], { nullable: true }) endpoints?: Endpoint[];
  @Field(() => [EndpointPort], { nullable: true }) ports?: EndpointPort[];
}
