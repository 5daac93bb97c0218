/**
 * Migrated template databases, made once per test run: a dumped PGlite data directory on disk, and (when
 * TEST_DATABASE_URL is set) a PostgreSQL TEMPLATE database. Each test database starts as a copy of one,
 * so no test pays for running the migrations again. Both are keyed by the migration files' contents, so a
 * changed or added migration makes a new template instead of reusing a stale one.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import pg from 'pg';
import { silentLog } from '../../src/core/log.ts';
import { openDatabase } from '../../src/db/database.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import { schemaFingerprint } from './recycling.ts';

export function migrationsKey(): string {
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Writes a migrated PGlite data directory dump (once per migration set) and returns its path. */
export async function pgliteTemplate(key = migrationsKey()): Promise<string> {
  const file = path.join(os.tmpdir(), `roadmap-bot-test-pglite-${key}.tar`);
  if (fs.existsSync(file)) return file;
  const pglite = new PGlite();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db, silentLog);
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  return file;
}

function templateDatabaseName(key = migrationsKey()): string {
  return `roadmap_tpl_${key}`;
}

/** Creates the migrated PostgreSQL template database once per migration set; returns its name. */
export async function postgresTemplate(connectionString: string, key = migrationsKey()): Promise<string> {
  const name = templateDatabaseName(key);
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return name;
    const building = `${name}_${process.pid}`;
    await admin.query(`create database ${building}`);
    const handle = openDatabase({
      kind: 'postgres',
      url: withDatabase(connectionString, building),
      poolMax: 1,
    });
    try {
      await migrateToLatest(handle.db, silentLog);
    } finally {
      await handle.close();
    }
    // Renamed only once complete, so a run that dies half-way never leaves a half-migrated template behind.
    await admin.query(`alter database ${building} rename to ${name}`);
    return name;
  } catch (error) {
    // Another run made the same template at the same moment: theirs is as good as ours.
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return name;
    throw error;
  } finally {
    await admin.end();
  }
}

/** The same connection string pointed at another database on the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The schema fingerprint of a fresh copy of the template, which every database given back must match to be
 * reused. The copy is left as the run's first idle database (`t_<run>_idle_…`) for a test to claim; the
 * template itself is never connected to, since CREATE DATABASE refuses a template that has sessions.
 */
export async function postgresReference(
  connectionString: string,
  template: string,
  run: string,
): Promise<string> {
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    const copy = `t_${run}_idle_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${copy} template ${template}`);
    const client = new pg.Client({ connectionString: withDatabase(connectionString, copy) });
    await client.connect();
    try {
      return await schemaFingerprint(async (text) => (await client.query(text)).rows);
    } finally {
      await client.end();
    }
  } finally {
    await admin.end();
  }
}

/**
 * A run's name: when it started (seconds, base 36) and a random part. The time lets a later run drop what a
 * killed run left behind, which no end-of-run hook ever dropped.
 */
export function newRunName(now = Date.now()): string {
  return `s${Math.floor(now / 1000).toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A run older than this is over, or was killed: its databases are dropped by the next run's setup. */
const STALE_RUN_MS = 6 * 3_600_000;

/** Drops every database of this run (`t_<run>_…`) once its tests are over, whatever state they were left in. */
export async function dropRunDatabases(connectionString: string, run: string): Promise<void> {
  await dropDatabasesWhere(connectionString, (name) => name.startsWith(`t_${run}_`));
}

/** Drops the databases of runs that started more than six hours ago (killed before their end could). */
export async function dropStaleRunDatabases(connectionString: string, now = Date.now()): Promise<string[]> {
  return dropDatabasesWhere(connectionString, (name) => {
    const started = /^t_s([0-9a-z]+)_[0-9a-f]{6}_/.exec(name)?.[1];
    return started !== undefined && now - Number.parseInt(started, 36) * 1000 > STALE_RUN_MS;
  });
}

async function dropDatabasesWhere(connectionString: string, drop: (name: string) => boolean) {
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, 't_')",
    );
    const names = rows.map((r) => r.datname).filter(drop);
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
    return names;
  } finally {
    await admin.end();
  }
}
