import { ConfigError, loadConfig } from './config/config.js';
import { createApp } from './app.factory.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`netmodel: invalid configuration: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const log = app.getHttpAdapter().getInstance().log;
  log.info(`netmodel listening on http://${config.host}:${config.port} (GraphQL IDE at /graphql)`);

  // Graceful shutdown: stop accepting connections, let requests in flight finish (Fastify's close),
  // run the modules' shutdown hooks (change follower, database), then exit 0.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      log.info(`${signal} received: shutting down`);
      app.close().then(
        () => process.exit(0),
        (e: unknown) => {
          log.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

void main();
