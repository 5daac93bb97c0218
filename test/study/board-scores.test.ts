import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rankOnBoard, ranksOnBoard, topOfBoard } from '../../src/answers/boards.repository.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';
import type { UserRef } from '../../src/core/types.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import type { Database, PeriodKind } from '../../src/db/schema.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const BOARD_SCORES = '20261206000000_board_scores';
/** Ten members in five pairs; each pair answers alike, at the same instant, except the last pair's second. */
const MEMBERS = Array.from({ length: 10 }, (_, k) => member(`M${k}`));
/** Mon 16 … Tue 24 November: two week boards, one month, all time. */
const DAYS = Array.from({ length: 9 }, (_, d) => `2026-11-${16 + d}`);
const BOARDS: [PeriodKind, string][] = [
  ['week', '2026-11-16'],
  ['week', '2026-11-23'],
  ['month', '2026-11-01'],
  ['all', '1970-01-01'],
];

/** The rank as the boards counted it before scores were kept: 1 + the visible members ranked above. */
async function countedRanks(db: Kysely<Database>, period: PeriodKind, start: string) {
  const { rows } = await sql<{ user_id: string; rank: string }>`select p.user_id, 1 + (
      select count(*) from member_points q
      join drills d on d.id = q.drill_id
      join members m on m.platform = d.platform and m.workspace_id = d.workspace_id and m.user_id = q.user_id
      where q.drill_id = p.drill_id and q.period = p.period and q.period_start = p.period_start
        and not m.hidden and q.user_id <> p.user_id
        and (q.points > p.points or (q.points = p.points and q.correct > p.correct)
          or (q.points = p.points and q.correct = p.correct and q.reached_at < p.reached_at))) as rank
    from member_points p where p.period = ${period} and p.period_start = ${start}`.execute(db);
  return new Map(rows.map((r) => [r.user_id, Number(r.rank)]));
}

/** What the kept scores must hold: each board's members grouped by (points, correct). */
async function scoresFromTotals(db: Kysely<Database>) {
  const { rows } = await sql`select drill_id, period, period_start::text as start, points, correct,
      count(*)::int as members
    from member_points group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

async function keptScores(db: Kysely<Database>) {
  const { rows } = await sql`select drill_id, period, period_start::text as start, points, correct, members
    from board_scores where members <> 0 order by 1, 2, 3, 4, 5`.execute(db);
  return rows;
}

describe.each(backends)('kept board scores on $name', (backend) => {
  let h: Harness;
  let db: Kysely<Database>;
  const drillId = async () => (await db.selectFrom('drills').select('id').executeTakeFirstOrThrow()).id;

  /** Each member k answers day d unless (k % 5 + d) % 4 is 0, right when (3(k % 5) + d) % 5 < 3. */
  async function answerAllDays() {
    for (const [d, day] of DAYS.entries()) {
      h.clock.set(`${day}T09:05:00Z`);
      const drill = await h.say(MEMBERS[0]!, 'today');
      const q = h.track.cards[d]!.questions[0]!;
      const clicks = MEMBERS.map((u, k) => ({ u, k, pair: k % 5 }))
        .filter(({ pair }) => (pair + d) % 4 !== 0)
        .map(({ u, k, pair }) => ({
          u,
          minute: 10 + ((pair * 7 + d * 11) % 40) + (k === 9 ? 1 : 0),
          letter: LETTERS[(3 * pair + d) % 5 < 3 ? q.correctIndex : (q.correctIndex + 1) % 4]!,
        }))
        .sort((a, b) => a.minute - b.minute);
      for (const c of clicks) {
        h.clock.set(`${day}T09:${String(c.minute).padStart(2, '0')}:00Z`);
        await h.click(c.u, button(drill, c.letter));
      }
    }
  }

  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-16T08:00:00Z');
    db = h.db.handle.db;
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    // One member hides before answering, another after.
    await h.say(MEMBERS[7]!, 'privacy hide');
    await answerAllDays();
    await h.say(MEMBERS[3]!, 'privacy hide');
  }, 120_000);
  afterEach(async () => {
    await h.close();
  });

  /** Every board's ranks (rankOnBoard, ranksOnBoard) and top against the count, for members hidden as given. */
  async function expectRanksAsCounted(hidden: UserRef[]) {
    const id = await drillId();
    for (const [period, start] of BOARDS) {
      const counted = await countedRanks(db, period, start);
      expect(counted.size).toBeGreaterThan(5);
      // Some members share a rank and some share points and correct answers without sharing a rank.
      expect(new Set(counted.values()).size).toBeLessThan(counted.size);
      for (const u of MEMBERS) {
        expect((await rankOnBoard(db, id, period, start, u.userId))?.rank).toBe(counted.get(u.userId));
      }
      const visible = MEMBERS.filter((u) => !hidden.includes(u) && counted.has(u.userId));
      const ranks = await ranksOnBoard(
        db,
        id,
        period,
        start,
        MEMBERS.map((u) => u.userId),
      );
      expect(ranks).toEqual(new Map(visible.map((u) => [u.userId, counted.get(u.userId)])));
      const top = await topOfBoard(db, id, period, start, 4);
      const order = [...visible].sort(
        (a, b) =>
          counted.get(a.userId)! - counted.get(b.userId)! || a.displayName.localeCompare(b.displayName),
      );
      expect(top.map((r) => r.userId)).toEqual(order.slice(0, 4).map((u) => u.userId));
    }
  }

  it('ranks, ties and the top of every board agree with a count over the board, as members hide and show', async () => {
    expect(await keptScores(db)).toEqual(await scoresFromTotals(db));
    await expectRanksAsCounted([MEMBERS[3]!, MEMBERS[7]!]);
    await h.say(MEMBERS[7]!, 'privacy show');
    await h.say(MEMBERS[0]!, 'privacy hide');
    await expectRanksAsCounted([MEMBERS[3]!, MEMBERS[0]!]);
  });

  it('a repeated or simultaneous second answer moves nobody twice', async () => {
    h.clock.set('2026-11-25T09:10:00Z');
    const drill = await h.say(MEMBERS[0]!, 'today');
    const late: UserRef = member('Late');
    const before = await keptScores(db);
    // A retried click and two at once from another member: one answer each counts.
    await Promise.all([h.click(late, button(drill, 'A')), h.click(late, button(drill, 'B'))]);
    await h.click(late, button(drill, 'C'));
    await Promise.all([h.click(MEMBERS[1]!, button(drill, 'A')), h.click(MEMBERS[1]!, button(drill, 'D'))]);
    const totals = await db
      .selectFrom('member_points')
      .select(['user_id', 'period', 'answers'])
      .where('user_id', 'in', [late.userId, MEMBERS[1]!.userId])
      .where('period', '=', 'week')
      .where('period_start', '=', '2026-11-23')
      .orderBy('user_id')
      .execute();
    expect(totals.map((t) => t.answers)).toEqual([
      1, // Late: one answer, however many clicks
      (await db
        .selectFrom('answers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', MEMBERS[1]!.userId)
        .where('answered_at', '>=', new Date('2026-11-23T00:00:00Z'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n))) as number,
    ]);
    const after = await keptScores(db);
    expect(after).not.toEqual(before);
    expect(after).toEqual(await scoresFromTotals(db));
    const all = await sql<{
      n: number;
    }>`select sum(members)::int as n from board_scores where period = 'all'`.execute(db);
    expect(all.rows[0]!.n).toBe(MEMBERS.length + 1);
  });

  it('members answering at once all move, each once, without waiting on each other for ever', async () => {
    h.clock.set('2026-11-25T09:10:00Z');
    const drill = await h.say(MEMBERS[0]!, 'today');
    // Every member moves on the same three boards at once, many from and to the same scores.
    const replies = await Promise.all(MEMBERS.map((u, k) => h.click(u, button(drill, LETTERS[k % 4]!))));
    expect(replies.map((r) => r.card?.footer ?? r.text)).toEqual(
      replies.map(() => expect.stringContaining('point')),
    );
    expect(await keptScores(db)).toEqual(await scoresFromTotals(db));
    const { rows } = await sql<{ n: number }>`select sum(answers)::int as n from member_points
      where period = 'all'`.execute(db);
    expect(rows[0]!.n).toBe(
      Number(
        (
          await db
            .selectFrom('answers')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  });

  it('the migration rebuilds the totals and scores from the answers as the answers kept them', async () => {
    const kept = {
      scores: await keptScores(db),
      totals: await db
        .selectFrom('member_points')
        .selectAll()
        .orderBy(['drill_id', 'period', 'period_start', 'user_id'])
        .execute(),
    };
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const migrator = new Migrator({
      db,
      provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
      migrationTableSchema: rows[0]!.schema,
    });
    const names = (await migrator.getMigrations()).map((m) => m.name);
    expect((await migrator.migrateTo(names[names.indexOf(BOARD_SCORES) - 1]!)).error).toBeUndefined();
    await sql`update member_points set points = points + 1000`.execute(db);
    await migrateToLatest(db, silentLog);
    expect(await keptScores(db)).toEqual(kept.scores);
    expect(
      await db
        .selectFrom('member_points')
        .selectAll()
        .orderBy(['drill_id', 'period', 'period_start', 'user_id'])
        .execute(),
    ).toEqual(kept.totals);
  });
});
