/**
 * Boards at scale: one channel of 20,000 members and about 1,000,000 drill answers, then the member board
 * (top 10 with streaks and last week's ranks, and the caller's own rank), the `leaderboard` command through
 * the bot, and `me` (its reply as Slack and Discord send it, the calendar picture drawn after; and with the
 * picture drawn into the reply, as the terminal gets it), each timed beside `select 1` run just before it in
 * the same loop. PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, in a schema dropped afterwards) or,
 * with `--pglite`, embedded PGlite in memory. `--members N`, `--days N` and `--count N` change the load and
 * the samples; `--keep` leaves the PostgreSQL schema in place to look at.
 *
 * The answers are bulk-loaded with SQL; the member totals and board scores are built by the migration that
 * keeps them (reverted and applied again over the loaded answers), as on a database that already had answers.
 */
import os from 'node:os';
import { type Kysely, sql } from 'kysely';
import { leaderboard } from '../src/answers/stats.ts';
import { createBot } from '../src/bot/bot.ts';
import { createManualClock } from '../src/core/clock.ts';
import { ALL_DAYS } from '../src/core/commands/options.ts';
import { silentLog } from '../src/core/log.ts';
import type { ChannelRef, UserRef } from '../src/core/types.ts';
import { openDatabase } from '../src/db/database.ts';
import type { StudyDeps } from '../src/db/deps.ts';
import { migrateDown, migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { ensureDrill } from '../src/deliveries/deliveries.ts';
import { createTouch } from '../src/members/touch.ts';
import { benchStudyDeps, openBenchDatabase } from './bench-database.ts';

const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
/** The last study day, a Sunday: the week board holds a whole week. */
const LAST_DAY = Date.parse('2026-11-29T00:00:00Z');
const DAY = 86_400_000;

const option = (args: string[], name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const userId = (g: number) => `U${String(g).padStart(6, '0')}`;
const user = (g: number): UserRef => ({ ...CHANNEL, userId: userId(g), displayName: `member ${g}` });

interface Target {
  db: Kysely<Database>;
  label: string;
  close(): Promise<void>;
}

async function openTarget(pglite: boolean, keep: boolean): Promise<Target> {
  if (pglite) {
    const handle = openDatabase({ kind: 'pglite' });
    await migrateToLatest(handle.db, silentLog);
    const { rows } = await sql<{ v: string }>`select version() as v`.execute(handle.db);
    return { db: handle.db, label: `PGlite in memory (${rows[0]!.v.split(' on ')[0]})`, close: handle.close };
  }
  const bench = await openBenchDatabase();
  if (keep) process.stdout.write(`keeping schema ${bench.schema}\n`);
  return {
    db: bench.handle.db,
    label: `PostgreSQL ${bench.serverVersion}`,
    close: keep ? bench.leave : bench.drop,
  };
}

/** A daily drill at 09:00 UTC whose `days` deliveries members opened with `today`, ending on LAST_DAY. */
async function openDrill(study: StudyDeps, bot: ReturnType<typeof createBot>, days: number) {
  const clock = study.clock as ReturnType<typeof createManualClock>;
  const admin = { ...CHANNEL, userId: 'UADMIN', displayName: 'admin' };
  clock.set(new Date(LAST_DAY - (days - 1) * DAY + 9 * 3_600_000));
  await createTouch(study)(admin);
  await ensureDrill(
    study,
    CHANNEL,
    { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' },
    'UADMIN',
    clock.now(),
  );
  for (let d = 0; d < days; d++) {
    clock.set(new Date(LAST_DAY - (days - 1 - d) * DAY + 9.5 * 3_600_000));
    const input = { kind: 'text' as const, text: 'today' };
    await bot.handleCommand({
      channel: CHANNEL,
      user: admin,
      input,
      requestId: `open-${d}`,
      receivedAt: clock.now(),
    });
  }
}

/**
 * Members (about 1 in 97 hidden) and their answers. Member g skips `g % 21` of the days (spread by a
 * permutation of the days), answers right with a chance of 40–95% of their own, and answers between 09:00 and
 * 19:00: varied totals, ties on points and on correct answers, few on the instant.
 */
async function loadAnswers(study: StudyDeps, members: number) {
  const db = study.db;
  await sql`insert into members (platform, workspace_id, user_id, display_name, hidden, updated_at)
    select 'slack', 'T1', 'U' || lpad(g::text, 6, '0'), 'member ' || g, g % 97 = 0, now()
    from generate_series(1, ${members}) g on conflict do nothing`.execute(db);
  const deliveries = await db
    .selectFrom('deliveries')
    .select(['id', 'drill_id', 'card_id', 'question_id', 'opens_at'])
    .orderBy('local_date')
    .execute();
  const n = deliveries.length;
  for (const [d, delivery] of deliveries.entries()) {
    const moduleId = study.tracks.get('backend')!.card(delivery.card_id)!.moduleId;
    await sql`insert into answers (platform, workspace_id, user_id, drill_id, delivery_id, module_id, card_id,
        question_id, choice, correct, points, answered_at)
      select 'slack', 'T1', 'U' || lpad(g::text, 6, '0'), ${delivery.drill_id}, ${delivery.id}, ${moduleId},
        ${delivery.card_id}, ${delivery.question_id}, case when r.ok then 0 else 1 end, r.ok,
        case when r.ok then 10 else 2 end,
        ${delivery.opens_at}::timestamptz + ((g * 17 + ${d} * 29) % 600) * interval '1 minute'
      from generate_series(1, ${members}) g
      cross join lateral (select (g * 7919 + ${d} * 104729) % 100 < 40 + (g * 31) % 56 as ok) r
      where (${d} * 37 + g * 101) % ${n} >= g % 21`.execute(db);
  }
}

interface Sample {
  label: string;
  run: (i: number) => Promise<unknown>;
}

/** Each figure's p50/p95 beside `select 1` timed just before it, in the same loop. */
async function measure(db: Kysely<Database>, samples: Sample[], count: number) {
  const rows: string[] = [];
  const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
  for (const s of samples) {
    const [base, took]: [number[], number[]] = [[], []];
    for (let i = 0; i < count + Math.ceil(count / 10); i++) {
      let t = process.hrtime.bigint();
      await sql`select 1`.execute(db);
      const b = ms(t);
      t = process.hrtime.bigint();
      await s.run(i);
      const x = ms(t);
      if (i >= Math.ceil(count / 10)) [base.push(b), took.push(x)];
    }
    const f = (v: number) => v.toFixed(2);
    rows.push(
      `| ${s.label} | ${f(percentile(took, 50))} | ${f(percentile(took, 95))} | ${f(percentile(base, 50))} | ${f(percentile(base, 95))} |`,
    );
  }
  return rows;
}

/** The rank the boards had before scores were kept: a count over the visible board. */
async function countedRank(db: Kysely<Database>, period: string, start: string, uid: string) {
  const { rows } = await sql<{ rank: string }>`select 1 + count(*) as rank
    from member_points p join members m on m.platform = 'slack' and m.workspace_id = 'T1' and m.user_id = p.user_id
    join member_points me on me.drill_id = p.drill_id and me.period = p.period and me.period_start = p.period_start
      and me.user_id = ${uid}
    where p.period = ${period} and p.period_start = ${start} and not m.hidden and p.user_id <> ${uid}
      and (p.points, p.correct, -extract(epoch from p.reached_at)) > (me.points, me.correct, -extract(epoch from me.reached_at))`.execute(
    db,
  );
  return Number(rows[0]!.rank);
}

/** The migration that builds the kept totals and scores from the answers. */
const BOARD_SCORES_MIGRATION = '20261206000000_board_scores';

export default async function leaderboardBench(args: string[]): Promise<void> {
  const pglite = args.includes('--pglite');
  const members = option(args, '--members', 20_000);
  const days = option(args, '--days', 60);
  const count = option(args, '--count', 300);
  const target = await openTarget(pglite, args.includes('--keep'));
  try {
    const clock = createManualClock(new Date(LAST_DAY));
    const study = benchStudyDeps(target.db, clock);
    const bot = createBot({ study, log: silentLog, clock });
    let t = Date.now();
    await openDrill(study, bot, days);
    await loadAnswers(study, members);
    const loadedIn = (Date.now() - t) / 1000;
    t = Date.now();
    // The board-scores migration (and any after it), reverted and applied again: it rebuilds the totals and
    // scores from the answers.
    for (let reverted: string[] = []; !reverted.includes(BOARD_SCORES_MIGRATION); )
      reverted = await migrateDown(target.db, silentLog);
    await migrateToLatest(target.db, silentLog);
    const backfilledIn = (Date.now() - t) / 1000;
    await sql`vacuum analyze`.execute(target.db);
    clock.set(new Date(LAST_DAY + 20 * 3_600_000));
    await report(study, bot, { target, members, count, loadedIn, backfilledIn });
  } finally {
    await target.close();
  }
}

async function report(
  study: StudyDeps,
  bot: ReturnType<typeof createBot>,
  o: { target: Target; members: number; count: number; loadedIn: number; backfilledIn: number },
) {
  const db = study.db;
  const counts = await sql<{ answers: string; scores: string }>`select
    (select count(*) from answers) as answers, (select count(*) from board_scores) as scores`.execute(db);
  const week = '2026-11-23';
  const bottom = await db
    .selectFrom('member_points as p')
    .innerJoin('members as m', 'm.user_id', 'p.user_id')
    .select('p.user_id')
    .where('p.period', '=', 'week')
    .where('p.period_start', '=', week)
    .where('m.hidden', '=', false)
    .orderBy('p.points')
    .orderBy('p.correct')
    .orderBy('p.reached_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const bottomUser = user(Number(bottom.user_id.slice(1)));
  // Members spread over the board: a fixed stride through them.
  const someone = (i: number) => user(1 + ((i * 7_919) % o.members));
  // The kept ranks against the count the boards used to do, for a sample of members and the last one.
  const sample = [bottomUser, ...Array.from({ length: 20 }, (_, i) => someone(i * 13))];
  let agree = 0;
  for (const u of sample) {
    const board = await leaderboard(study, CHANNEL, u, 'week', false);
    const mine = board.top.find((l) => l.userId === u.userId) ?? board.me;
    if (mine && mine.rank === (await countedRank(db, 'week', week, u.userId))) agree += 1;
  }
  // `picturesAfter`: the reply as Slack and Discord send it, its picture drawn after; without, as the terminal
  // gets it, the picture drawn into the reply.
  const command =
    (text: string, u: (i: number) => UserRef, picturesAfter = false) =>
    (i: number) =>
      bot.handleCommand({
        channel: CHANNEL,
        user: u(i),
        input: { kind: 'text', text },
        requestId: `r${i}`,
        receivedAt: study.clock.now(),
        picturesAfter,
      });
  const rows = await measure(
    db,
    [
      {
        label: 'study call, week board (top 10 + own rank)',
        run: (i) => leaderboard(study, CHANNEL, someone(i), 'week', false),
      },
      {
        label: 'study call, week board, member near the bottom',
        run: () => leaderboard(study, CHANNEL, bottomUser, 'week', false),
      },
      {
        label: 'study call, all-time board',
        run: (i) => leaderboard(study, CHANNEL, someone(i), 'all', false),
      },
      { label: '`/roadmap leaderboard` through the bot', run: command('leaderboard', someone) },
      {
        label: '`/roadmap leaderboard`, member near the bottom',
        run: command('leaderboard', () => bottomUser),
      },
      {
        label: '`/roadmap me` through the bot, the reply (picture drawn after it)',
        run: command('me', someone, true),
      },
      {
        label: '`/roadmap me`, member near the bottom, the reply',
        run: command('me', () => bottomUser, true),
      },
      { label: '`/roadmap me` through the bot with its picture drawn in', run: command('me', someone) },
      {
        label: '`/roadmap privacy hide`, then `show`, in turn',
        run: (i) => command(i % 2 ? 'privacy show' : 'privacy hide', someone)(1),
      },
    ],
    o.count,
  );
  const out = [
    `${o.target.label}; ${os.availableParallelism()} CPUs, ${os.arch()}, Node ${process.version}`,
    `${counts.rows[0]!.answers} answers, ${o.members} members, one channel; ${counts.rows[0]!.scores} board scores`,
    `loaded in ${o.loadedIn.toFixed(1)} s; totals and scores backfilled by the migration in ${o.backfilledIn.toFixed(1)} s`,
    `kept ranks equal to a count over the board for ${agree} of ${sample.length} members (the last one included)`,
    `${o.count} measured runs each after ${Math.ceil(o.count / 10)} warm-up runs; milliseconds`,
    '',
    '| figure | p50 | p95 | select 1 p50 | select 1 p95 |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
