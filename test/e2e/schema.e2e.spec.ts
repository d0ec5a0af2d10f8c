import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFileSync } from 'node:fs';
import { printContractSchema } from '../../src/common/graphql/print-schema.js';
import { startApp, type TestApp } from '../support/app.js';

describe('schema.gql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close({ drop: true });
  });

  it('is the schema the service serves (regenerate with npm run schema:generate)', () => {
    const served = printContractSchema(t.app.get(GraphQLSchemaHost).schema);
    expect(readFileSync('schema.gql', 'utf8')).toBe(served);
  });

  it('names the contract: applyManifests, the per-kind lists and the Kubernetes object interface', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const mutation = schema.getMutationType()!.getFields();
    expect(mutation.applyManifests!.args.map((a) => a.name)).toEqual(['atomic', 'dryRun', 'manifests']);
    const query = schema.getQueryType()!.getFields();
    for (const f of [
      'namespaces',
      'nodes',
      'pods',
      'pod',
      'services',
      'service',
      'endpointSlices',
      'networkPolicies',
      'ingresses',
      'ingressClasses',
      'exportManifests',
    ]) {
      expect(query[f]).toBeDefined();
    }
    expect(query.pods!.args.map((a) => a.name).sort()).toEqual([
      'after',
      'first',
      'labelSelector',
      'namespace',
    ]);
  });
});
