/**
 * Memory (issue #15): the review log and each member's FSRS memory of each card, filled from the answers
 * given so far.
 *
 * The existing answers are replayed here, inside the migration, rather than by a step the app runs at start:
 * the migrator already holds a lock, so exactly one instance replays them, once, before any instance serves a
 * quiz from an empty memory; a start-up step would need its own lock and its own "done" marker. The log is
 * copied in SQL. The states are computed with ts-fsrs itself (a package, not src/), with the scheduler's
 * settings of this day written out below: frozen like the rest of a migration. If those settings change
 * later, states are recomputed from the log (src/memory recompute), which is why the log is kept.
 */
import { type Kysely, sql } from 'kysely';
import { type Card, createEmptyCard, fsrs, Rating } from 'ts-fsrs';

// Frozen in time: migrations never import src/, and take Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // The log: one row per graded answer (drill or practice). rating is ts-fsrs's Rating: 1 Again, 3 Good.
  await db.schema
    .createTable('reviews')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.notNull().check(sql`rating between 1 and 4`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('drill', 'practice')`))
    // The answer this review came from: unique, so a redelivered answer is never counted twice.
    .addColumn('answer_id', 'bigint', (c) => c.unique().references('answers.id').onDelete('set null'))
    .addColumn('reviewed_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint(
      'reviews_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('reviews_member_card_idx')
    .on('reviews')
    .columns(['platform', 'workspace_id', 'user_id', 'card_id', 'reviewed_at'])
    .execute();

  // The memory: ts-fsrs's card state per member and card (state: 0 New, 1 Learning, 2 Review, 3 Relearning).
  await db.schema
    .createTable('card_memory')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('card_id', 'text', (c) => c.notNull())
    .addColumn('state', 'smallint', (c) => c.notNull())
    .addColumn('stability', 'double precision', (c) => c.notNull())
    .addColumn('difficulty', 'double precision', (c) => c.notNull())
    .addColumn('due', 'timestamptz', (c) => c.notNull())
    .addColumn('last_review', 'timestamptz')
    .addColumn('scheduled_days', 'integer', (c) => c.notNull())
    .addColumn('learning_steps', 'integer', (c) => c.notNull())
    .addColumn('reps', 'integer', (c) => c.notNull())
    .addColumn('lapses', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('card_memory_pk', ['platform', 'workspace_id', 'user_id', 'card_id'])
    .addForeignKeyConstraint(
      'card_memory_workspace_fk',
      ['platform', 'workspace_id'],
      'workspaces',
      ['platform', 'workspace_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('card_memory_member_due_idx')
    .on('card_memory')
    .columns(['platform', 'workspace_id', 'user_id', 'due'])
    .execute();

  await sql`
    insert into reviews (platform, workspace_id, user_id, card_id, question_id, rating, source, answer_id, reviewed_at)
    select platform, workspace_id, user_id, card_id, question_id,
           case when correct then ${sql.lit(Rating.Good)} else ${sql.lit(Rating.Again)} end,
           case when delivery_id is null then 'practice' else 'drill' end,
           id, answered_at
    from answers
    order by answered_at, id`.execute(db);

  const { rows } = await sql<{
    platform: string;
    workspace_id: string;
    user_id: string;
    card_id: string;
    rating: number;
    reviewed_at: Date | string;
  }>`select platform, workspace_id, user_id, card_id, rating, reviewed_at from reviews
     order by platform, workspace_id, user_id, card_id, reviewed_at, id`.execute(db);
  // The scheduler of this day: days, not minutes; no fuzz; default weights; 85% requested retention.
  const f = fsrs({ enable_short_term: false, enable_fuzz: false, request_retention: 0.85 });
  const states: Record<string, unknown>[] = [];
  let key = '';
  let card: Card | undefined;
  let owner: (typeof rows)[number] | undefined;
  const flush = () => {
    if (!card || !owner) return;
    states.push({
      platform: owner.platform,
      workspace_id: owner.workspace_id,
      user_id: owner.user_id,
      card_id: owner.card_id,
      state: card.state,
      stability: card.stability,
      difficulty: card.difficulty,
      due: card.due,
      last_review: card.last_review ?? null,
      scheduled_days: card.scheduled_days,
      learning_steps: card.learning_steps,
      reps: card.reps,
      lapses: card.lapses,
    });
  };
  for (const row of rows) {
    const rowKey = JSON.stringify([row.platform, row.workspace_id, row.user_id, row.card_id]);
    const at = new Date(row.reviewed_at);
    if (rowKey !== key) {
      flush();
      key = rowKey;
      owner = row;
      card = createEmptyCard(at);
    }
    // As the app does it: elapsed days are derived from last_review, the deprecated field is never carried.
    card = f.next({ ...card!, elapsed_days: 0 }, at, row.rating as Rating.Again | Rating.Good).card;
  }
  flush();
  for (let i = 0; i < states.length; i += 500) {
    await db
      .insertInto('card_memory')
      .values(states.slice(i, i + 500))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('card_memory').execute();
  await db.schema.dropTable('reviews').execute();
}
