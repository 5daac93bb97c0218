/**
 * Board scores: per drill board (drill, period, period start), how many members stand on each (points, correct)
 * pair. A rank is then a sum over the score values above a member, plus the members tied with them on both who
 * reached the total earlier, instead of a count over the whole board. Each answer moves its member from one
 * score to the next in its own transaction; here the member totals are recomputed from the answers (what
 * members did, each counted once) and the scores filled from those totals.
 */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('board_scores')
    .addColumn('drill_id', 'bigint', (c) => c.notNull().references('drills.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('week', 'month', 'all')`))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('correct', 'integer', (c) => c.notNull())
    // No check on the sign: a move's row of -1 is checked as inserted before it meets the row it updates.
    .addColumn('members', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('board_scores_pk', ['drill_id', 'period', 'period_start', 'points', 'correct'])
    .execute();
  // Every drill answer counts once on its week, month and all-time board, in the drill's zone; a total was
  // reached by the member's last answer in its period.
  await sql`delete from member_points`.execute(db);
  await sql`insert into member_points (drill_id, user_id, period, period_start, points, answers, correct, reached_at)
    select a.drill_id, a.user_id, p.period, p.period_start, sum(a.points), count(*),
      count(*) filter (where a.correct), max(a.answered_at)
    from answers a
    join drills d on d.id = a.drill_id
    cross join lateral (values
      ('week', date_trunc('week', a.answered_at at time zone d.timezone)::date),
      ('month', date_trunc('month', a.answered_at at time zone d.timezone)::date),
      ('all', date '1970-01-01')) as p(period, period_start)
    where a.delivery_id is not null
    group by a.drill_id, a.user_id, p.period, p.period_start`.execute(db);
  await sql`insert into board_scores (drill_id, period, period_start, points, correct, members)
    select drill_id, period, period_start, points, correct, count(*)
    from member_points group by drill_id, period, period_start, points, correct`.execute(db);
  // Hidden members ahead of a rank are subtracted: their totals carry the flag and have an index of their own.
  await db.schema
    .alterTable('member_points')
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`update member_points p set hidden = true from drills d, members m
    where d.id = p.drill_id and m.platform = d.platform and m.workspace_id = d.workspace_id
      and m.user_id = p.user_id and m.hidden`.execute(db);
  await sql`create index member_points_hidden_idx
    on member_points (drill_id, period, period_start, points desc, correct desc, reached_at) where hidden`.execute(
    db,
  );
  // A board's streaks read which days its members answered: from the member index alone.
  await db.schema.dropIndex('answers_member_idx').execute();
  await sql`create index answers_member_idx on answers (platform, workspace_id, user_id, answered_at)
    include (drill_id, delivery_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('answers_member_idx').execute();
  await db.schema
    .createIndex('answers_member_idx')
    .on('answers')
    .columns(['platform', 'workspace_id', 'user_id', 'answered_at'])
    .execute();
  await db.schema.dropIndex('member_points_hidden_idx').execute();
  await db.schema.alterTable('member_points').dropColumn('hidden').execute();
  await db.schema.dropTable('board_scores').execute();
}
