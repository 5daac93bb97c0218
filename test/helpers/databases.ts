/**
 * The databases every storage-touching test runs against: PGlite always, a real PostgreSQL when
 * TEST_DATABASE_URL is set. Each test gets a database in the state of a fresh copy of the migrated template:
 * a new copy, or one an earlier test gave back and recycling.ts emptied.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { kyselyRun, type Run, resetToTemplate, schemaFingerprint } from './recycling.ts';
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
  /** `migrate: false` gives an empty database of its own, never a recycled one. */
  open(opts?: { migrate?: boolean }): Promise<TestDatabase>;
}

const execFileAsync = promisify(execFile);
const url = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !url) {
  throw new Error('CI must run the database tests on PostgreSQL too: set TEST_DATABASE_URL (see .ci/run).');
}

// --- PGlite ----------------------------------------------------------------------------------------------

// The migrated template, read once per worker; every PGlite test database is loaded from it (see global-setup.ts).
let template: Blob | undefined;
const migratedTemplate = (): Blob => {
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  return template;
};

/**
 * Fills an empty PGlite data directory on disk with a copy of the migrated template, as a first start leaves
 * it (created and migrated), without paying for PGlite's initdb and the migrations again. The template is the
 * data directory itself, as a tar archive.
 */
export async function migratedDataDir(dataDir: string): Promise<void> {
  await execFileAsync('tar', ['-xf', inject('pgliteTemplate'), '-C', dataDir]);
}

/** PGlite instances given back and emptied, for the next test in this worker. */
const idlePglite: DatabaseHandle[] = [];
/** The schema fingerprint of a fresh copy, taken from this worker's first one before any test used it. */
let pgliteReference: Promise<string> | undefined;

async function freshPglite(): Promise<DatabaseHandle> {
  const handle = openDatabase({ kind: 'pglite', loadDataDir: migratedTemplate() });
  if (!pgliteReference) {
    const reference = schemaFingerprint(kyselyRun(handle.db));
    pgliteReference = reference;
    // A copy that failed to start says nothing about the template: the next fresh copy tries again.
    reference.catch(() => {
      if (pgliteReference === reference) pgliteReference = undefined;
    });
  }
  await pgliteReference;
  return handle;
}

/**
 * The test's view of a shared PGlite instance: closing it (or dropping the database) fences it off, so a query
 * the test left running late fails as it would on a closed database instead of landing in the next test's.
 */
function lend(shared: DatabaseHandle, giveBack: () => Promise<void>): TestDatabase {
  let closed = false;
  const fence: KyselyPlugin = {
    transformQuery({ node }) {
      if (closed) throw new Error('the test database is closed');
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const handle: DatabaseHandle = {
    db: shared.db.withPlugin(fence),
    kind: shared.kind,
    poolStats: () => shared.poolStats(),
    close: async () => {
      closed = true;
    },
  };
  let dropped: Promise<void> | undefined;
  return {
    handle,
    drop() {
      closed = true;
      dropped ??= giveBack();
      return dropped;
    },
  };
}

const pglite: TestBackend = {
  name: 'pglite',
  async open(opts = {}) {
    if (opts.migrate === false) {
      const handle = openDatabase({ kind: 'pglite' });
      return { handle, drop: () => handle.close() };
    }
    const shared = idlePglite.pop() ?? (await freshPglite());
    return lend(shared, async () => {
      const run = kyselyRun(shared.db);
      // DISCARD ALL ends what a session may hold (temporary tables, settings, locks) and refuses to run inside
      // a transaction the test left open; either way a failure only means a new copy for the next test.
      const clean = await run('discard all')
        .then(async () => resetToTemplate(run, await pgliteReference!))
        .catch(() => false);
      if (clean) idlePglite.push(shared);
      else await shared.close().catch(() => {});
    });
  },
};

// --- PostgreSQL -------------------------------------------------------------------------------------------

/**
 * Each test database on the server is its own database, copied from the migrated template (or empty when the
 * test runs the migrations itself), so files can run in parallel without seeing each other. A database given
 * back is emptied and renamed into this run's idle set, where any worker's next test can claim it by renaming
 * it again (a rename succeeds for one claimant only). global-setup.ts drops the run's databases at the end.
 */
const postgres = (connectionString: string): TestBackend => ({
  name: 'postgres',
  async open(opts = {}) {
    const run = inject('databaseRun');
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    const name = `t_${run}_${randomBytes(6).toString('hex')}`;
    const recycle = opts.migrate !== false;
    if (!(recycle && (await claimIdle(admin, run, name)))) {
      const from = recycle ? inject('postgresTemplate') : 'template0';
      await admin.query(`create database ${name} template ${from}`);
    }
    const url = withDatabase(connectionString, name);
    const handle = openDatabase({ kind: 'postgres', url, poolMax: 8 });
    let dropped: Promise<void> | undefined;
    const drop = async () => {
      try {
        await handle.close();
        const reset = recycle && (await resetServerDatabase(withDatabase(connectionString, name)));
        if (reset) await whenReleased(() => admin.query(`alter database ${name} rename to ${idleName(run)}`));
        else await whenReleased(() => admin.query(`drop database ${name}`));
      } finally {
        await admin.end();
      }
    };
    return {
      handle,
      url,
      drop() {
        dropped ??= drop();
        return dropped;
      },
    };
  },
});

const idlePrefix = (run: string) => `t_${run}_idle_`;
const idleName = (run: string) => `${idlePrefix(run)}${randomBytes(6).toString('hex')}`;

/** Renames one of the run's idle databases to `name`; false when there is none to claim. */
async function claimIdle(admin: pg.Client, run: string, name: string): Promise<boolean> {
  const { rows } = await admin.query<{ datname: string }>(
    'select datname from pg_database where starts_with(datname, $1) order by random()',
    [idlePrefix(run)],
  );
  for (const { datname } of rows) {
    try {
      await admin.query(`alter database ${datname} rename to ${name}`);
      return true;
    } catch {
      // Another worker claimed it first (it no longer exists under that name), or it is still in use.
    }
  }
  return false;
}

/** Empties a database given back through a connection of its own; false when it cannot be reused. */
async function resetServerDatabase(databaseUrl: string): Promise<boolean> {
  // A test that left a transaction holding locks makes TRUNCATE wait: give up quickly and drop it instead.
  const client = new pg.Client({ connectionString: databaseUrl, options: '-c lock_timeout=2000' });
  try {
    await client.connect();
    const run: Run = async (text) => (await client.query(text)).rows;
    return await resetToTemplate(run, inject('postgresFingerprint')!);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A closed pool's connections can take a moment to leave the server; dropping or renaming the database with
 * (force) would kill them mid-goodbye and raise an error on a client nobody listens to any more, so wait for
 * them instead.
 */
async function whenReleased(statement: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await statement();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export const backends: TestBackend[] = url ? [pglite, postgres(url)] : [pglite];
export const postgresBackend: TestBackend | undefined = url ? postgres(url) : undefined;
