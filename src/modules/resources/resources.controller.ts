import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import { kindForResource, type KindInfo } from '../../domain/model/kinds.js';
import { isPlainObject } from '../../domain/resources/json.js';
import { ResourcesService, type ListQuery } from './resources.service.js';
import { toListBody } from './resource-list.js';

interface ListParams {
  labelSelector?: string;
  limit?: string;
  continue?: string;
  dryRun?: string;
}

function resolveKind(
  group: string,
  version: string,
  resource: string,
  namespaced: boolean | undefined,
): KindInfo {
  const k = kindForResource(group, version, resource);
  // A namespaced kind is also listed across namespaces at the cluster-scoped path.
  if (!k || (namespaced === true && !k.namespaced)) {
    throw new DomainError('NotFound', 'the server could not find the requested resource');
  }
  return k;
}

function listQuery(p: ListParams, namespace?: string): ListQuery {
  let limit: number | undefined;
  if (p.limit !== undefined && p.limit !== '') {
    if (!/^\d+$/.test(p.limit))
      throw new DomainError(
        'BadRequest',
        `limit must be a non-negative integer, got ${JSON.stringify(p.limit)}`,
      );
    limit = Number(p.limit);
  }
  return { namespace, labelSelector: p.labelSelector, limit, continue: p.continue || undefined };
}

function dryRun(p: ListParams): boolean {
  if (p.dryRun === undefined || p.dryRun === '') return false;
  if (p.dryRun !== 'All')
    throw new DomainError(
      'BadRequest',
      `Unsupported value: ${JSON.stringify(p.dryRun)}: supported values: "All"`,
    );
  return true;
}

function patchBody(contentType: string | undefined, body: unknown): unknown {
  const ct = (contentType ?? '').split(';')[0]!.trim();
  if (ct === 'application/merge-patch+json' || ct === 'application/json') return body;
  throw new DomainError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got ${ct || 'none'})`,
  );
}

function preconditions(body: unknown): { resourceVersion?: string; uid?: string } {
  if (!isPlainObject(body) || !isPlainObject(body.preconditions)) return {};
  const p = body.preconditions;
  return {
    resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
    uid: typeof p.uid === 'string' ? p.uid : undefined,
  };
}

/**
 * The Kubernetes API paths for every modelled kind: the core group under /api/v1, the others under
 * /apis/<group>/<version>; cluster-scoped and namespaced forms; list, get, create, replace, merge-patch
 * and delete. Handlers are one service call each.
 */
@Controller()
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  // ---- core group: /api/v1 -------------------------------------------------------------------
  @Get('api/v1/namespaces/:namespace/endpoints')
  listEndpoints(@Param('namespace') ns: string, @Query() q: ListParams) {
    return toListBody('v1', 'EndpointsList', this.resources.listEndpoints(listQuery(q, ns)));
  }

  @Get('api/v1/namespaces/:namespace/endpoints/:name')
  getEndpoints(@Param('namespace') ns: string, @Param('name') name: string) {
    return this.resources.endpoints(ns, name);
  }

  @Get('api/v1/endpoints')
  listAllEndpoints(@Query() q: ListParams) {
    return toListBody('v1', 'EndpointsList', this.resources.listEndpoints(listQuery(q)));
  }

  @Get('api/v1/:resource')
  listCore(@Param('resource') r: string, @Query() q: ListParams) {
    return this.list(resolveKind('', 'v1', r, undefined), q);
  }

  @Post('api/v1/:resource')
  createCore(@Param('resource') r: string, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.create(resolveKind('', 'v1', r, false).kind, undefined, body, {
      dryRun: dryRun(q),
    });
  }

  @Get('api/v1/:resource/:name')
  getCore(@Param('resource') r: string, @Param('name') name: string) {
    return this.resources.get(resolveKind('', 'v1', r, false).kind, '', name);
  }

  @Put('api/v1/:resource/:name')
  replaceCore(
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.replace(resolveKind('', 'v1', r, false).kind, undefined, name, body, {
      dryRun: dryRun(q),
    });
  }

  @Patch('api/v1/:resource/:name')
  patchCore(
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(resolveKind('', 'v1', r, false).kind, undefined, name, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete('api/v1/:resource/:name')
  deleteCore(
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.delete(resolveKind('', 'v1', r, false).kind, undefined, name, preconditions(body), {
      dryRun: dryRun(q),
    });
  }

  @Get('api/v1/namespaces/:namespace/:resource')
  listCoreNs(@Param('namespace') ns: string, @Param('resource') r: string, @Query() q: ListParams) {
    return this.list(resolveKind('', 'v1', r, true), q, ns);
  }

  @Post('api/v1/namespaces/:namespace/:resource')
  @HttpCode(201)
  createCoreNs(
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.create(resolveKind('', 'v1', r, true).kind, ns, body, { dryRun: dryRun(q) });
  }

  @Get('api/v1/namespaces/:namespace/:resource/:name')
  getCoreNs(@Param('namespace') ns: string, @Param('resource') r: string, @Param('name') name: string) {
    return this.resources.get(resolveKind('', 'v1', r, true).kind, ns, name);
  }

  @Put('api/v1/namespaces/:namespace/:resource/:name')
  replaceCoreNs(
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.replace(resolveKind('', 'v1', r, true).kind, ns, name, body, { dryRun: dryRun(q) });
  }

  @Patch('api/v1/namespaces/:namespace/:resource/:name')
  patchCoreNs(
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(resolveKind('', 'v1', r, true).kind, ns, name, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete('api/v1/namespaces/:namespace/:resource/:name')
  deleteCoreNs(
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.delete(resolveKind('', 'v1', r, true).kind, ns, name, preconditions(body), {
      dryRun: dryRun(q),
    });
  }

  // ---- named groups: /apis/<group>/<version> ---------------------------------------------------
  @Get('apis/:group/:version/:resource')
  listGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Query() q: ListParams,
  ) {
    return this.list(resolveKind(g, v, r, undefined), q);
  }

  @Post('apis/:group/:version/:resource')
  @HttpCode(201)
  createGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.create(resolveKind(g, v, r, false).kind, undefined, body, { dryRun: dryRun(q) });
  }

  @Get('apis/:group/:version/:resource/:name')
  getGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Param('name') name: string,
  ) {
    return this.resources.get(resolveKind(g, v, r, false).kind, '', name);
  }

  @Put('apis/:group/:version/:resource/:name')
  replaceGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.replace(resolveKind(g, v, r, false).kind, undefined, name, body, {
      dryRun: dryRun(q),
    });
  }

  @Patch('apis/:group/:version/:resource/:name')
  patchGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(resolveKind(g, v, r, false).kind, undefined, name, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete('apis/:group/:version/:resource/:name')
  deleteGroup(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.delete(resolveKind(g, v, r, false).kind, undefined, name, preconditions(body), {
      dryRun: dryRun(q),
    });
  }

  @Get('apis/:group/:version/namespaces/:namespace/:resource')
  listGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Query() q: ListParams,
  ) {
    return this.list(resolveKind(g, v, r, true), q, ns);
  }

  @Post('apis/:group/:version/namespaces/:namespace/:resource')
  @HttpCode(201)
  createGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.create(resolveKind(g, v, r, true).kind, ns, body, { dryRun: dryRun(q) });
  }

  @Get('apis/:group/:version/namespaces/:namespace/:resource/:name')
  getGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
  ) {
    return this.resources.get(resolveKind(g, v, r, true).kind, ns, name);
  }

  @Put('apis/:group/:version/namespaces/:namespace/:resource/:name')
  replaceGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.replace(resolveKind(g, v, r, true).kind, ns, name, body, { dryRun: dryRun(q) });
  }

  @Patch('apis/:group/:version/namespaces/:namespace/:resource/:name')
  patchGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(resolveKind(g, v, r, true).kind, ns, name, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete('apis/:group/:version/namespaces/:namespace/:resource/:name')
  deleteGroupNs(
    @Param('group') g: string,
    @Param('version') v: string,
    @Param('namespace') ns: string,
    @Param('resource') r: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() q: ListParams,
  ) {
    return this.resources.delete(resolveKind(g, v, r, true).kind, ns, name, preconditions(body), {
      dryRun: dryRun(q),
    });
  }

  private list(k: KindInfo, q: ListParams, namespace?: string) {
    return toListBody(k.apiVersion, `${k.kind}List`, this.resources.list(k.kind, listQuery(q, namespace)));
  }
}
