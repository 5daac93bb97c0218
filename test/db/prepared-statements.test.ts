/**
 * The board read goes as a named prepared statement on PostgreSQL: parsed once per connection, run from the
 * kept statement afterwards, with the same lines as the statement sent unnamed. Off, nothing is prepared.
 * A connection the server ended takes its statements with it; the next one prepares the read again.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaderboard } from '../../src/answers/stats.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { UserRef } from '../../src/core/types.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { PREPARED, preparedName } from '../../src/db/prepared.ts';
import { postgresBackend } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const members = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'].map((n) => member(n));

describe('preparedName', () => {
  it('names only marked statements, after their whole text', () => {
    const compiler = new Kysely<never>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const marked = sql`${PREPARED}select 1`.compile(compiler).sql;
    expect(preparedName('select 1')).toBeUndefined();
    expect(preparedName('select 1 /* prepared */')).toBeUndefined();
    expect(preparedName(marked)).toMatch(/^rb_[0-9a-f]{24}$/);
    // Any change to the text is another statement: a name never stands for two texts on one connection.
    expect(preparedName(`${marked} `)).toMatch(/^rb_/);
    expect(preparedName(`${marked} `)).not.toBe(preparedName(marked));
  });
});

describe.skipIf(!postgresBackend)('prepared board reads on PostgreSQL', () => {
  let h: Harness;
  const opened: DatabaseHandle[] = [];
  beforeEach(async () => {
    h = await createHarness(postgresBackend!, '2026-11-16T09:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // Monday to Wednesday, and the next Monday: member i answers on days 0 to i, right on alternate days, so
    // totals vary and the week board of the 23rd has a last week to rank on.
    for (const [d, day] of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-23'].entries()) {
      h.clock.set(`${day}T09:30:00Z`);
      const drill = await h.say(members[0]!, 'today');
      const q = h.track.cards[d]!.questions[0]!;
      for (const [i, u] of members.entries()) {
        if (i < d) continue;
        h.clock.set(`${day}T10:${String(i).padStart(2, '0')}:00Z`);
        await h.click(u, button(drill, LETTERS[(q.correctIndex + ((i + d) % 2)) % 4]!));
      }
    }
    h.clock.set('2026-11-23T12:00:00Z');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close()));
    await h.close();
  });

  /** A second handle on the test database with one connection, so its statements are all on one session. */
  const single = (preparedStatements: boolean) => {
    const handle = openDatabase({ kind: 'postgres', url: h.db.url!, poolMax: 1, preparedStatements });
    opened.push(handle);
    return handle;
  };
  const board = (handle: DatabaseHandle, user: UserRef) =>
    leaderboard({ ...h.study.deps, db: handle.db }, CHANNEL, { ...user, ...CHANNEL }, 'week', false);
  const statements = async (handle: DatabaseHandle) =>
    (
      await sql<{ name: string; generic_plans: string; custom_plans: string }>`
        select name, generic_plans, custom_plans from pg_prepared_statements`.execute(handle.db)
    ).rows;

  it('keeps the board statement on the connection and reads the same lines as the unnamed statement', async () => {
    const named = single(true);
    const unnamed = single(false);
    for (let run = 0; run < 3; run++) {
      for (const u of members) {
        const [a, b] = [await board(named, u), await board(unnamed, u)];
        expect(a).toEqual(b);
        expect(a.top.length).toBeGreaterThan(0);
      }
    }
    const kept = await statements(named);
    expect(kept.map((k) => k.name)).toEqual([expect.stringMatching(/^rb_[0-9a-f]{24}$/)]);
    const [mine] = kept;
    // Every one of the 21 reads ran from the kept statement: PostgreSQL counts each plan it used for it.
    expect(Number(mine!.generic_plans) + Number(mine!.custom_plans)).toBe(members.length * 3);
    expect(await statements(unnamed)).toEqual([]);
  });

  it('answers when the kept statement went stale under it (a column type changed, or the server forgot it)', async () => {
    const named = single(true);
    const expected = await board(named, members[2]!);
    // Enough runs for PostgreSQL to keep a generic plan, whose result type is then fixed.
    for (let run = 0; run < 6; run++) await board(named, members[2]!);
    const pid = async () =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(named.db)).rows[0]!.pid;
    const first = await pid();
    // A deploy's migration, while this process still serves: the read's display_name changes type.
    await sql`alter table members alter column display_name type varchar(300)`.execute(h.db.handle.db);
    expect(await board(named, members[2]!)).toEqual(expected);
    // The connection that kept the stale statement was let go; its successor prepares the read afresh.
    expect(await pid()).not.toBe(first);
    expect(await board(named, members[2]!)).toEqual(expected);
    expect((await statements(named)).map((s) => s.name)).toEqual([expect.stringMatching(/^rb_/)]);
    // The server forgetting it (a pooler's DISCARD, a DEALLOCATE) is the same: the read still answers.
    const second = await pid();
    await sql`deallocate all`.execute(named.db);
    expect(await board(named, members[2]!)).toEqual(expected);
    expect(await pid()).not.toBe(second);
    await sql`alter table members alter column display_name type text`.execute(h.db.handle.db);
  });

  it('prepares the read again on the connection that replaces one the server ended', async () => {
    const named = single(true);
    const before = await board(named, members[1]!);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(named.db);
    await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(h.db.handle.db);
    // The first statement on the ended session fails and its client is dropped; the next one gets a new session.
    await board(named, members[1]!).catch(() => undefined);
    expect(await board(named, members[1]!)).toEqual(before);
    expect((await statements(named)).map((s) => s.name)).toEqual([expect.stringMatching(/^rb_/)]);
  });
});
