/** core/v1 Pod, structure only: the fields netmodel reads; other fields pass through unchecked. */
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import {
  IsObjectArray,
  IsStringArray,
  IsStringMap,
  ValidateObject,
  ValidateObjectArray,
} from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class ContainerPortDto {
  @IsOptional() @IsString() name?: string;
  @IsInt() containerPort!: number;
  @IsOptional() @IsString() protocol?: string;
  @IsOptional() @IsInt() hostPort?: number;
  @IsOptional() @IsString() hostIP?: string;
}

export class ContainerDto {
  @IsString() name!: string;
  @IsOptional() @IsString() image?: string;
  @IsOptional() @ValidateObjectArray(() => ContainerPortDto) ports?: ContainerPortDto[];
}

export class HostAliasDto {
  @IsString() ip!: string;
  @IsOptional() @IsStringArray() hostnames?: string[];
}

export class PodDNSConfigOptionDto {
  @IsString() name!: string;
  @IsOptional() @IsString() value?: string;
}

export class PodDNSConfigDto {
  @IsOptional() @IsStringArray() nameservers?: string[];
  @IsOptional() @IsStringArray() searches?: string[];
  @IsOptional() @ValidateObjectArray(() => PodDNSConfigOptionDto) options?: PodDNSConfigOptionDto[];
}

export class PodConditionDto {
  @IsString() type!: string;
  @IsString() status!: string;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() message?: string;
  @IsOptional() @IsString() lastTransitionTime?: string;
}

export class PodIPDto {
  @IsString() ip!: string;
}

export class PodSpecDto {
  @ValidateObjectArray(() => ContainerDto) containers!: ContainerDto[];
  @IsOptional() @ValidateObjectArray(() => ContainerDto) initContainers?: ContainerDto[];
  @IsOptional() @IsString() nodeName?: string;
  @IsOptional() @IsStringMap() nodeSelector?: Record<string, string>;
  @IsOptional() @IsBoolean() hostNetwork?: boolean;
  @IsOptional() @IsString() hostname?: string;
  @IsOptional() @IsString() subdomain?: string;
  @IsOptional() @IsBoolean() setHostnameAsFQDN?: boolean;
  @IsOptional() @IsString() dnsPolicy?: string;
  @IsOptional() @ValidateObject(() => PodDNSConfigDto) dnsConfig?: PodDNSConfigDto;
  @IsOptional() @ValidateObjectArray(() => HostAliasDto) hostAliases?: HostAliasDto[];
  @IsOptional() @IsString() restartPolicy?: string;
  @IsOptional() @IsString() serviceAccountName?: string;
  @IsOptional() @IsObjectArray() tolerations?: Record<string, unknown>[];
  @IsOptional() @IsInt() activeDeadlineSeconds?: number;
  @IsOptional() @IsInt() terminationGracePeriodSeconds?: number;
}

export class PodStatusDto {
  @IsOptional() @IsString() phase?: string;
  @IsOptional() @ValidateObjectArray(() => PodConditionDto) conditions?: PodConditionDto[];
  @IsOptional() @IsString() hostIP?: string;
  @IsOptional() @ValidateObjectArray(() => PodIPDto) hostIPs?: PodIPDto[];
  @IsOptional() @IsString() podIP?: string;
  @IsOptional() @ValidateObjectArray(() => PodIPDto) podIPs?: PodIPDto[];
  @IsOptional() @IsString() startTime?: string;
}

export class PodDto extends KubeObjectDto {
  @ValidateObject(() => PodSpecDto) spec!: PodSpecDto;
  @IsOptional() @ValidateObject(() => PodStatusDto) status?: PodStatusDto;
}
