import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller.js';
import { ResourcesController } from './resources.controller.js';
import {
  NamespaceRelationsResolver,
  NetworkPolicyRelationsResolver,
  NodeRelationsResolver,
  PodRelationsResolver,
  ResourceMutationsResolver,
  ResourceQueriesResolver,
  ServiceRelationsResolver,
} from './resources.resolver.js';
import { ResourcesService } from './resources.service.js';

@Module({
  controllers: [DiscoveryController, ResourcesController],
  providers: [
    ResourcesService,
    ResourceQueriesResolver,
    ResourceMutationsResolver,
    PodRelationsResolver,
    ServiceRelationsResolver,
    NamespaceRelationsResolver,
    NodeRelationsResolver,
    NetworkPolicyRelationsResolver,
  ],
  exports: [ResourcesService],
})
export class ResourcesModule {}
