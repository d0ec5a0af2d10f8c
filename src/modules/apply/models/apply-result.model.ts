import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ApplyAction {
  created = 'created',
  updated = 'updated',
  unchanged = 'unchanged',
  skipped = 'skipped',
  failed = 'failed',
}
registerEnumType(ApplyAction, { name: 'ApplyAction' });

@ObjectType()
export class StatusCause {
  @Field() reason: string;
  @Field() message: string;
  @Field() field: string;
}

@ObjectType({ description: 'What apply did (or, with dryRun, would do) with one document.' })
export class ApplyItem {
  @Field(() => Int, { description: 'Position of the document in the input, 0-based (List items flattened).' })
  index: number;
  @Field() apiVersion: string;
  @Field() kind: string;
  @Field() namespace: string;
  @Field() name: string;
  @Field(() => ApplyAction) action: ApplyAction;
  @Field({ nullable: true }) message?: string;
  @Field(() => [StatusCause], { nullable: true }) causes?: StatusCause[];
}

@ObjectType()
export class ApplyResult {
  @Field() dryRun: boolean;
  @Field({ description: 'The cluster resourceVersion after the apply.' }) resourceVersion: string;
  @Field(() => [ApplyItem]) items: ApplyItem[];
  @Field(() => Int) created: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) unchanged: number;
  @Field(() => Int) skipped: number;
  @Field(() => Int) failed: number;
}
