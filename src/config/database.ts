import 'reflect-metadata';
import type { DataSourceOptions } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from '../../migrations/index.js';
import { ChangeLogEntity } from '../modules/persistence/change-log.entity.js';
import { ClusterMetaEntity } from '../modules/persistence/cluster-meta.entity.js';
import { ResourceEntity } from '../modules/persistence/resource.entity.js';
import type { DatabaseConfig } from './config.js';

export const ENTITIES = [ResourceEntity, ChangeLogEntity, ClusterMetaEntity];

/** One definition of the database connection, used by the app, the TypeORM CLI and the tests. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  if (db.type === 'postgres') {
    return {
      type: 'postgres',
      url: db.url,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsRun: true,
      synchronize: false,
      extra: { max: 10 },
    };
  }
  if (db.database !== ':memory:') mkdirSync(dirname(db.database), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: db.database,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    enableWAL: db.database !== ':memory:',
    // Every write waits for the previous one in-process; a short busy timeout covers a CLI on the same file.
    timeout: 5000,
  };
}
