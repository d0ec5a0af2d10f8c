/**
 * The fast YAML reader against js-yaml on whole files: the import bench's generated cluster (12,600
 * documents) and every example manifest must be read by the fast reader, value for value as js-yaml
 * reads them.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster } from '../../bench/import/cluster.js';
import { parseBlockYaml } from '../../src/domain/manifests/block-yaml.js';
import { parseWithJsYaml, resolvePlainScalar } from '../../src/domain/manifests/parse.js';

function expectSame(text: string): void {
  const fast = parseBlockYaml(text, resolvePlainScalar);
  expect(fast).toBeDefined();
  const slow = parseWithJsYaml(text);
  expect(fast!.length).toBe(slow.length);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  expect(fast).toStrictEqual(slow);
}

describe('fast YAML reader = js-yaml', () => {
  it('on the import bench cluster', () => {
    expectSame(generateCluster().yaml);
  });

  const dir = join(import.meta.dirname, '../../examples');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  it('has example files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)('on examples/%s', (file) => {
    expectSame(readFileSync(join(dir, file), 'utf8'));
  });
});
