import { Injectable } from '@nestjs/common';
import { DomainError } from '../../domain/errors.js';
import { ResourceStore } from '../persistence/resource-store.js';

@Injectable()
export class HealthService {
  constructor(private readonly store: ResourceStore) {}

  async ready(): Promise<string> {
    if (!this.store.isLoaded)
      throw new DomainError('ServiceUnavailable', 'readyz check failed: cluster state not loaded yet');
    try {
      await this.store.ping();
    } catch (e) {
      throw new DomainError(
        'ServiceUnavailable',
        `readyz check failed: database unreachable: ${(e as Error).message}`,
      );
    }
    return 'ok';
  }
}
