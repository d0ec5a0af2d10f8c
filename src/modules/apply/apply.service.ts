import { Injectable } from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import { exportYaml } from '../../domain/manifests/export.js';
import { documentsFromValue, parseManifests, type ManifestDocument } from '../../domain/manifests/parse.js';
import { planApply, type ApplyItemReport } from '../../domain/resources/apply.js';
import { ResourceStore } from '../persistence/resource-store.js';
import { checkStructure } from '../resources/dto/decode.js';

export interface ApplyOutcome {
  readonly dryRun: boolean;
  readonly resourceVersion: string;
  readonly items: readonly ApplyItemReport[];
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface ApplyRequest {
  readonly dryRun?: boolean;
  /** All-or-nothing (default true). With false, valid documents are applied and failed ones reported. */
  readonly atomic?: boolean;
}

/** Apply and export of whole manifests: the import path for hand-written clusters and kubectl snapshots. */
@Injectable()
export class ApplyService {
  constructor(private readonly store: ResourceStore) {}

  async apply(input: string | object, req: ApplyRequest = {}): Promise<ApplyOutcome> {
    // A JSON body arrives decoded: take its values as they are rather than print and parse them again.
    const docs: ManifestDocument[] =
      typeof input === 'string' ? parseManifests(input) : documentsFromValue(input);
    if (docs.length === 0) throw new DomainError('BadRequest', 'no objects passed to apply');
    const ctx = this.store.writeContext(checkStructure);
    const { result, resourceVersion } = await this.store.write(
      (view, admission) => {
        const plan = planApply(view, docs, { ...ctx, admission }, { atomic: req.atomic ?? true });
        return { writes: plan.writes, result: plan.items };
      },
      { dryRun: req.dryRun },
    );
    const count = (a: ApplyItemReport['action']) => result.filter((r) => r.action === a).length;
    return {
      dryRun: req.dryRun ?? false,
      resourceVersion: String(resourceVersion),
      items: result,
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      skipped: count('skipped'),
      failed: count('failed'),
    };
  }

  exportYaml(): string {
    return exportYaml(this.store.snapshot());
  }
}
