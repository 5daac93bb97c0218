/** A migrated PostgreSQL schema of its own for one benchmark run, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { loadTrack } from '../src/content/load.ts';
import type { Clock } from '../src/core/clock.ts';
import { silentLog } from '../src/core/log.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import type { StudyDeps } from '../src/db/deps.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';

export interface BenchDatabase {
  handle: DatabaseHandle;
  schema: string;
  /** The server's version, for the figures' header. */
  serverVersion: string;
  drop(): Promise<void>;
  /** Closes the connections and leaves the schema in place, to look at afterwards. */
  leave(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database');
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const handle = openDatabase({ kind: 'postgres', url, poolMax: 10, searchPath: schema });
  await migrateToLatest(handle.db, silentLog);
  const serverVersion = String((await admin.query('show server_version')).rows[0].server_version);
  return {
    handle,
    schema,
    serverVersion,
    async drop() {
      await handle.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
    async leave() {
      await handle.close();
      await admin.end();
    },
  };
}

/** The study dependencies every bench runs on: the built-in backend track, UTC by default, no logs. */
export function benchStudyDeps(db: Kysely<Database>, clock: Clock): StudyDeps {
  const track = loadTrack(path.resolve(import.meta.dirname, '../content'), 'backend');
  return {
    db,
    tracks: new Map([[track.id, track]]),
    imported: { byKey: new Map(), lastRowId: 0 },
    defaultTrackId: track.id,
    defaultTimezone: 'UTC',
    clock,
    log: silentLog,
  };
}
