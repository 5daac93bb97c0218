/** Initial schema: workspaces and their members, drills and deliveries, answers, streaks, cohorts and teams. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.
// Every tenant row carries (platform, workspace_id) and references its workspace.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workspaces_pk', ['platform', 'workspace_id'])
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('timezone', 'text')
    .addColumn('remind_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('remind_at', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('members_pk', ['platform', 'workspace_id', 'user_id'])
    .addForeignKeyConstraint(
      'members_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('managers')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('managers_pk', ['platform', 'workspace_id', 'user_id'])
    .addForeignKeyConstraint(
      'managers_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('cohorts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'ended')`),
    )
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addForeignKeyConstraint(
      'cohorts_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('cohorts_name_unique', ['platform', 'workspace_id', 'name'])
    .execute();

  await db.schema
    .createTable('cohort_members')
    .addColumn('cohort_id', 'bigint', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('joined_on', 'date', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    .addPrimaryKeyConstraint('cohort_members_pk', ['cohort_id', 'user_id'])
    .execute();

  // One drill per channel: the channel's schedule and its position in the track.
  await db.schema
    .createTable('drills')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('time_of_day', 'text', (c) => c.notNull())
    // Bit i set (Monday = bit 0 … Sunday = bit 6) when that weekday is a study day.
    .addColumn('days', 'smallint', (c) => c.notNull().check(sql`days between 1 and 127`))
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'paused')`),
    )
    .addColumn('pause_reason', 'text')
    .addColumn('paused_at', 'timestamptz')
    .addColumn('reveal_time', 'text')
    .addColumn('cohort_id', 'bigint', (c) => c.references('cohorts.id').onDelete('set null'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'drills_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('drills_channel_unique', ['platform', 'workspace_id', 'channel_id'])
    .execute();

  await db.schema
    .createTable('drill_skips')
    .addColumn('drill_id', 'bigint', (c) => c.notNull().references('drills.id').onDelete('cascade'))
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('drill_skips_pk', ['drill_id', 'local_date'])
    .execute();

  // One delivery per (drill, local date): the row is the claim that makes posting exactly-once.
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('drill_id', 'bigint', (c) => c.notNull().references('drills.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('study_day', 'integer', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz')
    .addColumn('reveal_at', 'timestamptz')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('post_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`post_status in ('pending', 'posting', 'posted', 'failed', 'not_posted')`),
    )
    .addColumn('post_lease_until', 'timestamptz')
    .addColumn('post_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_id', 'text')
    .addColumn('posted_at', 'timestamptz')
    .addColumn('revealed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('deliveries_drill_date_unique', ['drill_id', 'local_date'])
    .execute();
  await db.schema
    .createIndex('deliveries_drill_opens_idx')
    .on('deliveries')
    .columns(['drill_id', 'opens_at'])
    .execute();

  // A practice question shown to one member; answering it is unique per prompt.
  await db.schema
    .createTable('practice_prompts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('practice_prompts_user_idx')
    .on('practice_prompts')
    .columns(['platform', 'workspace_id', 'user_id', 'created_at'])
    .execute();

  // Exactly one of delivery_id or practice_id; the first answer is final (unique per member per delivery).
  await db.schema
    .createTable('answers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('drill_id', 'bigint', (c) => c.references('drills.id').onDelete('cascade'))
    .addColumn('delivery_id', 'bigint', (c) => c.references('deliveries.id').onDelete('cascade'))
    .addColumn('practice_id', 'bigint', (c) => c.references('practice_prompts.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('choice', 'smallint', (c) => c.notNull().check(sql`choice between 0 and 3`))
    .addColumn('correct', 'boolean', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('answers_one_target', sql`(delivery_id is null) <> (practice_id is null)`)
    .addUniqueConstraint('answers_delivery_user_unique', ['delivery_id', 'user_id'])
    .addUniqueConstraint('answers_practice_unique', ['practice_id'])
    .execute();
  await db.schema
    .createIndex('answers_member_idx')
    .on('answers')
    .columns(['platform', 'workspace_id', 'user_id', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('answers_drill_idx')
    .on('answers')
    .columns(['drill_id', 'answered_at'])
    .execute();

  // Points per member per drill and period, kept with each answer so boards never scan answers.
  await db.schema
    .createTable('member_points')
    .addColumn('drill_id', 'bigint', (c) => c.notNull().references('drills.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('week', 'month', 'all')`))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('correct', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('member_points_pk', ['drill_id', 'period', 'period_start', 'user_id'])
    .execute();
  await db.schema
    .createIndex('member_points_board_idx')
    .on('member_points')
    .columns(['drill_id', 'period', 'period_start', 'points'])
    .execute();

  // Streak state per member per drill, recomputed from study days and answers whenever it changes.
  await db.schema
    .createTable('streaks')
    .addColumn('drill_id', 'bigint', (c) => c.notNull().references('drills.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('best', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('freezes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_study_date', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('streaks_pk', ['drill_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('cohort_id', 'bigint', (c) => c.references('cohorts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'teams_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .addUniqueConstraint('teams_name_unique', ['platform', 'workspace_id', 'channel_id', 'name'])
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    // A member belongs to at most one team per channel.
    .addUniqueConstraint('team_members_channel_unique', ['platform', 'workspace_id', 'channel_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'team_members',
    'teams',
    'streaks',
    'member_points',
    'answers',
    'practice_prompts',
    'deliveries',
    'drill_skips',
    'drills',
    'cohort_members',
    'cohorts',
    'managers',
    'members',
    'workspaces',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
