/**
 * The scheduler's claims. The database is the arbiter: a drill's slot is handled under its row lock
 * (SKIP LOCKED, so instances never wait on each other), posting and revealing are leased with a
 * conditional UPDATE that only one instance can win.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ChannelRef, Platform } from '../core/types.ts';
import type { Database, DeliveryRow, DrillRow, ReviewMode } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

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
  work: (trx: Transaction<Database>, drill: DrillRow) => Promise<T>,
): Promise<T | undefined> {
  return db.transaction().execute(async (trx) => {
    const drill = await trx
      .selectFrom('drills')
      .selectAll()
      .where('id', '=', drillId)
      .where('status', '=', 'active')
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    return drill ? work(trx, drill) : undefined;
  });
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

/** Records a skipped day; true when this call added it. */
export async function addSkip(
  db: Kysely<Database>,
  drillId: number,
  localDate: string,
  reason: 'manual' | 'missed',
  createdBy: string | null,
): Promise<boolean> {
  const row = await db
    .insertInto('drill_skips')
    .values({ drill_id: drillId, local_date: localDate, reason, created_by: createdBy })
    .onConflict((oc) => oc.columns(['drill_id', 'local_date']).doNothing())
    .returning('local_date')
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

export interface UnpostedDelivery extends DeliveryRow {
  timezone: string;
}

/**
 * Deliveries waiting to be posted whose lease is free, opened no earlier than `since`, on the platforms this
 * process can post to (another process serves the rest).
 */
export async function listUnposted(
  db: Kysely<Database>,
  now: Date,
  since: Date,
  limit: number,
  platforms: readonly Platform[],
): Promise<UnpostedDelivery[]> {
  if (platforms.length === 0) return [];
  return db
    .selectFrom('deliveries')
    .innerJoin('drills', 'drills.id', 'deliveries.drill_id')
    .selectAll('deliveries')
    .select('drills.timezone')
    .where('deliveries.post_status', 'in', ['pending', 'posting'])
    .where('deliveries.platform', 'in', platforms)
    .where('deliveries.opens_at', '<=', now)
    .where('deliveries.opens_at', '>', since)
    .where((eb) =>
      eb.or([eb('deliveries.post_lease_until', 'is', null), eb('deliveries.post_lease_until', '<', now)]),
    )
    .where('drills.status', '=', 'active')
    .orderBy('deliveries.opens_at', 'asc')
    .limit(limit)
    .execute();
}

/** Unposted deliveries that opened before `before`: too old to post any more. Returns what expired. */
export async function expireUnposted(db: Kysely<Database>, before: Date, now: Date) {
  const rows = await db
    .updateTable('deliveries')
    .set({ post_status: 'not_posted', post_lease_until: null })
    .where('post_status', 'in', ['pending', 'posting'])
    .where('opens_at', '<=', before)
    .where((eb) => eb.or([eb('post_lease_until', 'is', null), eb('post_lease_until', '<', now)]))
    .returning(['id', 'drill_id', 'platform', 'local_date', 'post_attempts', 'last_error'])
    .execute();
  return rows.map((r) => ({
    deliveryId: r.id,
    drillId: r.drill_id,
    platform: r.platform,
    localDate: r.local_date,
    attempts: r.post_attempts,
    lastError: r.last_error,
  }));
}

/** Takes the posting lease; only one caller gets the row back. */
export async function claimPost(
  db: Kysely<Database>,
  deliveryId: number,
  now: Date,
  leaseUntil: Date,
): Promise<DeliveryRow | undefined> {
  return db
    .updateTable('deliveries')
    .set((eb) => ({
      post_status: 'posting',
      post_lease_until: leaseUntil,
      post_attempts: eb('post_attempts', '+', 1),
    }))
    .where('id', '=', deliveryId)
    .where('post_status', 'in', ['pending', 'posting'])
    .where((eb) => eb.or([eb('post_lease_until', 'is', null), eb('post_lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
}

export async function markPosted(
  db: Kysely<Database>,
  deliveryId: number,
  messageId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      post_status: 'posted',
      message_id: messageId,
      posted_at: at,
      post_lease_until: null,
      last_error: null,
    })
    .where('id', '=', deliveryId)
    .execute();
}

/** A failed attempt: retried when the lease lapses at `retryAt`, or given up (`failed`) when that is null. */
export async function markPostFailed(
  db: Kysely<Database>,
  deliveryId: number,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set(
      retryAt
        ? { post_status: 'posting', post_lease_until: retryAt, last_error: error }
        : { post_status: 'failed', post_lease_until: null, last_error: error },
    )
    .where('id', '=', deliveryId)
    .where('post_status', '=', 'posting')
    .execute();
}

/**
 * Deliveries whose reveal moment has passed (the reveal time, or when the next one opened), on the platforms
 * this process serves: a reveal edits the platform's message, and a lease taken here would only delay it.
 */
export async function listRevealDue(
  db: Kysely<Database>,
  now: Date,
  limit: number,
  platforms: readonly Platform[],
): Promise<number[]> {
  if (platforms.length === 0) return [];
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where('revealed_at', 'is', null)
    .where('platform', 'in', platforms)
    .where((eb) =>
      eb.or([
        eb.and([eb('reveal_at', 'is not', null), eb('reveal_at', '<=', now)]),
        eb.and([eb('reveal_at', 'is', null), eb('closes_at', 'is not', null), eb('closes_at', '<=', now)]),
      ]),
    )
    .where((eb) => eb.or([eb('reveal_lease_until', 'is', null), eb('reveal_lease_until', '<', now)]))
    .where('post_status', 'not in', ['pending', 'posting'])
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function claimReveal(
  db: Kysely<Database>,
  deliveryId: number,
  now: Date,
  leaseUntil: Date,
): Promise<DeliveryRow | undefined> {
  return db
    .updateTable('deliveries')
    .set({ reveal_lease_until: leaseUntil })
    .where('id', '=', deliveryId)
    .where('revealed_at', 'is', null)
    .where((eb) => eb.or([eb('reveal_lease_until', 'is', null), eb('reveal_lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
}

export async function markRevealed(db: Kysely<Database>, deliveryId: number, at: Date): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ revealed_at: at, reveal_lease_until: null })
    .where('id', '=', deliveryId)
    .execute();
}

/** How many members chose each option, A to D. */
export async function answerDistribution(db: Kysely<Database>, deliveryId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('answers')
    .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
    .where('delivery_id', '=', deliveryId)
    .groupBy('choice')
    .execute();
  const counts = [0, 0, 0, 0];
  for (const r of rows) counts[r.choice] = Number(r.n);
  return counts;
}

export interface ScheduleChange {
  timeOfDay: string;
  days: number;
  timezone: string;
  trackId: string;
  revealTime: string | null;
  reviewMode: ReviewMode | null;
}

/** Creates or reschedules the channel's drill; slots before now never post, so nothing fires retroactively. */
export async function upsertSchedule(
  db: Kysely<Database>,
  channel: ChannelRef,
  change: ScheduleChange,
  createdBy: string,
  now: Date,
): Promise<DrillRow> {
  return db
    .insertInto('drills')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      track_id: change.trackId,
      time_of_day: change.timeOfDay,
      days: change.days,
      timezone: change.timezone,
      reveal_time: change.revealTime,
      review_mode: change.reviewMode,
      created_by: createdBy,
      updated_at: now,
      schedule_changed_at: now,
      next_slot_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace_id', 'channel_id']).doUpdateSet((eb) => ({
        time_of_day: eb.ref('excluded.time_of_day'),
        days: eb.ref('excluded.days'),
        timezone: eb.ref('excluded.timezone'),
        reveal_time: eb.ref('excluded.reveal_time'),
        review_mode: eb.ref('excluded.review_mode'),
        // A new track starts from its first card.
        position: sql<number>`case when drills.track_id = excluded.track_id then drills.position else 0 end`,
        track_id: eb.ref('excluded.track_id'),
        updated_at: now,
        schedule_changed_at: now,
        next_slot_at: null,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function pauseDrill(
  db: Kysely<Database>,
  drillId: number,
  reason: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('drills')
    .set({ status: 'paused', pause_reason: reason, paused_at: now, updated_at: now })
    .where('id', '=', drillId)
    .execute();
}

/**
 * Resumes a drill: slots that passed while it was paused never post; today's failed post (if any) is retried.
 */
export async function resumeDrill(
  db: Kysely<Database>,
  drillId: number,
  now: Date,
  today: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('drills')
      .set({
        status: 'active',
        pause_reason: null,
        paused_at: null,
        updated_at: now,
        schedule_changed_at: now,
        next_slot_at: null,
      })
      .where('id', '=', drillId)
      .execute();
    await trx
      .updateTable('deliveries')
      .set({ post_status: 'pending', post_attempts: 0, post_lease_until: null })
      .where('drill_id', '=', drillId)
      .where('local_date', '=', today)
      .where('post_status', '=', 'failed')
      .execute();
  });
}

/** Upcoming manual skips from a date on, for `schedule show`. */
export async function listUpcomingSkips(
  db: Kysely<Database>,
  drillId: number,
  fromDate: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('drill_skips')
    .select('local_date')
    .where('drill_id', '=', drillId)
    .where('local_date', '>=', fromDate)
    .where('reason', '=', 'manual')
    .orderBy('local_date', 'asc')
    .execute();
  return rows.map((r) => r.local_date);
}

/** Who hears about a broken drill: whoever set it up, plus the workspace's granted managers. */
export async function managerIdsToNotify(
  db: Kysely<Database>,
  drill: Pick<DrillRow, 'platform' | 'workspace_id' | 'created_by'>,
): Promise<string[]> {
  const rows = await db
    .selectFrom('managers')
    .select('user_id')
    .where('platform', '=', drill.platform)
    .where('workspace_id', '=', drill.workspace_id)
    .execute();
  const ids = new Set(rows.map((r) => r.user_id));
  if (drill.created_by) ids.add(drill.created_by);
  return [...ids];
}
