/** Scheduler state: each drill's next slot (so a tick reads only what is due), skip reasons and reveal leases. */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('drills')
    // The next opening the ticker has not handled yet; null until first computed.
    .addColumn('next_slot_at', 'timestamptz')
    // Slots before this instant never post: a schedule set at 14:00 for 09:00 starts tomorrow.
    .addColumn('schedule_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('drills_due_idx')
    .on('drills')
    .columns(['next_slot_at'])
    .where(sql.ref('status'), '=', 'active')
    .execute();

  // 'manual' from /roadmap schedule skip; 'missed' when downtime outlasted the catch-up window.
  await db.schema
    .alterTable('drill_skips')
    .addColumn('reason', 'text', (c) =>
      c.notNull().defaultTo('manual').check(sql`reason in ('manual', 'missed')`),
    )
    .execute();

  await db.schema.alterTable('deliveries').addColumn('reveal_lease_until', 'timestamptz').execute();
  await db.schema
    .createIndex('deliveries_unposted_idx')
    .on('deliveries')
    .columns(['opens_at'])
    .where(sql.ref('post_status'), 'in', sql`('pending', 'posting')`)
    .execute();
  await db.schema
    .createIndex('deliveries_unrevealed_idx')
    .on('deliveries')
    .columns(['drill_id'])
    .where(sql.ref('revealed_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_unrevealed_idx').execute();
  await db.schema.dropIndex('deliveries_unposted_idx').execute();
  await db.schema.alterTable('deliveries').dropColumn('reveal_lease_until').execute();
  await db.schema.alterTable('drill_skips').dropColumn('reason').execute();
  await db.schema.dropIndex('drills_due_idx').execute();
  await db.schema.alterTable('drills').dropColumn('schedule_changed_at').dropColumn('next_slot_at').execute();
}
