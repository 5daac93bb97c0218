/**
 * Posting and revealing a delivery are leased: a conditional UPDATE takes the lease only while it is free,
 * so one instance wins each row, and a crash frees the row when the lease lapses.
 */
import { type Kysely, sql } from 'kysely';
import type { Platform } from '../core/types.ts';
import { leaseOn } from '../db/leases.ts';
import type { Database, DeliveryRow, DrillRow } from '../db/schema.ts';

const postLease = leaseOn('deliveries', 'post_lease_until');
const revealLease = leaseOn('deliveries', 'reveal_lease_until');

/** A delivery to post, with what the post needs of its drill, read with it: no second read of the drill. */
export interface UnpostedDelivery extends DeliveryRow {
  timezone: string;
  created_by: string | null;
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
    .select(['drills.timezone', 'drills.created_by'])
    .where('deliveries.post_status', 'in', ['pending', 'posting'])
    .where('deliveries.platform', 'in', platforms)
    .where('deliveries.opens_at', '<=', now)
    .where('deliveries.opens_at', '>', since)
    .where(postLease.freeAt(now))
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
    .where(postLease.freeAt(now))
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

/** What taking the posting lease tells its winner: the attempt this is, and how many answered already. */
export interface PostClaim {
  attempts: number;
  answered: number;
}

/**
 * Takes the posting lease; only one caller gets an answer. The caller holds the delivery's row already, so
 * only what the claim changed comes back, with the answers a member gave through `today` before the post.
 */
export async function claimPost(
  db: Kysely<Database>,
  deliveryId: number,
  now: Date,
  leaseUntil: Date,
): Promise<PostClaim | undefined> {
  const answered = sql<string>`(select count(*) from answers where answers.delivery_id = deliveries.id)`;
  const claimed = await postLease.take<{ post_attempts: number; answered: string }>(db, deliveryId, {
    now,
    until: leaseUntil,
    where: (eb) => eb('post_status', 'in', ['pending', 'posting']),
    set: (eb) => ({ post_status: 'posting', post_attempts: eb('post_attempts', '+', 1) }),
    returning: ['post_attempts', answered.as('answered')],
  });
  return claimed && { attempts: claimed.post_attempts, answered: Number(claimed.answered) };
}

export async function markPosted(
  db: Kysely<Database>,
  deliveryId: number,
  messageId: string,
  at: Date,
): Promise<void> {
  await postLease.release(db, deliveryId, {
    post_status: 'posted',
    message_id: messageId,
    posted_at: at,
    last_error: null,
  });
}

/** A failed attempt: retried when the lease lapses at `retryAt`, or given up (`failed`) when that is null. */
export async function markPostFailed(
  db: Kysely<Database>,
  deliveryId: number,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await postLease.release(
    db,
    deliveryId,
    { post_status: retryAt ? 'posting' : 'failed', last_error: error },
    { until: retryAt, where: (eb) => eb('post_status', '=', 'posting') },
  );
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
    .where(revealLease.freeAt(now))
    .where('post_status', 'not in', ['pending', 'posting'])
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes the reveal lease; only one caller gets the row back. */
export async function claimReveal(
  db: Kysely<Database>,
  deliveryId: number,
  now: Date,
  leaseUntil: Date,
): Promise<DeliveryRow | undefined> {
  return revealLease.take(db, deliveryId, {
    now,
    until: leaseUntil,
    where: (eb) => eb('revealed_at', 'is', null),
  });
}

export async function markRevealed(db: Kysely<Database>, deliveryId: number, at: Date): Promise<void> {
  await revealLease.release(db, deliveryId, { revealed_at: at });
}

/** The results post is about to be tried for the first time: a later attempt looks for its message. */
export async function markResultsAttempted(
  db: Kysely<Database>,
  deliveryId: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ results_attempted_at: at })
    .where('id', '=', deliveryId)
    .where('results_attempted_at', 'is', null)
    .execute();
}

export async function markResultsPosted(
  db: Kysely<Database>,
  deliveryId: number,
  messageId: string,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ results_message_id: messageId })
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
