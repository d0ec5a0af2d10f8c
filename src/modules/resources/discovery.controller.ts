import { Controller, Get } from '@nestjs/common';
import { KIND_NAMES, KINDS, type KindInfo } from '../../domain/model/kinds.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

function resourceList(groupVersion: string, kinds: KindInfo[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: kinds.map((k) => ({
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
    })),
  };
}

/** API discovery (/api, /apis and the group-version resource lists) for Kubernetes clients. */
@Controller()
export class DiscoveryController {
  @Get('api')
  api() {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  }

  @Get('api/v1')
  coreV1() {
    const list = resourceList(
      'v1',
      KIND_NAMES.map((n) => KINDS[n]).filter((k) => k.group === ''),
    );
    return {
      ...list,
      resources: [
        ...list.resources,
        {
          name: 'endpoints',
          singularName: 'endpoints',
          namespaced: true,
          kind: 'Endpoints',
          verbs: ['get', 'list'],
          shortNames: ['ep'],
        },
      ],
    };
  }

  @Get('apis')
  apis() {
    const groups = [...new Set(KIND_NAMES.map((n) => KINDS[n].group).filter(Boolean))].sort();
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => ({
        name,
        versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
        preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
      })),
    };
  }

  @Get('apis/discovery.k8s.io/v1')
  discoveryV1() {
    return resourceList(
      'discovery.k8s.io/v1',
      KIND_NAMES.map((n) => KINDS[n]).filter((k) => k.group === 'discovery.k8s.io'),
    );
  }

  @Get('apis/networking.k8s.io/v1')
  networkingV1() {
    return resourceList(
      'networking.k8s.io/v1',
      KIND_NAMES.map((n) => KINDS[n]).filter((k) => k.group === 'networking.k8s.io'),
    );
  }
}
