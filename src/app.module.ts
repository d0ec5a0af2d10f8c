import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { formatGraphQLErrors } from './common/graphql/error-formatter.js';
import { complexityRule } from './common/graphql/complexity.js';
import { depthRule } from './common/graphql/depth.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { dataSourceOptions } from './config/database.js';
import { ApplyModule } from './modules/apply/apply.module.js';
import { DnsModule } from './modules/dns/dns.module.js';
import { PolicyModule } from './modules/policy/policy.module.js';
import { ProxyModule } from './modules/proxy/proxy.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IpamModule } from './modules/ipam/ipam.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { PersistenceModule } from './modules/persistence/persistence.module.js';
import { ResourcesModule } from './modules/resources/resources.module.js';
import { SeedModule } from './modules/seed/seed.module.js';

@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

/** Wiring only: configuration, database, GraphQL driver and the feature modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.database)),
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: false,
          path: '/graphql',
          jit: 1,
          // Static rules keep Mercurius' query cache (and JIT); `first` given as a variable costs as an
          // assumed page. Depth is our own rule rather than Mercurius' queryDepth so introspection (the
          // IDE's schema query) is exempt.
          validationRules: [depthRule(config.graphqlMaxDepth), complexityRule(config.graphqlMaxComplexity)],
          errorFormatter: (execution) => formatGraphQLErrors(execution),
        }),
        PersistenceModule,
        MetricsModule,
        ResourcesModule,
        ApplyModule,
        IpamModule,
        DnsModule,
        PolicyModule,
        ProxyModule,
        SeedModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
