/** metav1.ObjectMeta and the type/object header every manifest starts with. */
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import { IsStringArray, IsStringMap, ValidateObject, ValidateObjectArray } from './common.dto.js';

export class OwnerReferenceDto {
  @IsString() apiVersion!: string;
  @IsString() kind!: string;
  @IsString() name!: string;
  @IsString() uid!: string;
  @IsOptional() @IsBoolean() controller?: boolean;
  @IsOptional() @IsBoolean() blockOwnerDeletion?: boolean;
}

export class ObjectMetaDto {
  @IsString() name!: string;
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() uid?: string;
  @IsOptional() @IsString() resourceVersion?: string;
  @IsOptional() @IsInt() generation?: number;
  @IsOptional() @IsString() creationTimestamp?: string;
  @IsOptional() @IsString() deletionTimestamp?: string;
  @IsOptional() @IsStringMap() labels?: Record<string, string>;
  @IsOptional() @IsStringMap() annotations?: Record<string, string>;
  @IsOptional() @ValidateObjectArray(() => OwnerReferenceDto) ownerReferences?: OwnerReferenceDto[];
  @IsOptional() @IsStringArray() finalizers?: string[];
  @IsOptional() @IsString() generateName?: string;
}

/** apiVersion, kind and metadata: the part every kind shares. */
export abstract class KubeObjectDto {
  @IsString() apiVersion!: string;
  @IsString() kind!: string;
  @ValidateObject(() => ObjectMetaDto) metadata!: ObjectMetaDto;
}
