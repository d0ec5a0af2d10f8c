import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type TestApp } from '../support/app.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(root, 'test', 'clients', '.out');
const COLLECTION = join(root, 'postman', 'netmodel.postman_collection.json');
const NEWMAN = join(root, 'node_modules', '.bin', 'newman');

interface Stat {
  total: number;
  failed: number;
}
/** The parts of newman's JSON report this spec reads. */
interface NewmanReport {
  run: {
    stats: { requests: Stat; assertions: Stat; testScripts: Stat; prerequestScripts: Stat };
    failures: { error: { name: string; message: string; test?: string }; source?: { name?: string } }[];
    executions: {
      item: { name: string };
      requestError?: { message: string };
      assertions?: { assertion: string; error?: { message: string } }[];
    }[];
  };
}

/** Runs newman's CLI (a dev dependency, so nothing to skip) and returns its JSON report and console output. */
function runNewman(
  baseUrl: string,
  report: string,
): Promise<{ code: number; output: string; report: NewmanReport }> {
  return new Promise((resolve, reject) => {
    const args = [
      'run',
      COLLECTION,
      '--env-var',
      `baseUrl=${baseUrl}`,
      '--reporters',
      'cli,json',
      '--reporter-json-export',
      report,
      '--color',
      'off',
      '--timeout-request',
      '10000',
    ];
    execFile(NEWMAN, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      try {
        resolve({
          code,
          output: `${stdout}${stderr}`,
          report: JSON.parse(readFileSync(report, 'utf8')) as NewmanReport,
        });
      } catch (e) {
        reject(
          new Error(`newman wrote no report (exit ${code}): ${(e as Error).message}\n${stdout}${stderr}`),
        );
      }
    });
  });
}

describe('Postman collection with newman', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ seed: 'demo' });
  }, 60_000);

  afterAll(async () => {
    await app?.close({ drop: true });
  });

  it('passes every assertion of postman/netmodel.postman_collection.json, twice in a row', async () => {
    const port = (app.app.getHttpServer().address() as { port: number }).port;
    mkdirSync(OUT, { recursive: true });
    // Twice: the collection makes its own uniquely named namespace, so it can run again on one server.
    for (const pass of [1, 2]) {
      const { code, output, report } = await runNewman(
        `http://127.0.0.1:${port}`,
        join(OUT, `newman-${pass}.json`),
      );
      const { stats, failures, executions } = report.run;
      const requestErrors = executions
        .filter((e) => e.requestError)
        .map((e) => `${e.item.name}: ${e.requestError!.message}`);
      const failed = failures.map(
        (f) => `${f.source?.name ?? '?'}: ${f.error.test ?? f.error.name}: ${f.error.message}`,
      );
      if (code !== 0 || failed.length > 0 || requestErrors.length > 0) console.error(output);
      expect({ pass, requestErrors, failed }).toEqual({ pass, requestErrors: [], failed: [] });
      expect(stats.assertions.failed).toBe(0);
      expect(stats.requests.failed).toBe(0);
      expect(stats.testScripts.failed).toBe(0);
      expect(stats.prerequestScripts.failed).toBe(0);
      // A collection that ran nothing would pass too: make sure it did run.
      expect(stats.requests.total).toBeGreaterThanOrEqual(25);
      expect(stats.assertions.total).toBeGreaterThanOrEqual(30);
      expect(code).toBe(0);
    }
  }, 120_000);
});
