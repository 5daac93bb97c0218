// The test databases themselves: one given back reaches the next test as a fresh copy of the template would
// (no rows, sequences from the start, the template's schema), and a test that is done cannot touch it again.
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { dropStaleRunDatabases, newRunName } from '../helpers/template-database.ts';

/** A cohort in its own channel of workspace T1 (made on first use); returns its id. */
async function addCohort(t: TestDatabase, name: string): Promise<number> {
  await t.handle.db
    .insertInto('workspaces')
    .values({ platform: 'slack', workspace_id: 'T1' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await t.handle.db
    .insertInto('cohorts')
    .values({
      platform: 'slack',
      workspace_id: 'T1',
      channel_id: `C-${name}`,
      name,
      track_id: 'backend',
      starts_on: '2026-11-23',
      created_by: 'U1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe.each(backends)('recycled test databases on $name', (backend) => {
  it('come to the next test empty, with sequences restarted', async () => {
    const first = await backend.open();
    await first.handle.db
      .insertInto('workspaces')
      .values({ platform: 'slack', workspace_id: 'T1' })
      .execute();
    expect([await addCohort(first, 'q1'), await addCohort(first, 'q2')]).toEqual([1, 2]);
    await first.drop();

    const next = await backend.open();
    try {
      expect(await next.handle.db.selectFrom('cohorts').selectAll().execute()).toEqual([]);
      expect(await next.handle.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);
      expect(await addCohort(next, 'q3')).toBe(1);
    } finally {
      await next.drop();
    }
  });

  it('are not handed out again once a test changed the schema', async () => {
    const first = await backend.open();
    await sql`create function refuse_row() returns trigger language plpgsql as $$
      begin raise exception 'refused'; end $$`.execute(first.handle.db);
    await sql`create trigger refuse_cohort before insert on cohorts
      for each row execute function refuse_row()`.execute(first.handle.db);
    await first.drop();

    const next = await backend.open();
    try {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_proc where proname = 'refuse_row'`.execute(next.handle.db);
      expect(rows[0]!.n).toBe(0);
      expect(await addCohort(next, 'q1')).toBe(1);
    } finally {
      await next.drop();
    }
  });

  it('refuse a query from a test that is done with its database', async () => {
    const first = await backend.open();
    await first.drop();
    await expect(first.handle.db.selectFrom('cohorts').selectAll().execute()).rejects.toThrow();
    const next = await backend.open();
    try {
      expect(await next.handle.db.selectFrom('cohorts').selectAll().execute()).toEqual([]);
    } finally {
      await next.drop();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('databases a killed run left behind', () => {
  it('are dropped by a later run once their run is six hours old; a current run keeps its own', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const now = Date.now();
    const stale = `t_${newRunName(now - 7 * 3_600_000)}_idle_a`;
    const current = `t_${newRunName(now - 3_600_000)}_idle_b`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const name of [stale, current]) await admin.query(`create database ${name}`);
      const dropped = await dropStaleRunDatabases(url, now);
      expect(dropped).toContain(stale);
      expect(dropped).not.toContain(current);
      const { rows } = await admin.query<{ datname: string }>(
        'select datname from pg_database where datname = any($1)',
        [[stale, current]],
      );
      expect(rows.map((r) => r.datname)).toEqual([current]);
    } finally {
      await admin.query(`drop database if exists ${current}`);
      await admin.end();
    }
  });
});
