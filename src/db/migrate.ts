/** Applies the migrations in migrations/ with Kysely's migrator (which locks, so several machines may run it). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { FileMigrationProvider, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration';
import type { Log } from '../core/log.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
type AnyDb = Kysely<any>;

/**
 * The migrator, bound to the connection's current schema: Kysely otherwise looks for its bookkeeping
 * tables in every schema and may find another schema's on a shared server.
 */
async function createMigrator(db: AnyDb, migrationsDir = MIGRATIONS_DIR): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: migrationsDir }),
    ...(rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {}),
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
  const result = await (await createMigrator(db)).migrateToLatest();
  report(log, result, 'up');
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Reverts the newest applied migration (or all of them with `all`). */
export async function migrateDown(db: AnyDb, log: Log, all = false): Promise<string[]> {
  const migrator = await createMigrator(db);
  const result = all ? await migrator.migrateTo(NO_MIGRATIONS) : await migrator.migrateDown();
  report(log, result, 'down');
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
