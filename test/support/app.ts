import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly db: TestDatabase;
  /** supertest against the running server. */
  http(): ReturnType<typeof request>;
  /** POST /graphql; returns the parsed body (data and errors). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; data: T; errors?: GqlError[] }>;
  /** Stops the app; the database stays unless `drop` is true. */
  close(opts?: { drop?: boolean }): Promise<void>;
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    reason?: string;
    status?: number;
    causes?: { reason: string; field: string; message: string }[];
    report?: unknown[];
  };
}

export interface StartOptions {
  /** Reuse a database (restart, second replica); a fresh one is created otherwise. */
  readonly db?: TestDatabase;
  readonly seed?: string;
  readonly env?: Record<string, string>;
}

/** Starts the real application (same factory as main.ts) on a random port against a real database file. */
export async function startApp(opts: StartOptions = {}): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ...opts.env,
    DATABASE_URL: db.url,
    NETMODEL_SEED: opts.seed ?? 'none',
    PORT: '0',
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = app.getHttpServer();
  return {
    app,
    config,
    db,
    http: () => request(server),
    async gql(query, variables) {
      const res = await request(server).post('/graphql').send({ query, variables });
      return { status: res.status, data: res.body.data, errors: res.body.errors };
    },
    async close(o = {}) {
      await app.close();
      if (o.drop) await db.drop();
    },
  };
}

export const YAML = 'application/yaml';
