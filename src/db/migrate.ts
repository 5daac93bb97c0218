/** Applies the migrations in migrations/ with Kysely's migrator (which locks, so several machines may run it). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration';
import type { Log } from '../core/log.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
type AnyDb = Kysely<any>;

function createMigrator(db: AnyDb, migrationsDir = MIGRATIONS_DIR): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: migrationsDir }),
  });
}

function report(log: Log, { error, results }: MigrationResultSet, direction: 'up' | 'down'): void {
  for (const r of results ?? []) {
    if (r.status === 'Success') log.info({ migration: r.migrationName, direction }, 'migration applied');
    else if (r.status === 'Error') log.error({ migration: r.migrationName, direction }, 'migration failed');
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Brings the schema to the latest migration; returns the names applied now. */
export async function migrateToLatest(db: AnyDb, log: Log): Promise<string[]> {
  const result = await createMigrator(db).migrateToLatest();
  report(log, result, 'up');
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Reverts the newest applied migration (or all of them with `all`). */
export async function migrateDown(db: AnyDb, log: Log, all = false): Promise<string[]> {
  const migrator = createMigrator(db);
  const result = all ? await migrator.migrateTo(NO_MIGRATIONS) : await migrator.migrateDown();
  report(log, result, 'down');
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
