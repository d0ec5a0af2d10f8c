import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per stored Kubernetes object, keyed like the API server's storage key (kind, namespace, name).
 * The object itself is kept whole as JSON: Kubernetes objects carry fields netmodel does not model, and an
 * export must give them back unchanged. All queries run against the in-memory state, so the database only
 * needs the key, the version and the body (the same layout kine uses to put Kubernetes on SQL).
 */
@Entity({ name: 'resources' })
export class ResourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  kind: string;

  /** '' for cluster-scoped kinds, so the key stays a plain composite primary key on every database. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  namespace: string;

  @PrimaryColumn({ type: 'varchar', length: 253 })
  name: string;

  @Index('UQ_resources_uid', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  uid: string;

  @Column({ name: 'resource_version', type: 'bigint' })
  resourceVersion: string;

  @Column({ type: 'text' })
  body: string;
}
