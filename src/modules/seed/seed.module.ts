import { Module } from '@nestjs/common';
import { ApplyModule } from '../apply/apply.module.js';
import { SeedService } from './seed.service.js';

@Module({ imports: [ApplyModule], providers: [SeedService] })
export class SeedModule {}
