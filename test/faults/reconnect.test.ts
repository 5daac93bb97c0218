/**
 * A query that needs a new connection while PostgreSQL is restarting waits for the server to come back
 * instead of failing at once: a click that arrives during a restart is recorded rather than lost.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { recordingLog } from '../helpers/recording-log.ts';
import { postgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from './harness.ts';

const bin = postgresBinaries();
if (!bin) console.warn('reconnect: no PostgreSQL binaries (initdb, pg_ctl) here; the scenario is skipped');

describe.skipIf(!bin)('a query during a PostgreSQL restart', () => {
  let cluster: ThrowawayPostgres;
  const handles: DatabaseHandle[] = [];
  const open = (reconnectWaitMs: number) => {
    const handle = openDatabase(
      { kind: 'postgres', url: cluster.url, poolMax: 2, reconnectWaitMs },
      recordingLog(),
    );
    handles.push(handle);
    return handle.db;
  };

  beforeAll(async () => {
    cluster = await startThrowawayPostgres(bin!);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close().catch(() => {})));
    await cluster?.close();
  });

  it('waits for the server to accept connections again, then runs', async () => {
    // A generous wait, so the test does not depend on how fast this machine restarts PostgreSQL.
    const db = open(60_000);
    expect((await sql<{ n: number }>`select 1 as n`.execute(db)).rows).toEqual([{ n: 1 }]);
    await cluster.stop();
    const during = sql<{ n: number }>`select 2 as n`.execute(db);
    let settled = false;
    void during.then(
      () => (settled = true),
      () => (settled = true),
    );
    // The server is down: the query is still waiting, not failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await cluster.start();
    expect((await during).rows).toEqual([{ n: 2 }]);
  }, 120_000);

  it('fails once the wait is over while the server stays down', async () => {
    const db = open(300);
    await sql`select 1`.execute(db);
    await cluster.stop();
    try {
      await expect(sql`select 1`.execute(db)).rejects.toThrow();
    } finally {
      await cluster.start();
    }
  }, 120_000);
});
