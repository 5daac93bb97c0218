/** A cohort keeps its own pace (days, time, zone), so an ended cohort still reads as it ran. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cohorts')
    .addColumn('days', 'integer')
    .addColumn('time_of_day', 'text')
    .addColumn('timezone', 'text')
    .execute();
  // Existing cohorts ran on their channel's drill: its schedule is the best record of their pace.
  await sql`update cohorts c set days = d.days, time_of_day = d.time_of_day, timezone = d.timezone
    from drills d
    where d.platform = c.platform and d.workspace_id = c.workspace_id and d.channel_id = c.channel_id`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cohorts')
    .dropColumn('timezone')
    .dropColumn('time_of_day')
    .dropColumn('days')
    .execute();
}
