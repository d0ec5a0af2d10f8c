import { Module } from '@nestjs/common';
import { PolicyController } from './policy.controller.js';
import { NetworkPolicyPodsResolver, PolicyQueriesResolver } from './policy.resolver.js';
import { PolicyService } from './policy.service.js';

@Module({
  controllers: [PolicyController],
  providers: [PolicyService, PolicyQueriesResolver, NetworkPolicyPodsResolver],
})
export class PolicyModule {}
