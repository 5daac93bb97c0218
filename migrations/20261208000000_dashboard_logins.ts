/**
 * Dashboard sign-ins in progress: an OAuth `state` (with its PKCE verifier) or a one-time login link. The key is
 * a hash of the value the browser holds; taking a row deletes it, so each state or link works once.
 */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_logins')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('verifier', 'text')
    .addColumn('workspace_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dashboard_logins_expires_idx')
    .on('dashboard_logins')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_logins').ifExists().execute();
}
