/**
 * Question reports: members report a question they think is wrong, unclear, outdated or mistyped. A report is
 * open until a manager resolves it; a member has at most one open report per question, so each counts once
 * towards withholding the question from the workspace's drills and practice. `question_keeps` records that a
 * manager kept a question in a workspace: its reports no longer withhold it there.
 */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('question_reports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    // The wording the member saw (the track's content version when they reported).
    .addColumn('content_version', 'text', (c) => c.notNull())
    // Where the member reported from: a drill's or a practice answer's result, a reveal, or the command.
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('drill', 'practice', 'reveal', 'command')`),
    )
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('wrong-key', 'unclear', 'outdated', 'typo', 'other')`),
    )
    .addColumn('note', 'text', (c) => c.check(sql`char_length(note) <= 300`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text', (c) => c.check(sql`resolution in ('fixed', 'kept', 'dismissed')`))
    .addCheckConstraint(
      'question_reports_resolved_ck',
      sql`(resolved_at is null) = (resolution is null) and (resolved_at is null) = (resolved_by is null)`,
    )
    .addForeignKeyConstraint(
      'question_reports_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  // One open report per member and question: reporting again updates it, and a member counts once. The
  // index also serves every read of open reports (a workspace's withheld questions and list, the export).
  await db.schema
    .createIndex('question_reports_open_member_uq')
    .on('question_reports')
    .columns(['platform', 'workspace_id', 'question_id', 'user_id'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('question_keeps')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('kept_by', 'text', (c) => c.notNull())
    .addColumn('kept_at', 'timestamptz', (c) => c.notNull())
    .addColumn('content_version', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_keeps_pk', ['platform', 'workspace_id', 'question_id'])
    .addForeignKeyConstraint(
      'question_keeps_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('question_keeps').ifExists().execute();
  await db.schema.dropTable('question_reports').ifExists().execute();
}
