/** core/v1 Service, structure only. */
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import {
  IsIntOrString,
  IsStringArray,
  IsStringMap,
  LoadBalancerStatusDto,
  ValidateObject,
  ValidateObjectArray,
} from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class ServicePortDto {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() protocol?: string;
  @IsOptional() @IsString() appProtocol?: string;
  @IsInt() port!: number;
  @IsOptional() @IsIntOrString() targetPort?: number | string;
  @IsOptional() @IsInt() nodePort?: number;
}

export class ClientIPConfigDto {
  @IsOptional() @IsInt() timeoutSeconds?: number;
}

export class SessionAffinityConfigDto {
  @IsOptional() @ValidateObject(() => ClientIPConfigDto) clientIP?: ClientIPConfigDto;
}

export class ServiceSpecDto {
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsStringMap() selector?: Record<string, string>;
  @IsOptional() @ValidateObjectArray(() => ServicePortDto) ports?: ServicePortDto[];
  @IsOptional() @IsString() clusterIP?: string;
  @IsOptional() @IsStringArray() clusterIPs?: string[];
  @IsOptional() @IsStringArray() ipFamilies?: string[];
  @IsOptional() @IsString() ipFamilyPolicy?: string;
  @IsOptional() @IsString() externalName?: string;
  @IsOptional() @IsStringArray() externalIPs?: string[];
  @IsOptional() @IsString() loadBalancerIP?: string;
  @IsOptional() @IsStringArray() loadBalancerSourceRanges?: string[];
  @IsOptional() @IsString() loadBalancerClass?: string;
  @IsOptional() @IsBoolean() allocateLoadBalancerNodePorts?: boolean;
  @IsOptional() @IsString() sessionAffinity?: string;
  @IsOptional()
  @ValidateObject(() => SessionAffinityConfigDto)
  sessionAffinityConfig?: SessionAffinityConfigDto;
  @IsOptional() @IsString() externalTrafficPolicy?: string;
  @IsOptional() @IsString() internalTrafficPolicy?: string;
  @IsOptional() @IsInt() healthCheckNodePort?: number;
  @IsOptional() @IsBoolean() publishNotReadyAddresses?: boolean;
}

export class ServiceStatusDto {
  @IsOptional() @ValidateObject(() => LoadBalancerStatusDto) loadBalancer?: LoadBalancerStatusDto;
}

export class ServiceDto extends KubeObjectDto {
  @ValidateObject(() => ServiceSpecDto) spec!: ServiceSpecDto;
  @IsOptional() @ValidateObject(() => ServiceStatusDto) status?: ServiceStatusDto;
}
