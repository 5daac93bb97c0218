/** What cohort reports read: a drill's deliveries in a date range and every answer given on them. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Deliveries of a drill from `from` to `to` (local dates, inclusive) that have opened by `now`, oldest first. */
export async function deliveriesBetween(
  db: Kysely<Database>,
  drillId: number,
  from: string,
  to: string,
  now: Date,
) {
  return db
    .selectFrom('deliveries')
    .select(['id', 'local_date', 'study_day', 'card_id', 'question_id', 'opens_at', 'closes_at'])
    .where('drill_id', '=', drillId)
    .where('local_date', '>=', from)
    .where('local_date', '<=', to)
    .where('opens_at', '<=', now)
    .orderBy('local_date', 'asc')
    .execute();
}

/** Every answer on these deliveries (uses the (delivery_id, user_id) unique index). */
export async function answersOnDeliveries(db: Kysely<Database>, deliveryIds: readonly number[]) {
  if (!deliveryIds.length) return [];
  return db
    .selectFrom('answers')
    .select(['user_id', 'delivery_id', 'module_id', 'choice', 'correct', 'points', 'answered_at'])
    .where('delivery_id', 'in', deliveryIds)
    .execute();
}
