import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { recordingLog } from '../helpers/recording-log.ts';

const url = process.env.TEST_DATABASE_URL;

const pidOf = async (db: Kysely<Database>) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

/** Resolves once `pid` is gone from the server, i.e. the termination has reached the client's socket. */
async function waitGone(admin: pg.Client, pid: number): Promise<void> {
  for (;;) {
    const { rows } = await admin.query('select 1 from pg_stat_activity where pid = $1', [pid]);
    if (rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A server ending a connection (restart, failover, pg_terminate_backend, a timeout) must cost at most the
// query that was running on it: the pool drops the connection, opens another, and the process lives on.
// Without an 'error' listener Node treats the event as unhandled and exits (vitest reports it as an error).
describe.skipIf(!url)('a PostgreSQL connection the server ends', () => {
  const admin = new pg.Client({ connectionString: url });
  const handles: DatabaseHandle[] = [];
  const open = (extra: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number } = {}) => {
    const log = recordingLog();
    const handle = openDatabase({ kind: 'postgres', url: url!, poolMax: 2, ...extra }, log);
    handles.push(handle);
    return { db: handle.db, log };
  };

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await admin.end();
  });

  it('while idle in the pool is logged and replaced; the next query succeeds', async () => {
    const { db, log } = open();
    const pid = await pidOf(db);
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await waitGone(admin, pid);
    // Give the client's socket the moment it needs to see the server's goodbye.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await pidOf(db);
    expect(next).not.toBe(pid);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'database connection lost; the next query opens a new one',
        obj: expect.objectContaining({ code: '57P01' }),
      }),
    );
  });

  it('while running a query fails that query only; the next query succeeds', async () => {
    const { db } = open();
    const marker = `busy_${Date.now()}`;
    // Settled into a value at once, so its rejection is never momentarily unhandled.
    const busy = sql`select pg_sleep(10), ${marker}::text as marker`.execute(db).then(
      () => undefined,
      (err: unknown) => err,
    );
    let pid: number | undefined;
    while (pid === undefined) {
      const { rows } = await admin.query(
        "select pid from pg_stat_activity where query like '%pg_sleep%' and state = 'active' and pid <> pg_backend_pid() and query not like '%pg_stat_activity%'",
      );
      pid = rows[0]?.pid;
    }
    await admin.query('select pg_terminate_backend($1)', [pid]);
    expect(await busy).toMatchObject({ code: '57P01' });
    expect(await pidOf(db)).not.toBe(pid);
  });

  it('cancels a statement past the statement timeout and keeps the connection usable', async () => {
    const { db } = open({ statementTimeoutMs: 200 });
    await expect(sql`select pg_sleep(5)`.execute(db)).rejects.toMatchObject({ code: '57014' });
    expect(await pidOf(db)).toBeGreaterThan(0);
  });

  it('ends a transaction left idle past the idle-in-transaction timeout without killing the process', async () => {
    const { db } = open({ idleInTransactionTimeoutMs: 200 });
    // The client holds a transaction open and does nothing: the server ends the session while it is
    // checked out of the pool, where the pool has no listener of its own on it.
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 600));
        await sql`select 1`.execute(trx);
      }),
    ).rejects.toThrow();
    expect(await pidOf(db)).toBeGreaterThan(0);
  });
});
