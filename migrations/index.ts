import { InitialSchema1763942400000 } from './1763942400000-InitialSchema.js';

/** Every migration, oldest first. Listed by class so the app, the CLI and the tests load the same set. */
export const MIGRATIONS = [InitialSchema1763942400000];
