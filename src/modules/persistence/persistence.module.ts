import { Global, Module } from '@nestjs/common';
import { ResourceStore } from './resource-store.js';

@Global()
@Module({ providers: [ResourceStore], exports: [ResourceStore] })
export class PersistenceModule {}
