import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './config.js';
import { dataSourceOptions } from './database.js';

// The TypeORM CLI entry (`npm run migration:run`) reads the default export; the app builds its own.
export default new DataSource(dataSourceOptions(loadConfig(process.env).database));
