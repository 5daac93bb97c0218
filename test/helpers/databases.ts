/** The databases every storage-touching test runs against: PGlite always, a real PostgreSQL when TEST_DATABASE_URL is set. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { silentLog } from '../../src/core/log.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Closes the connection and removes everything the test created. */
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'pglite' | 'postgres';
  open(opts?: { migrate?: boolean }): Promise<TestDatabase>;
}

const url = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !url) {
  throw new Error('CI must run the database tests on PostgreSQL too: set TEST_DATABASE_URL (see .ci/run).');
}

const pglite: TestBackend = {
  name: 'pglite',
  async open(opts = {}) {
    const handle = openDatabase({ kind: 'pglite' });
    if (opts.migrate !== false) await migrateToLatest(handle.db, silentLog);
    return { handle, drop: () => handle.close() };
  },
};

/** Each test database on the server is a fresh schema, so files can run in parallel without seeing each other. */
const postgres = (connectionString: string): TestBackend => ({
  name: 'postgres',
  async open(opts = {}) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const handle = openDatabase({ kind: 'postgres', url: connectionString, poolMax: 8, searchPath: schema });
    if (opts.migrate !== false) await migrateToLatest(handle.db, silentLog);
    return {
      handle,
      async drop() {
        await handle.close();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  },
});

export const backends: TestBackend[] = url ? [pglite, postgres(url)] : [pglite];
export const postgresBackend: TestBackend | undefined = url ? postgres(url) : undefined;
