import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  readonly url: string;
  readonly kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

/** The backend under test: PostgreSQL when DATABASE_URL points at one, else a SQLite file. */
export function testBackend(): 'sqlite' | 'postgres' {
  const u = process.env.DATABASE_URL ?? '';
  return u.startsWith('postgres') ? 'postgres' : 'sqlite';
}

/**
 * A fresh, empty database for one test: a new SQLite file in a temp folder, or a new database on the
 * PostgreSQL server DATABASE_URL names (created and dropped here, so tests never share state).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'netmodel-test-'));
    return {
      url: `sqlite:${join(dir, 'netmodel.sqlite')}`,
      kind: 'sqlite',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.DATABASE_URL!;
  const name = `netmodel_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    kind: 'postgres',
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
