/** networking.k8s.io/v1 NetworkPolicy, structure only. */
import { IsInt, IsOptional, IsString } from 'class-validator';
import {
  IsIntOrString,
  IsStringArray,
  LabelSelectorDto,
  ValidateObject,
  ValidateObjectArray,
} from './common.dto.js';
import { KubeObjectDto } from './object-meta.dto.js';

export class IPBlockDto {
  @IsString() cidr!: string;
  @IsOptional() @IsStringArray() except?: string[];
}

export class NetworkPolicyPeerDto {
  @IsOptional() @ValidateObject(() => LabelSelectorDto) podSelector?: LabelSelectorDto;
  @IsOptional() @ValidateObject(() => LabelSelectorDto) namespaceSelector?: LabelSelectorDto;
  @IsOptional() @ValidateObject(() => IPBlockDto) ipBlock?: IPBlockDto;
}

export class NetworkPolicyPortDto {
  @IsOptional() @IsString() protocol?: string;
  @IsOptional() @IsIntOrString() port?: number | string;
  @IsOptional() @IsInt() endPort?: number;
}

export class NetworkPolicyIngressRuleDto {
  @IsOptional() @ValidateObjectArray(() => NetworkPolicyPortDto) ports?: NetworkPolicyPortDto[];
  @IsOptional() @ValidateObjectArray(() => NetworkPolicyPeerDto) from?: NetworkPolicyPeerDto[];
}

export class NetworkPolicyEgressRuleDto {
  @IsOptional() @ValidateObjectArray(() => NetworkPolicyPortDto) ports?: NetworkPolicyPortDto[];
  @IsOptional() @ValidateObjectArray(() => NetworkPolicyPeerDto) to?: NetworkPolicyPeerDto[];
}

export class NetworkPolicySpecDto {
  @ValidateObject(() => LabelSelectorDto) podSelector!: LabelSelectorDto;
  @IsOptional()
  @ValidateObjectArray(() => NetworkPolicyIngressRuleDto)
  ingress?: NetworkPolicyIngressRuleDto[];
  @IsOptional() @ValidateObjectArray(() => NetworkPolicyEgressRuleDto) egress?: NetworkPolicyEgressRuleDto[];
  @IsOptional() @IsStringArray() policyTypes?: string[];
}

export class NetworkPolicyDto extends KubeObjectDto {
  @ValidateObject(() => NetworkPolicySpecDto) spec!: NetworkPolicySpecDto;
}
