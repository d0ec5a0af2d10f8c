import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { Namespace, Node, Pod } from './core.model.js';
import { PageInfo } from './meta.model.js';
import { Ingress, IngressClass, NetworkPolicy } from './networking.model.js';
import { EndpointSlice, Service } from './service.model.js';

export enum Kind {
  Namespace = 'Namespace',
  Node = 'Node',
  Pod = 'Pod',
  Service = 'Service',
  EndpointSlice = 'EndpointSlice',
  NetworkPolicy = 'NetworkPolicy',
  Ingress = 'Ingress',
  IngressClass = 'IngressClass',
}
registerEnumType(Kind, { name: 'Kind', description: 'The Kubernetes kinds netmodel models.' });

interface ListShape<T> {
  items: T[];
  totalCount: number;
  pageInfo: PageInfo;
}

/** A page of objects: `items`, the total matching the filters, and the cursor for the next page. */
function Paginated<T>(item: Type<T>): Type<ListShape<T>> {
  @ObjectType({ isAbstract: true })
  abstract class ListType {
    @Field(() => [item]) items: T[];
    @Field(() => Int, { description: 'Objects matching the filters, across all pages.' }) totalCount: number;
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return ListType as unknown as Type<ListShape<T>>;
}

@ObjectType()
export class NamespaceList extends Paginated(Namespace) {}
@ObjectType()
export class NodeList extends Paginated(Node) {}
@ObjectType()
export class PodList extends Paginated(Pod) {}
@ObjectType()
export class ServiceList extends Paginated(Service) {}
@ObjectType()
export class EndpointSliceList extends Paginated(EndpointSlice) {}
@ObjectType()
export class NetworkPolicyList extends Paginated(NetworkPolicy) {}
@ObjectType()
export class IngressList extends Paginated(Ingress) {}
@ObjectType()
export class IngressClassList extends Paginated(IngressClass) {}
