/**
 * Boards break ties by correct answers, then by who reached the total first: each per-period total keeps the
 * instant it last changed, so ranking never has to scan answers.
 */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member_points').addColumn('reached_at', 'timestamptz').execute();
  // Every drill answer adds points, so a total was reached by the member's last drill answer in its period.
  await sql`update member_points mp set reached_at = coalesce((
      select max(a.answered_at) from answers a join drills d on d.id = a.drill_id
      where a.drill_id = mp.drill_id and a.user_id = mp.user_id and a.delivery_id is not null
        and (mp.period = 'all' or a.answered_at < ((mp.period_start
          + case mp.period when 'week' then interval '7 days' else interval '1 month' end)::timestamp
          at time zone d.timezone))
    ), now())`.execute(db);
  await sql`alter table member_points alter column reached_at set not null`.execute(db);
  await db.schema.dropIndex('member_points_board_idx').execute();
  await sql`create index member_points_board_idx
    on member_points (drill_id, period, period_start, points desc, correct desc, reached_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('member_points_board_idx').execute();
  await db.schema
    .createIndex('member_points_board_idx')
    .on('member_points')
    .columns(['drill_id', 'period', 'period_start', 'points'])
    .execute();
  await db.schema.alterTable('member_points').dropColumn('reached_at').execute();
}
