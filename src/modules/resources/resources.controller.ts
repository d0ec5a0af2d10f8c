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

/** Path parameters of both forms: the core group has no `group` and is always `v1`. */
interface Coords {
  group?: string;
  version?: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** Cluster-scoped (or all-namespaces list) paths: /api/v1/<resource> and /apis/<group>/<version>/<resource>. */
const CLUSTER = ['api/v1/:resource', 'apis/:group/:version/:resource'];
const CLUSTER_ITEM = CLUSTER.map((p) => `${p}/:name`);
/** Namespaced paths. */
const NAMESPACED = [
  'api/v1/namespaces/:namespace/:resource',
  'apis/:group/:version/namespaces/:namespace/:resource',
];
const NAMESPACED_ITEM = NAMESPACED.map((p) => `${p}/:name`);

/** The kind the path names; `namespaced` says which form the path is (undefined: a cluster-wide list). */
function kindOf(c: Coords, namespaced: boolean | undefined): KindInfo {
  return resolveKind(c.group ?? '', c.version ?? 'v1', c.resource, namespaced);
}

/**
 * The Kubernetes API paths for every modelled kind: the core group under /api/v1, the others under
 * /apis/<group>/<version>; cluster-scoped and namespaced forms; list, get, create, replace, merge-patch
 * and delete. Each handler serves both the core and the named-group path and makes one service call.
 */
@Controller()
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  // ---- the legacy Endpoints view (read-only, derived from EndpointSlices) ------------------------
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

  // ---- cluster-scoped kinds, and lists across all namespaces -------------------------------------
  @Get(CLUSTER)
  listAll(@Param() c: Coords, @Query() q: ListParams) {
    const k = kindOf(c, undefined);
    return toListBody(k.apiVersion, `${k.kind}List`, this.resources.list(k.kind, listQuery(q)));
  }

  @Post(CLUSTER)
  @HttpCode(201)
  createClusterScoped(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.create(kindOf(c, false).kind, undefined, body, { dryRun: dryRun(q) });
  }

  @Get(CLUSTER_ITEM)
  getClusterScoped(@Param() c: Coords) {
    return this.resources.get(kindOf(c, false).kind, '', c.name!);
  }

  @Put(CLUSTER_ITEM)
  replaceClusterScoped(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.replace(kindOf(c, false).kind, undefined, c.name!, body, { dryRun: dryRun(q) });
  }

  @Patch(CLUSTER_ITEM)
  patchClusterScoped(
    @Param() c: Coords,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(kindOf(c, false).kind, undefined, c.name!, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete(CLUSTER_ITEM)
  deleteClusterScoped(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.delete(kindOf(c, false).kind, undefined, c.name!, preconditions(body), {
      dryRun: dryRun(q),
    });
  }

  // ---- namespaced kinds ---------------------------------------------------------------------------
  @Get(NAMESPACED)
  listNamespaced(@Param() c: Coords, @Query() q: ListParams) {
    const k = kindOf(c, true);
    return toListBody(k.apiVersion, `${k.kind}List`, this.resources.list(k.kind, listQuery(q, c.namespace)));
  }

  @Post(NAMESPACED)
  @HttpCode(201)
  createNamespaced(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.create(kindOf(c, true).kind, c.namespace, body, { dryRun: dryRun(q) });
  }

  @Get(NAMESPACED_ITEM)
  getNamespaced(@Param() c: Coords) {
    return this.resources.get(kindOf(c, true).kind, c.namespace!, c.name!);
  }

  @Put(NAMESPACED_ITEM)
  replaceNamespaced(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.replace(kindOf(c, true).kind, c.namespace, c.name!, body, { dryRun: dryRun(q) });
  }

  @Patch(NAMESPACED_ITEM)
  patchNamespaced(
    @Param() c: Coords,
    @Body() body: unknown,
    @Headers('content-type') ct: string,
    @Query() q: ListParams,
  ) {
    return this.resources.patch(kindOf(c, true).kind, c.namespace, c.name!, patchBody(ct, body), {
      dryRun: dryRun(q),
    });
  }

  @Delete(NAMESPACED_ITEM)
  deleteNamespaced(@Param() c: Coords, @Body() body: unknown, @Query() q: ListParams) {
    return this.resources.delete(kindOf(c, true).kind, c.namespace, c.name!, preconditions(body), {
      dryRun: dryRun(q),
    });
  }
}
