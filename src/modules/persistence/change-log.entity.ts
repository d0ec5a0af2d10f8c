import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The change log: one row per object write, keyed by the resourceVersion the write got. Replicas follow
 * it (from their last resourceVersion) to keep their in-memory state current. The body is not copied
 * here: a follower reads it from `resources`, where the row with the same resourceVersion is the object
 * as written (a later write supersedes it, and is itself in the log).
 */
@Entity({ name: 'change_log' })
export class ChangeLogEntity {
  @PrimaryColumn({ name: 'resource_version', type: 'bigint' })
  resourceVersion: string;

  @Column({ name: 'event_type', type: 'varchar', length: 10 })
  eventType: 'ADDED' | 'MODIFIED' | 'DELETED';

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 253 })
  namespace: string;

  @Column({ type: 'varchar', length: 253 })
  name: string;
}
