/**
 * A revealed drill's results post (a thread reply on Slack, a reply on Discord): its message id once it is
 * recorded, and when the first attempt to post it started, so a re-post after a crash looks for that
 * attempt's message before posting again.
 */
import type { Kysely } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('results_message_id', 'text')
    .addColumn('results_attempted_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .dropColumn('results_message_id')
    .dropColumn('results_attempted_at')
    .execute();
}
