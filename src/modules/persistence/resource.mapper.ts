import { namespaceOf, type KubeObject } from '../../domain/model/types.js';
import { deepFreeze } from '../../domain/resources/json.js';
import { ResourceEntity } from './resource.entity.js';

/** Domain object -> row. The key columns repeat what the body says so rows can be found without parsing. */
export function toResourceEntity(obj: KubeObject): ResourceEntity {
  const e = new ResourceEntity();
  e.kind = obj.kind;
  e.namespace = namespaceOf(obj);
  e.name = obj.metadata.name;
  e.uid = obj.metadata.uid ?? '';
  e.resourceVersion = obj.metadata.resourceVersion ?? '0';
  e.body = JSON.stringify(obj);
  return e;
}

/** Row -> domain object (frozen: the in-memory state hands the same object to every reader). */
export function fromResourceBody(body: string): KubeObject {
  return deepFreeze(JSON.parse(body) as KubeObject);
}
