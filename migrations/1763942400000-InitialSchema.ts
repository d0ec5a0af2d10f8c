import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The resource store, the change log and the global resourceVersion counter. Portable across SQLite and PostgreSQL. */
export class InitialSchema1763942400000 implements MigrationInterface {
  name = 'InitialSchema1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'resources',
        columns: [
          { name: 'kind', type: 'varchar', length: '32', isPrimary: true },
          { name: 'namespace', type: 'varchar', length: '253', isPrimary: true },
          { name: 'name', type: 'varchar', length: '253', isPrimary: true },
          { name: 'uid', type: 'varchar', length: '36' },
          { name: 'resource_version', type: 'bigint' },
          { name: 'body', type: 'text' },
        ],
      }),
    );
    await q.createIndex(
      'resources',
      new TableIndex({ name: 'UQ_resources_uid', columnNames: ['uid'], isUnique: true }),
    );
    await q.createTable(
      new Table({
        name: 'change_log',
        columns: [
          { name: 'resource_version', type: 'bigint', isPrimary: true },
          { name: 'event_type', type: 'varchar', length: '10' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'namespace', type: 'varchar', length: '253' },
          { name: 'name', type: 'varchar', length: '253' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cluster_meta',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'bigint' },
        ],
      }),
    );
    await q.query(`INSERT INTO cluster_meta (key, value) VALUES ('resourceVersion', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('cluster_meta');
    await q.dropTable('change_log');
    await q.dropIndex('resources', 'UQ_resources_uid');
    await q.dropTable('resources');
  }
}
