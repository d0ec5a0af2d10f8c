/**
 * Writes schema.gql: the GraphQL schema the service serves, printed from the running application (code
 * first). Committed so clients and reviewers see the contract; test/e2e/schema.e2e.spec.ts fails when the
 * file and the code drift apart. Run: npm run build && npm run schema:generate
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { writeFileSync } from 'node:fs';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { printContractSchema } from '../src/common/graphql/print-schema.js';

const app = await createApp(
  loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', NETMODEL_SEED: 'none' }),
);
writeFileSync('schema.gql', printContractSchema(app.get(GraphQLSchemaHost).schema));
await app.close();
process.stdout.write('wrote schema.gql\n');
