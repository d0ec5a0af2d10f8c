import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { requireProgram } from './tools.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const composeFile = join(root, 'docker-compose.yml');
const compose = requireProgram('compose.spec', 'docker-compose', 'apt-get install docker-compose');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  profiles?: string[];
  environment?: Record<string, string | null>;
  ports?: { published: number | string; target: number }[];
  volumes?: ({ type?: string; source?: string; target?: string } | string)[];
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** `docker-compose config` output: the file as compose resolved it (anchors merged, ports normalised). */
async function resolvedConfig(...extra: string[]): Promise<ComposeConfig> {
  const { stdout } = await run(compose!, ['-f', composeFile, ...extra, 'config'], { cwd: root });
  return parse(stdout) as ComposeConfig;
}

function published(s: ComposeService): number[] {
  return (s.ports ?? []).map((p) => Number(p.published));
}

// docker-compose 1.29 validates without a Docker engine, which CI machines do not have.
(compose ? describe : describe.skip)('docker-compose.yml (docker-compose 1.29 schema)', () => {
  it('validates with `config -q`, with and without the postgres profile', async () => {
    await expect(run(compose!, ['-f', composeFile, 'config', '-q'], { cwd: root })).resolves.toBeDefined();
    await expect(
      run(compose!, ['-f', composeFile, '--profile', 'postgres', 'config', '-q'], { cwd: root }),
    ).resolves.toBeDefined();
  });

  it('uses the 1.29 file format: version 3.8 and no top-level name', () => {
    const raw = parse(readFileSync(composeFile, 'utf8')) as Record<string, unknown>;
    expect(raw.version).toBe('3.8');
    expect(raw).not.toHaveProperty('name');
  });

  it('runs netmodel on SQLite by default: port 3000, the demo seed, ./data on a named volume', async () => {
    const cfg = await resolvedConfig();
    const app = cfg.services.netmodel!;
    expect(app.profiles ?? []).toEqual([]);
    expect(app.build?.dockerfile).toBe('Dockerfile');
    expect(published(app)).toEqual([3000]);
    expect(app.environment?.NETMODEL_SEED).toBe('demo');
    expect(app.environment?.DATABASE_URL ?? 'sqlite:./data/netmodel.sqlite').toMatch(/^sqlite:/);
    const volumes = (app.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    const dataVolume = volumes.find((v) => v.split(':')[1] === '/app/data');
    expect(dataVolume).toBeDefined();
    expect(Object.keys(cfg.volumes ?? {})).toContain(dataVolume!.split(':')[0]);
  });

  it('puts PostgreSQL and two replicas sharing one DATABASE_URL behind the postgres profile', async () => {
    const cfg = await resolvedConfig('--profile', 'postgres');
    const { postgres, 'netmodel-a': a, 'netmodel-b': b } = cfg.services;
    expect(postgres?.image).toMatch(/^postgres:15/);
    for (const s of [postgres!, a!, b!]) expect(s.profiles).toEqual(['postgres']);
    expect(published(a!)).toEqual([3001]);
    expect(published(b!)).toEqual([3002]);
    const url = a!.environment?.DATABASE_URL;
    expect(url).toMatch(/^postgres:\/\/[^@]+@postgres:5432\/\w+$/);
    expect(b!.environment?.DATABASE_URL).toBe(url);
    expect(a!.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(b!.depends_on?.postgres?.condition).toBe('service_healthy');
    // Replicas run the same image as the SQLite service.
    expect(a!.image).toBe(cfg.services.netmodel!.image);
    expect(b!.image).toBe(cfg.services.netmodel!.image);
  });
});
