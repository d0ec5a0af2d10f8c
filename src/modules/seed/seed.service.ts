import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { bootstrapObjects } from '../../domain/resources/bootstrap.js';
import { KIND_NAMES } from '../../domain/model/kinds.js';
import { ApplyService } from '../apply/apply.service.js';
import { ResourceStore } from '../persistence/resource-store.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The demo manifest, found from the source tree or from the build output. */
export async function readDemoCluster(): Promise<string> {
  for (const candidate of [
    resolve(here, '../../../examples/demo-cluster.yaml'),
    resolve(here, '../../../../examples/demo-cluster.yaml'),
  ]) {
    try {
      return await readFile(candidate, 'utf8');
    } catch {
      // try the next location
    }
  }
  throw new Error('examples/demo-cluster.yaml not found');
}

/**
 * Fills an empty database with what a new cluster has, and with NETMODEL_SEED (`demo` or a manifest
 * path) on top. A database that holds anything is left alone, so a restart never re-seeds.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly log = new Logger(SeedService.name);

  constructor(
    private readonly store: ResourceStore,
    private readonly apply: ApplyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const snap = this.store.snapshot();
    if (snap.resourceVersion > 0 || KIND_NAMES.some((k) => snap.count(k) > 0)) return;
    const docs: unknown[] = bootstrapObjects(this.config.serviceCidrs);
    const r = await this.apply.apply(docs);
    this.log.log(`new cluster: ${r.created} objects created`);
    const seed = this.config.seed;
    if (seed === 'none' || seed === '') return;
    let text: string;
    try {
      text = seed === 'demo' ? await readDemoCluster() : await readFile(seed, 'utf8');
    } catch (e) {
      throw new Error(`NETMODEL_SEED: cannot read ${JSON.stringify(seed)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const s = await this.apply.apply(text);
    this.log.log(`seed ${seed}: ${s.created} created, ${s.skipped} skipped`);
  }
}
