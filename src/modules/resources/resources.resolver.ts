import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { KindName } from '../../domain/model/kinds.js';
import type * as k8s from '../../domain/model/types.js';
import {
  ClusterListArgs,
  ClusterObjectArgs,
  DeleteObjectArgs,
  ListArgs,
  ObjectArgs,
  PatchObjectArgs,
  WriteObjectArgs,
} from './dto/graphql-args.dto.js';
import { Namespace, Node, Pod } from './models/core.model.js';
import {
  EndpointSliceList,
  IngressClassList,
  IngressList,
  NamespaceList,
  NetworkPolicyList,
  NodeList,
  PodList,
  ServiceList,
} from './models/lists.model.js';
import { KubernetesObject } from './models/meta.model.js';
import { Ingress, IngressClass, NetworkPolicy } from './models/networking.model.js';
import { toListModel, toModel } from './models/object.mapper.js';
import { EndpointSlice, Service } from './models/service.model.js';
import { ResourcesService } from './resources.service.js';

function q(a: ListArgs | ClusterListArgs) {
  return {
    namespace: 'namespace' in a ? a.namespace : undefined,
    labelSelector: a.labelSelector,
    limit: a.first,
    continue: a.after,
  };
}

function getOrNull<K extends KindName>(svc: ResourcesService, kind: K, ns: string, name: string) {
  const o = svc.snapshot().get(kind, ns, name);
  return o ? toModel(o) : null;
}

/** Lists and gets for every kind. Reads come from the in-memory state: no database query per field. */
@Resolver()
export class ResourceQueriesResolver {
  constructor(private readonly resources: ResourcesService) {}

  @Query(() => NamespaceList) namespaces(@Args() a: ClusterListArgs) {
    return toListModel(this.resources.list('Namespace', q(a)));
  }
  @Query(() => Namespace, { nullable: true }) namespace(@Args() a: ClusterObjectArgs) {
    return getOrNull(this.resources, 'Namespace', '', a.name);
  }
  @Query(() => NodeList) nodes(@Args() a: ClusterListArgs) {
    return toListModel(this.resources.list('Node', q(a)));
  }
  @Query(() => Node, { nullable: true }) node(@Args() a: ClusterObjectArgs) {
    return getOrNull(this.resources, 'Node', '', a.name);
  }
  @Query(() => PodList) pods(@Args() a: ListArgs) {
    return toListModel(this.resources.list('Pod', q(a)));
  }
  @Query(() => Pod, { nullable: true }) pod(@Args() a: ObjectArgs) {
    return getOrNull(this.resources, 'Pod', a.namespace, a.name);
  }
  @Query(() => ServiceList) services(@Args() a: ListArgs) {
    return toListModel(this.resources.list('Service', q(a)));
  }
  @Query(() => Service, { nullable: true }) service(@Args() a: ObjectArgs) {
    return getOrNull(this.resources, 'Service', a.namespace, a.name);
  }
  @Query(() => EndpointSliceList) endpointSlices(@Args() a: ListArgs) {
    return toListModel(this.resources.list('EndpointSlice', q(a)));
  }
  @Query(() => EndpointSlice, { nullable: true }) endpointSlice(@Args() a: ObjectArgs) {
    return getOrNull(this.resources, 'EndpointSlice', a.namespace, a.name);
  }
  @Query(() => NetworkPolicyList) networkPolicies(@Args() a: ListArgs) {
    return toListModel(this.resources.list('NetworkPolicy', q(a)));
  }
  @Query(() => NetworkPolicy, { nullable: true }) networkPolicy(@Args() a: ObjectArgs) {
    return getOrNull(this.resources, 'NetworkPolicy', a.namespace, a.name);
  }
  @Query(() => IngressList) ingresses(@Args() a: ListArgs) {
    return toListModel(this.resources.list('Ingress', q(a)));
  }
  @Query(() => Ingress, { nullable: true }) ingress(@Args() a: ObjectArgs) {
    return getOrNull(this.resources, 'Ingress', a.namespace, a.name);
  }
  @Query(() => IngressClassList) ingressClasses(@Args() a: ClusterListArgs) {
    return toListModel(this.resources.list('IngressClass', q(a)));
  }
  @Query(() => IngressClass, { nullable: true }) ingressClass(@Args() a: ClusterObjectArgs) {
    return getOrNull(this.resources, 'IngressClass', '', a.name);
  }
}

/** Create, replace, merge-patch and delete of any kind, with the same rules as the REST API. */
@Resolver()
export class ResourceMutationsResolver {
  constructor(private readonly resources: ResourcesService) {}

  @Mutation(() => KubernetesObject, {
    description: 'Creates an object (like POST). Fails with ALREADY_EXISTS if it exists.',
  })
  async createObject(@Args() a: WriteObjectArgs) {
    return toModel(await this.resources.createFromManifest(a.manifest, { dryRun: a.dryRun }));
  }

  @Mutation(() => KubernetesObject, {
    description: 'Replaces an object (like PUT). A stale metadata.resourceVersion fails with CONFLICT.',
  })
  async replaceObject(@Args() a: WriteObjectArgs) {
    return toModel(await this.resources.replaceFromManifest(a.manifest, { dryRun: a.dryRun }));
  }

  @Mutation(() => KubernetesObject, { description: 'Applies an RFC 7386 merge patch (like PATCH).' })
  async patchObject(@Args() a: PatchObjectArgs) {
    return toModel(await this.resources.patch(a.kind, a.namespace, a.name, a.patch, { dryRun: a.dryRun }));
  }

  @Mutation(() => KubernetesObject, {
    description: 'Deletes an object and returns it as it was. Deleting a namespace deletes its contents.',
  })
  async deleteObject(@Args() a: DeleteObjectArgs) {
    return toModel(
      await this.resources.delete(
        a.kind,
        a.namespace,
        a.name,
        { resourceVersion: a.resourceVersion },
        { dryRun: a.dryRun },
      ),
    );
  }
}

@Resolver(() => Pod)
export class PodRelationsResolver {
  constructor(private readonly resources: ResourcesService) {}
  @ResolveField(() => [Service], { description: 'Services in the namespace whose selector picks this pod.' })
  services(@Parent() pod: k8s.Pod) {
    return this.resources.servicesForPod(pod).map(toModel);
  }
  @ResolveField(() => [NetworkPolicy], { description: 'NetworkPolicies whose podSelector selects this pod.' })
  networkPolicies(@Parent() pod: k8s.Pod) {
    return this.resources.policiesForPod(pod).map(toModel);
  }
  @ResolveField(() => Node, { nullable: true })
  node(@Parent() pod: k8s.Pod) {
    const n = this.resources.nodeOfPod(pod);
    return n ? toModel(n) : null;
  }
}

@Resolver(() => Service)
export class ServiceRelationsResolver {
  constructor(private readonly resources: ResourcesService) {}
  @ResolveField(() => [Pod], { description: 'Pods the selector picks (none for a selector-less service).' })
  pods(@Parent() svc: k8s.Service) {
    return this.resources.podsForService(svc).map(toModel);
  }
  @ResolveField(() => [EndpointSlice], {
    description: 'EndpointSlices labelled kubernetes.io/service-name with this service.',
  })
  endpointSlices(@Parent() svc: k8s.Service) {
    return this.resources.slicesForService(svc).map(toModel);
  }
}

@Resolver(() => Namespace)
export class NamespaceRelationsResolver {
  constructor(private readonly resources: ResourcesService) {}
  @ResolveField(() => PodList)
  pods(@Parent() ns: k8s.Namespace, @Args() a: ClusterListArgs) {
    return toListModel(this.resources.list('Pod', { ...q(a), namespace: ns.metadata.name }));
  }
}

@Resolver(() => Node)
export class NodeRelationsResolver {
  constructor(private readonly resources: ResourcesService) {}
  @ResolveField(() => [Pod], { description: 'Pods scheduled on this node.' })
  pods(@Parent() node: k8s.Node) {
    return this.resources.podsOnNode(node).map(toModel);
  }
}

@Resolver(() => NetworkPolicy)
export class NetworkPolicyRelationsResolver {
  constructor(private readonly resources: ResourcesService) {}
  @ResolveField(() => [Pod], { description: 'Pods in the namespace that spec.podSelector selects.' })
  selectedPods(@Parent() np: k8s.NetworkPolicy) {
    return this.resources.podsForPolicy(np).map(toModel);
  }
}
