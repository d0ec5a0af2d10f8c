/**
 * The migrations on the backend under test (a SQLite file, or PostgreSQL with DATABASE_URL): up builds
 * the schema the entities expect, every down() undoes its up() completely, and up runs again after.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/config/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const SCHEMA: Record<string, string[]> = {
  resources: ['body', 'kind', 'name', 'namespace', 'resource_version', 'uid'],
  change_log: ['event_type', 'kind', 'name', 'namespace', 'resource_version'],
  cluster_meta: ['key', 'value'],
};
const TABLES = Object.keys(SCHEMA);

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(parseDatabaseUrl(db.url)), migrationsRun: false });
    await ds.initialize();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  async function columns(table: string): Promise<string[]> {
    const qr = ds.createQueryRunner();
    try {
      const t = await qr.getTable(table);
      return t ? t.columns.map((c) => c.name).sort() : [];
    } finally {
      await qr.release();
    }
  }

  async function existing(): Promise<string[]> {
    const qr = ds.createQueryRunner();
    try {
      const present: string[] = [];
      for (const t of TABLES) if (await qr.hasTable(t)) present.push(t);
      return present;
    } finally {
      await qr.release();
    }
  }

  it('starts from an empty database', async () => {
    expect(await existing()).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);
  });

  it('up creates the tables, columns, keys and the resourceVersion row', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await ds.showMigrations()).toBe(false);
    for (const [table, cols] of Object.entries(SCHEMA))
      expect({ table, cols: await columns(table) }).toEqual({ table, cols });

    const qr = ds.createQueryRunner();
    try {
      const resources = await qr.getTable('resources');
      expect(resources!.primaryColumns.map((c) => c.name).sort()).toEqual(['kind', 'name', 'namespace']);
      expect(resources!.indices.find((i) => i.name === 'UQ_resources_uid')).toMatchObject({
        isUnique: true,
        columnNames: ['uid'],
      });
      const log = await qr.getTable('change_log');
      expect(log!.primaryColumns.map((c) => c.name)).toEqual(['resource_version']);
    } finally {
      await qr.release();
    }
    const meta: { key: string; value: string | number }[] = await ds.query(
      `SELECT key, value FROM cluster_meta`,
    );
    expect(meta.map((r) => [r.key, Number(r.value)])).toEqual([['resourceVersion', 0]]);
  });

  it('the schema takes what the store writes, and the keys refuse duplicates', async () => {
    const p = ds.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
    const insert = `INSERT INTO resources (kind, namespace, name, uid, resource_version, body) VALUES (${[1, 2, 3, 4, 5, 6].map(p).join(', ')})`;
    await ds.query(insert, ['Pod', 'default', 'web-0', 'uid-1', '1', '{}']);
    await expect(ds.query(insert, ['Pod', 'default', 'web-0', 'uid-2', '2', '{}'])).rejects.toThrow();
    await expect(ds.query(insert, ['Pod', 'default', 'web-1', 'uid-1', '3', '{}'])).rejects.toThrow();
    await ds.query(
      `INSERT INTO change_log (resource_version, event_type, kind, namespace, name) VALUES (${[1, 2, 3, 4, 5].map(p).join(', ')})`,
      ['1', 'ADDED', 'Pod', 'default', 'web-0'],
    );
    await ds.query(`DELETE FROM change_log`);
    await ds.query(`DELETE FROM resources`);
  });

  it('down undoes each migration, newest first, until nothing is left', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await existing()).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);
  });

  it('up runs again on the emptied database', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran).toHaveLength(MIGRATIONS.length);
    for (const [table, cols] of Object.entries(SCHEMA)) expect(await columns(table)).toEqual(cols);
    const meta: { value: string | number }[] = await ds.query(
      `SELECT value FROM cluster_meta WHERE key = 'resourceVersion'`,
    );
    expect(meta.map((r) => Number(r.value))).toEqual([0]);
  });
});
