/** Drops `streaks`: a cached copy of each member's streak that nothing read; streaks are replayed from answers. */
import { type Kysely, sql } from 'kysely';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('streaks').ifExists().execute();
}

/** Recreates the table as the initial migration made it (empty: the next answers fill it again on a rollback). */
export async function down(db: Kysely<any>): Promise<void> {
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
}
