/** The databases every storage-touching test runs against: PGlite always, a real PostgreSQL when TEST_DATABASE_URL is set. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { withDatabase } from './template-database.ts';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The database's URL on the server, for a child process to connect to (PostgreSQL only). */
  url?: string;
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

// The migrated template, read once per worker; every PGlite test database is loaded from it (see global-setup.ts).
let template: Blob | undefined;
const migratedTemplate = (): Blob => {
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  return template;
};

const pglite: TestBackend = {
  name: 'pglite',
  async open(opts = {}) {
    const handle = openDatabase(
      opts.migrate === false ? { kind: 'pglite' } : { kind: 'pglite', loadDataDir: migratedTemplate() },
    );
    return { handle, drop: () => handle.close() };
  },
};

/**
 * Each test database on the server is its own database, copied from the migrated template (or empty when the
 * test runs the migrations itself), so files can run in parallel without seeing each other.
 */
const postgres = (connectionString: string): TestBackend => ({
  name: 'postgres',
  async open(opts = {}) {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    const from = opts.migrate === false ? 'template0' : inject('postgresTemplate');
    await admin.query(`create database ${name} template ${from}`);
    const url = withDatabase(connectionString, name);
    const handle = openDatabase({ kind: 'postgres', url, poolMax: 8 });
    return {
      handle,
      url,
      async drop() {
        await handle.close();
        await dropWhenReleased(admin, name);
        await admin.end();
      },
    };
  },
});

/**
 * A closed pool's connections can take a moment to leave the server; dropping with (force) would kill them
 * mid-goodbye and raise an error on a client nobody listens to any more, so wait for them instead.
 */
async function dropWhenReleased(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`drop database ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export const backends: TestBackend[] = url ? [pglite, postgres(url)] : [pglite];
export const postgresBackend: TestBackend | undefined = url ? postgres(url) : undefined;
