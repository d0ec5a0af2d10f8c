import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject, IntOrStringScalar } from '../../../common/graphql/scalars.js';
import { KubernetesObject, LabelSelector, LoadBalancerStatus, ObjectMeta } from './meta.model.js';

// ---- NetworkPolicy ----
@ObjectType()
export class IPBlock {
  @Field() cidr: string;
  @Field(() => [String], { nullable: true }) except?: string[];
}
@ObjectType()
export class NetworkPolicyPeer {
  @Field(() => LabelSelector, { nullable: true }) podSelector?: LabelSelector;
  @Field(() => LabelSelector, { nullable: true }) namespaceSelector?: LabelSelector;
  @Field(() => IPBlock, { nullable: true }) ipBlock?: IPBlock;
}
@ObjectType()
export class NetworkPolicyPort {
  @Field({ nullable: true }) protocol?: string;
  @Field(() => IntOrStringScalar, { nullable: true }) port?: number | string;
  @Field(() => Int, { nullable: true }) endPort?: number;
}
@ObjectType()
export class NetworkPolicyIngressRule {
  @Field(() => [NetworkPolicyPort], { nullable: true }) ports?: NetworkPolicyPort[];
  @Field(() => [NetworkPolicyPeer], { nullable: true }) from?: NetworkPolicyPeer[];
}
@ObjectType()
export class NetworkPolicyEgressRule {
  @Field(() => [NetworkPolicyPort], { nullable: true }) ports?: NetworkPolicyPort[];
  @Field(() => [NetworkPolicyPeer], { nullable: true }) to?: NetworkPolicyPeer[];
}
@ObjectType()
export class NetworkPolicySpec {
  @Field(() => LabelSelector) podSelector: LabelSelector;
  @Field(() => [NetworkPolicyIngressRule], { nullable: true }) ingress?: NetworkPolicyIngressRule[];
  @Field(() => [NetworkPolicyEgressRule], { nullable: true }) egress?: NetworkPolicyEgressRule[];
  @Field(() => [String], { nullable: true }) policyTypes?: string[];
}
@ObjectType({ implements: () => [KubernetesObject] })
export class NetworkPolicy implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => NetworkPolicySpec) spec: NetworkPolicySpec;
}

// ---- Ingress ----
@ObjectType()
export class ServiceBackendPort {
  @Field({ nullable: true }) name?: string;
  @Field(() => Int, { nullable: true }) number?: number;
}
@ObjectType()
export class IngressServiceBackend {
  @Field() name: string;
  @Field(() => ServiceBackendPort, { nullable: true }) port?: ServiceBackendPort;
}
@ObjectType()
export class TypedLocalObjectReference {
  @Field({ nullable: true }) apiGroup?: string;
  @Field() kind: string;
  @Field() name: string;
}
@ObjectType()
export class IngressBackend {
  @Field(() => IngressServiceBackend, { nullable: true }) service?: IngressServiceBackend;
  @Field(() => TypedLocalObjectReference, { nullable: true }) resource?: TypedLocalObjectReference;
}
@ObjectType()
export class HTTPIngressPath {
  @Field({ nullable: true }) path?: string;
  @Field({ nullable: true }) pathType?: string;
  @Field(() => IngressBackend) backend: IngressBackend;
}
@ObjectType()
export class HTTPIngressRuleValue {
  @Field(() => [HTTPIngressPath]) paths: HTTPIngressPath[];
}
@ObjectType()
export class IngressRule {
  @Field({ nullable: true }) host?: string;
  @Field(() => HTTPIngressRuleValue, { nullable: true }) http?: HTTPIngressRuleValue;
}
@ObjectType()
export class IngressTLS {
  @Field(() => [String], { nullable: true }) hosts?: string[];
  @Field({ nullable: true }) secretName?: string;
}
@ObjectType()
export class IngressSpec {
  @Field({ nullable: true }) ingressClassName?: string;
  @Field(() => IngressBackend, { nullable: true }) defaultBackend?: IngressBackend;
  @Field(() => [IngressTLS], { nullable: true }) tls?: IngressTLS[];
  @Field(() => [IngressRule], { nullable: true }) rules?: IngressRule[];
}
@ObjectType()
export class IngressStatus {
  @Field(() => LoadBalancerStatus, { nullable: true }) loadBalancer?: LoadBalancerStatus;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class Ingress implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => IngressSpec) spec: IngressSpec;
  @Field(() => IngressStatus, { nullable: true }) status?: IngressStatus;
}

// ---- IngressClass ----
@ObjectType()
export class IngressClassSpec {
  @Field({ nullable: true }) controller?: string;
  @Field(() => GraphQLJSONObject, { nullable: true }) parameters?: Record<string, unknown>;
}
@ObjectType({ implements: () => [KubernetesObject] })
export class IngressClass implements KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  manifest: Record<string, unknown>;
  @Field(() => IngressClassSpec) spec: IngressClassSpec;
}
