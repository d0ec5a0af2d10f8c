import { ArgsType, Field, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { GraphQLJSONObject } from '../../../common/graphql/scalars.js';
import { Kind } from '../models/lists.model.js';

@ArgsType()
export class ListArgs {
  @Field({ nullable: true, description: 'Only objects in this namespace (namespaced kinds).' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;

  @Field({
    nullable: true,
    description: 'A Kubernetes label selector, e.g. "app=web,tier in (frontend,backend)".',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;

  @Field(() => Int, { nullable: true, description: 'Page size; all matching objects when omitted.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  first?: number;

  @Field({ nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ArgsType()
export class ClusterListArgs {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  first?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  after?: string;
}

@ArgsType()
export class ObjectArgs {
  @Field()
  @IsString()
  @MaxLength(253)
  namespace: string;

  @Field()
  @IsString()
  @MaxLength(253)
  name: string;
}

@ArgsType()
export class ClusterObjectArgs {
  @Field()
  @IsString()
  @MaxLength(253)
  name: string;
}

@ArgsType()
export class WriteObjectArgs {
  @Field(() => GraphQLJSONObject, {
    description: 'A whole Kubernetes object (apiVersion, kind, metadata, spec...).',
  })
  @IsObject()
  manifest: Record<string, unknown>;

  @Field({ defaultValue: false })
  @IsBoolean()
  dryRun: boolean;
}

@ArgsType()
export class PatchObjectArgs {
  @Field(() => Kind)
  @IsEnum(Kind)
  kind: Kind;

  @Field({ nullable: true, description: 'Required for namespaced kinds.' })
  @IsOptional()
  @IsString()
  namespace?: string;

  @Field()
  @IsString()
  name: string;

  @Field(() => GraphQLJSONObject, {
    description: 'An RFC 7386 JSON merge patch; a metadata.resourceVersion in it is a precondition.',
  })
  @IsObject()
  patch: Record<string, unknown>;

  @Field({ defaultValue: false })
  @IsBoolean()
  dryRun: boolean;
}

@ArgsType()
export class DeleteObjectArgs {
  @Field(() => Kind)
  @IsEnum(Kind)
  kind: Kind;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  namespace?: string;

  @Field()
  @IsString()
  name: string;

  @Field({ nullable: true, description: 'Delete only if the object is still at this resourceVersion.' })
  @IsOptional()
  @IsString()
  resourceVersion?: string;

  @Field({ defaultValue: false })
  @IsBoolean()
  dryRun: boolean;
}
