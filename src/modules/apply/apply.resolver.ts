import { Args, ArgsType, Field, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import { ApplyService } from './apply.service.js';
import { ApplyResult } from './models/apply-result.model.js';

@ArgsType()
class ApplyArgs {
  @Field({
    description: 'Multi-document YAML or JSON, including kind: List as kubectl get -o yaml prints it.',
  })
  @IsString()
  @MaxLength(64 * 1024 * 1024)
  manifests: string;

  @Field({ defaultValue: false, description: 'Validate and report without saving.' })
  @IsBoolean()
  dryRun: boolean;

  @Field({ defaultValue: true, description: 'All-or-nothing: one invalid document fails the whole apply.' })
  @IsBoolean()
  atomic: boolean;
}

@Resolver()
export class ApplyResolver {
  constructor(private readonly apply: ApplyService) {}

  @Mutation(() => ApplyResult, {
    description: 'Create-or-update every object in the manifests, all-or-nothing by default.',
  })
  applyManifests(@Args() a: ApplyArgs) {
    return this.apply.apply(a.manifests, { dryRun: a.dryRun, atomic: a.atomic });
  }

  @Query(() => String, {
    description: 'The whole cluster as multi-document YAML that re-imports to the same state.',
  })
  exportManifests() {
    return this.apply.exportYaml();
  }
}
