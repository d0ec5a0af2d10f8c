/** networking.k8s.io/v1 Ingress, structure only. */
import { IsInt, IsOptional, IsString } from 'class-validator';
import { IsStringArray, LoadBalancerStatusDto, ValidateObject, ValidateObjectArray } from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class ServiceBackendPortDto {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsInt() number?: number;
}

export class IngressServiceBackendDto {
  @IsString() name!: string;
  @IsOptional() @ValidateObject(() => ServiceBackendPortDto) port?: ServiceBackendPortDto;
}

export class TypedLocalObjectReferenceDto {
  @IsOptional() @IsString() apiGroup?: string;
  @IsString() kind!: string;
  @IsString() name!: string;
}

export class IngressBackendDto {
  @IsOptional() @ValidateObject(() => IngressServiceBackendDto) service?: IngressServiceBackendDto;
  @IsOptional() @ValidateObject(() => TypedLocalObjectReferenceDto) resource?: TypedLocalObjectReferenceDto;
}

export class HTTPIngressPathDto {
  @IsOptional() @IsString() path?: string;
  @IsOptional() @IsString() pathType?: string;
  @ValidateObject(() => IngressBackendDto) backend!: IngressBackendDto;
}

export class HTTPIngressRuleValueDto {
  @ValidateObjectArray(() => HTTPIngressPathDto) paths!: HTTPIngressPathDto[];
}

export class IngressRuleDto {
  @IsOptional() @IsString() host?: string;
  @IsOptional() @ValidateObject(() => HTTPIngressRuleValueDto) http?: HTTPIngressRuleValueDto;
}

export class IngressTLSDto {
  @IsOptional() @IsStringArray() hosts?: string[];
  @IsOptional() @IsString() secretName?: string;
}

export class IngressSpecDto {
  @IsOptional() @IsString() ingressClassName?: string;
  @IsOptional() @ValidateObject(() => IngressBackendDto) defaultBackend?: IngressBackendDto;
  @IsOptional() @ValidateObjectArray(() => IngressTLSDto) tls?: IngressTLSDto[];
  @IsOptional() @ValidateObjectArray(() => IngressRuleDto) rules?: IngressRuleDto[];
}

export class IngressStatusDto {
  @IsOptional() @ValidateObject(() => LoadBalancerStatusDto) loadBalancer?: LoadBalancerStatusDto;
}

export class IngressDto extends KubeObjectDto {
  @ValidateObject(() => IngressSpecDto) spec!: IngressSpecDto;
  @IsOptional() @ValidateObject(() => IngressStatusDto) status?: IngressStatusDto;
}
