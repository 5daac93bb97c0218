/** Cohort programmes: one active cohort per channel, and the claim rows that make digests and reminders send once. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // A channel runs at most one cohort at a time; ended cohorts stay for their reports.
  await sql`create unique index cohorts_active_channel_unique on cohorts (platform, workspace_id, channel_id)
    where status = 'active'`.execute(db);
  await db.schema
    .createIndex('cohort_members_member_idx')
    .on('cohort_members')
    .columns(['platform', 'workspace_id', 'user_id'])
    .execute();

  // One row per (cohort, week): inserting it is the claim, so a digest goes out once whatever the instances.
  await db.schema
    .createTable('cohort_digests')
    .addColumn('cohort_id', 'bigint', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('sending').check(sql`status in ('sending', 'sent', 'failed')`),
    )
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('cohort_digests_pk', ['cohort_id', 'week_start'])
    .execute();

  // One row per member per local day: the claim for a streak reminder.
  await db.schema
    .createTable('member_reminders')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('sending').check(sql`status in ('sending', 'sent', 'failed')`),
    )
    .addColumn('last_error', 'text')
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('member_reminders_pk', ['platform', 'workspace_id', 'user_id', 'local_date'])
    .execute();
  await db.schema
    .createIndex('members_remind_idx')
    .on('members')
    .columns(['remind_enabled'])
    .where(sql.ref('remind_enabled'), '=', true)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_remind_idx').ifExists().execute();
  await db.schema.dropTable('member_reminders').ifExists().execute();
  await db.schema.dropTable('cohort_digests').ifExists().execute();
  await db.schema.dropIndex('cohort_members_member_idx').ifExists().execute();
  await db.schema.dropIndex('cohorts_active_channel_unique').ifExists().execute();
}
