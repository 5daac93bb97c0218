/**
 * A drill's slots, handled under the drill's row lock (SKIP LOCKED, so instances never wait on each other):
 * which drills are due, the next slot, and the days skipped or not posted.
 */
import type { Kysely } from 'kysely';
import { withRowLock } from '../db/leases.ts';
import type { Database, DrillRow } from '../db/schema.ts';

/** Drills whose next slot has come (or was never computed), oldest first. */
export async function listDueDrillIds(db: Kysely<Database>, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('drills')
    .select('id')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('next_slot_at', 'is', null), eb('next_slot_at', '<=', now)]))
    .orderBy('next_slot_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Runs `work` with the drill's row locked, or returns undefined at once when another instance holds it
 * (it is handling this drill right now) or the drill is no longer active.
 */
export async function withDueDrillLocked<T>(
  db: Kysely<Database>,
  drillId: number,
  work: (trx: Kysely<Database>, drill: DrillRow) => Promise<T>,
): Promise<T | undefined> {
  return withRowLock(
    db,
    'drills',
    drillId,
    { skipLocked: true, where: (eb) => eb('status', '=', 'active') },
    work,
  );
}

export async function setNextSlot(trx: Kysely<Database>, drillId: number, at: Date): Promise<void> {
  await trx.updateTable('drills').set({ next_slot_at: at }).where('id', '=', drillId).execute();
}

export async function isSkipped(trx: Kysely<Database>, drillId: number, localDate: string): Promise<boolean> {
  const row = await trx
    .selectFrom('drill_skips')
    .select('local_date')
    .where('drill_id', '=', drillId)
    .where('local_date', '=', localDate)
    .executeTakeFirst();
  return row !== undefined;
}

/** A delivery a member opened early that can no longer be posted: it stays answerable but is not announced. */
export async function markNotPosted(
  trx: Kysely<Database>,
  drillId: number,
  localDate: string,
): Promise<void> {
  await trx
    .updateTable('deliveries')
    .set({ post_status: 'not_posted' })
    .where('drill_id', '=', drillId)
    .where('local_date', '=', localDate)
    .where('post_status', 'in', ['pending', 'posting'])
    .execute();
}
