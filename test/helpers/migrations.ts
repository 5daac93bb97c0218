/** The migration files, oldest first, as the migrator names them: tests compare against these, not literals. */
import fs from 'node:fs';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';

export const MIGRATION_NAMES: readonly string[] = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{14}_.+\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

export const LATEST_MIGRATION = MIGRATION_NAMES.at(-1)!;
