/** core/v1 Namespace, structure only. */
import { IsOptional, IsString } from 'class-validator';
import { IsStringArray, ValidateObject } from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class NamespaceSpecDto {
  @IsOptional() @IsStringArray() finalizers?: string[];
}

export class NamespaceStatusDto {
  @IsOptional() @IsString() phase?: string;
}

export class NamespaceDto extends KubeObjectDto {
  @IsOptional() @ValidateObject(() => NamespaceSpecDto) spec?: NamespaceSpecDto;
  @IsOptional() @ValidateObject(() => NamespaceStatusDto) status?: NamespaceStatusDto;
}
