import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module.js';
import { toDomainError } from './common/all-exceptions.filter.js';
import { graphiqlPage } from './common/graphql/graphiql.js';
import { toStatus } from './common/status.js';
import { createPino, PinoNestLogger } from './common/logger.js';
import type { AppConfig } from './config/config.js';
import { MetricsService } from './modules/metrics/metrics.service.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TEXT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/apply-patch+yaml',
];
const JSON_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];

/**
 * Builds the application exactly as `main.ts` runs it, so end-to-end tests exercise the same HTTP
 * setup: Fastify with a body limit, request ids and JSON logs, the content types Kubernetes clients send,
 * the offline GraphQL IDE, and request metrics.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createPino(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // genReqId reads and checks the header itself (an id with spaces or 10 kB is replaced, not logged).
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  fastify.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (e) {
      (e as Error & { statusCode?: number }).statusCode = 400;
      done(e as Error, undefined);
    }
  });

  // Errors raised before a route handler runs (body too large, malformed JSON, unknown media type) get
  // the same Kubernetes Status body as everything else.
  fastify.setErrorHandler((err, _req, reply) => {
    const status = toStatus(toDomainError(err));
    void reply.status(status.code).header('content-type', 'application/json').send(status);
  });

  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // Browsers asking for /graphql get the IDE; API clients (POST, or GET with ?query=) get GraphQL.
    if (
      req.method === 'GET' &&
      req.url.split('?')[0] === '/graphql' &&
      !req.url.includes('query=') &&
      (req.headers.accept ?? '').includes('text/html')
    ) {
      return reply.header('content-type', 'text/html; charset=utf-8').send(graphiqlPage());
    }
    return undefined;
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.init();
  const gql = (
    fastify as unknown as { graphql?: { addHook: (name: string, fn: (...a: unknown[]) => unknown) => void } }
  ).graphql;
  gql?.addHook('preExecution', async (_schema: unknown, document: unknown, context: unknown) => {
    const def = (
      document as { definitions: { kind: string; operation?: string; name?: { value: string } }[] }
    ).definitions.find((d) => d.kind === 'OperationDefinition');
    const labels = { operation: metrics.operationLabel(def?.name?.value), type: def?.operation ?? 'query' };
    metrics.graphqlOperations.inc(labels);
    (context as { __timer?: () => void }).__timer = metrics.graphqlDuration.startTimer(labels);
  });
  gql?.addHook('onResolution', async (_execution: unknown, context: unknown) => {
    (context as { __timer?: () => void }).__timer?.();
  });
  return app;
}
