/**
 * When each periodic message is next due: a member's streak reminder and a cohort's weekly digest. A job run
 * reads only the rows due by then, instead of every member and cohort each minute. Rows that were being
 * scanned are due at once, so the first run after this works out their times.
 */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').addColumn('reminder_due_at', 'timestamptz').execute();
  await db.schema.alterTable('cohorts').addColumn('digest_due_at', 'timestamptz').execute();
  await sql`update members set reminder_due_at = now() where remind_enabled`.execute(db);
  // The digest job read active cohorts and those ended in the last 14 days.
  await sql`update cohorts set digest_due_at = now()
    where status = 'active' or ended_at >= now() - interval '14 days'`.execute(db);
  await db.schema
    .createIndex('members_reminder_due_idx')
    .on('members')
    .column('reminder_due_at')
    .where(sql.ref('reminder_due_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('cohorts_digest_due_idx')
    .on('cohorts')
    .column('digest_due_at')
    .where(sql.ref('digest_due_at'), 'is not', null)
    .execute();
  // Replaced by members_reminder_due_idx: nothing reads every member with reminders any more.
  await db.schema.dropIndex('members_remind_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('members_remind_idx')
    .on('members')
    .columns(['remind_enabled'])
    .where(sql.ref('remind_enabled'), '=', true)
    .execute();
  await db.schema.dropIndex('cohorts_digest_due_idx').ifExists().execute();
  await db.schema.dropIndex('members_reminder_due_idx').ifExists().execute();
  await db.schema.alterTable('cohorts').dropColumn('digest_due_at').execute();
  await db.schema.alterTable('members').dropColumn('reminder_due_at').execute();
}
