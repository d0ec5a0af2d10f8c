/** core/v1 Node, structure only. */
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { IsStringArray, IsStringMap, ValidateObject, ValidateObjectArray } from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class TaintDto {
  @IsString() key!: string;
  @IsOptional() @IsString() value?: string;
  @IsString() effect!: string;
}

export class NodeAddressDto {
  @IsString() type!: string;
  @IsString() address!: string;
}

export class NodeConditionDto {
  @IsString() type!: string;
  @IsString() status!: string;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() message?: string;
}

export class NodeSpecDto {
  @IsOptional() @IsString() podCIDR?: string;
  @IsOptional() @IsStringArray() podCIDRs?: string[];
  @IsOptional() @IsBoolean() unschedulable?: boolean;
  @IsOptional() @ValidateObjectArray(() => TaintDto) taints?: TaintDto[];
  @IsOptional() @IsString() providerID?: string;
}

export class NodeStatusDto {
  @IsOptional() @ValidateObjectArray(() => NodeAddressDto) addresses?: NodeAddressDto[];
  @IsOptional() @ValidateObjectArray(() => NodeConditionDto) conditions?: NodeConditionDto[];
  // resource.Quantity serializes as a string ("4", "16Gi").
  @IsOptional() @IsStringMap() capacity?: Record<string, string>;
  @IsOptional() @IsStringMap() allocatable?: Record<string, string>;
  @IsOptional() @IsStringMap() nodeInfo?: Record<string, string>;
}

export class NodeDto extends KubeObjectDto {
  @IsOptional() @ValidateObject(() => NodeSpecDto) spec?: NodeSpecDto;
  @IsOptional() @ValidateObject(() => NodeStatusDto) status?: NodeStatusDto;
}
