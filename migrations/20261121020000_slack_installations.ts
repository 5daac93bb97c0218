/** Slack OAuth installations, one row per workspace (or per org for org-wide installs), tokens encrypted. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_installations')
    // `team:T…` for a workspace install, `enterprise:E…` for an org-wide one: what Bolt looks up per request.
    .addColumn('install_key', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('is_enterprise_install', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('app_id', 'text')
    .addColumn('bot_user_id', 'text')
    // The whole @slack/oauth Installation as JSON, AES-256-GCM encrypted with the row key as associated data.
    .addColumn('installation', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('slack_installations_team_idx')
    .on('slack_installations')
    .column('team_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_installations').execute();
}
