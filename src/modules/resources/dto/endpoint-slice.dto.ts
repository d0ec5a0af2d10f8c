/** discovery.k8s.io/v1 EndpointSlice, structure only. Its fields sit at the top level, not under spec. */
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import { IsStringArray, ValidateObject, ValidateObjectArray } from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class EndpointConditionsDto {
  @IsOptional() @IsBoolean() ready?: boolean;
  @IsOptional() @IsBoolean() serving?: boolean;
  @IsOptional() @IsBoolean() terminating?: boolean;
}

export class ObjectReferenceDto {
  @IsOptional() @IsString() kind?: string;
  @IsOptional() @IsString() namespace?: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() uid?: string;
}

export class EndpointDto {
  @IsStringArray() addresses!: string[];
  @IsOptional() @ValidateObject(() => EndpointConditionsDto) conditions?: EndpointConditionsDto;
  @IsOptional() @IsString() hostname?: string;
  @IsOptional() @IsString() nodeName?: string;
  @IsOptional() @IsString() zone?: string;
  @IsOptional() @ValidateObject(() => ObjectReferenceDto) targetRef?: ObjectReferenceDto;
}

export class EndpointPortDto {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() protocol?: string;
  @IsOptional() @IsInt() port?: number;
  @IsOptional() @IsString() appProtocol?: string;
}

export class EndpointSliceDto extends KubeObjectDto {
  @IsString() addressType!: string;
  @IsOptional() @ValidateObjectArray(() => EndpointDto) endpoints?: EndpointDto[];
  @IsOptional() @ValidateObjectArray(() => EndpointPortDto) ports?: EndpointPortDto[];
}
