/** networking.k8s.io/v1 IngressClass, structure only. */
import { IsObject, IsOptional, IsString } from 'class-validator';
import { ValidateObject } from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class IngressClassSpecDto {
  @IsOptional() @IsString() controller?: string;
  @IsOptional() @IsObject() parameters?: Record<string, unknown>;
}

export class IngressClassDto extends KubeObjectDto {
  @ValidateObject(() => IngressClassSpecDto) spec!: IngressClassSpecDto;
}
