import { Module } from '@nestjs/common';
import { ApplyController } from './apply.controller.js';
import { ApplyResolver } from './apply.resolver.js';
import { ApplyService } from './apply.service.js';

@Module({ controllers: [ApplyController], providers: [ApplyService, ApplyResolver], exports: [ApplyService] })
export class ApplyModule {}
