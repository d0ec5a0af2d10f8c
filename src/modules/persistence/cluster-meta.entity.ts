import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Cluster-wide counters. The row `resourceVersion` is the one global sequence every write takes its
 * versions from; locking it (SELECT ... FOR UPDATE on PostgreSQL) is what serializes writers across
 * replicas, as etcd's single revision counter does for the API server.
 */
@Entity({ name: 'cluster_meta' })
export class ClusterMetaEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'bigint' })
  value: string;
}
