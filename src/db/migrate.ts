/** Applies the migrations in migrations/ with Kysely's migrator (which locks, so several machines may run it). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatabaseIntrospector, type Kysely, sql, type TableMetadata } from 'kysely';
import { FileMigrationProvider, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration';
import type { Log } from '../core/log.ts';

// src/db/ and dist/src/db/ both sit two levels below the folder holding migrations/ (compiled to .js in dist/).
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
type AnyDb = Kysely<any>;

/**
 * `db` as the migrator sees it: its listing of schemas and tables covers the connection's own schema only.
 * Kysely's PostgreSQL introspector lists every table of the database and resolves each schema by name as it
 * goes, so a schema another client drops meanwhile (another tenant, a parallel test) failed the migrator's
 * check for its own tables with "schema … does not exist" before any migration ran. The migrator reads only
 * the names of its two tables from the listing.
 */
function ownSchemaOnly(db: AnyDb): AnyDb {
  const tables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p', 'f')`.execute(db);
    return rows.map((r) => ({
      name: r.name,
      schema: r.schema,
      isView: r.kind === 'v',
      isForeign: r.kind === 'f',
      columns: [],
    }));
  };
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows,
    getTables: tables,
  };
  // Everything else is the handle itself, its methods called on it (it keeps its state in private fields).
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one, so a `kysely_migration`
 * table in another schema of the same database (another app, a parallel test) would make it skip creating
 * ours. Pinning the schema the connection works in keeps the check to our own tables.
 */
async function createMigrator(db: AnyDb, migrationsDir = MIGRATIONS_DIR): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db: ownSchemaOnly(db),
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
