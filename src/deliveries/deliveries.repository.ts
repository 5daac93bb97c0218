/** Deliveries: one row per (drill, local date). Inserting it is the claim that makes a day's drill exactly-once. */
import { type Kysely, sql } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import { claimTable } from '../db/claims.ts';
import type { DrillWithLatest } from '../db/deps.ts';
import { withRowLock } from '../db/leases.ts';
import type { Database, DeliveryRow, DrillRow } from '../db/schema.ts';

export interface NewDelivery {
  drillId: number;
  localDate: string;
  opensAt: Date;
  revealAt: Date | null;
  late: boolean;
  /** When the plan was made: the drill's `updated_at` when its position advances. */
  plannedAt: Date;
  /**
   * Picks the card and question from the drill's position, read under the drill's row lock. `advance`: how
   * far a new card moves the position (1 unless cards were passed over; a review day moves it none).
   */
  pick(position: number): {
    studyDay: number;
    cardId: string;
    questionId: string;
    review?: { due: number };
    advance?: number;
  };
}

/** One delivery per (drill, local date): inserting it is the claim. */
const deliveryClaims = claimTable('deliveries', ['drill_id', 'local_date']);

/**
 * Claims the delivery for (drill, local date). Returns the new row, or undefined when it already existed.
 * The drill row is locked for the transaction so the position advances exactly once per delivery.
 */
export async function claimDelivery(db: Kysely<Database>, d: NewDelivery): Promise<DeliveryRow | undefined> {
  return withRowLock(db, 'drills', d.drillId, {}, (trx, drill) => insertDeliveryLocked(trx, drill, d));
}

/**
 * The claim itself, for a caller that already holds the drill's row lock in `trx`. The previous delivery
 * closes when this one opens (or at its reveal time, if later); a reveal time closes this one at reveal.
 */
export async function insertDeliveryLocked(
  trx: Kysely<Database>,
  drill: DrillRow,
  d: NewDelivery,
): Promise<DeliveryRow | undefined> {
  const chosen = d.pick(drill.position);
  const row = await deliveryClaims.claim(trx, {
    drill_id: d.drillId,
    platform: drill.platform,
    workspace_id: drill.workspace_id,
    channel_id: drill.channel_id,
    local_date: d.localDate,
    study_day: chosen.studyDay,
    card_id: chosen.cardId,
    question_id: chosen.questionId,
    track_id: drill.track_id,
    opens_at: d.opensAt,
    closes_at: d.revealAt,
    reveal_at: d.revealAt,
    late: d.late,
    is_review: chosen.review !== undefined,
    review_due: chosen.review?.due ?? null,
  });
  if (!row) return undefined;
  // A review day shows an already-taught card: the programme of new cards resumes where it was.
  if (!chosen.review) {
    await trx
      .updateTable('drills')
      .set({ position: drill.position + (chosen.advance ?? 1), updated_at: d.plannedAt })
      .where('id', '=', d.drillId)
      .execute();
  }
  await trx
    .updateTable('deliveries')
    .set({
      closes_at: sql<Date>`greatest(${d.opensAt}::timestamptz, coalesce(reveal_at, ${d.opensAt}::timestamptz))`,
    })
    .where('drill_id', '=', d.drillId)
    .where('local_date', '<', d.localDate)
    .where('closes_at', 'is', null)
    .execute();
  return row;
}

/** A delivery with what answering it needs from its drill (the time zone), in one statement. */
export async function findAnswerableDelivery(
  db: Kysely<Database>,
  id: number,
): Promise<(DeliveryRow & { timezone: string }) | undefined> {
  return db
    .selectFrom('deliveries')
    .innerJoin('drills', 'drills.id', 'deliveries.drill_id')
    .selectAll('deliveries')
    .select('drills.timezone')
    .where('deliveries.id', '=', id)
    .executeTakeFirst();
}

/** A delivery as its live answer count needs it, in one statement: the row (with its track) and how many answered. */
export async function findLiveDelivery(
  db: Kysely<Database>,
  id: number,
): Promise<(DeliveryRow & { answered: number }) | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .selectAll('deliveries')
    .select((eb) =>
      eb
        .selectFrom('answers')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('answers.delivery_id', '=', 'deliveries.id')
        .as('answered'),
    )
    .where('deliveries.id', '=', id)
    .executeTakeFirst();
  return row && { ...row, answered: Number(row.answered) };
}

export async function findDeliveryByDate(
  db: Kysely<Database>,
  drillId: number,
  localDate: string,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('drill_id', '=', drillId)
    .where('local_date', '=', localDate)
    .executeTakeFirst();
}

/** The timestamp columns of a delivery: JSON carries them as text. */
const DELIVERY_TIMES = [
  'opens_at',
  'closes_at',
  'reveal_at',
  'post_lease_until',
  'posted_at',
  'revealed_at',
  'reveal_lease_until',
  'created_at',
] as const;

/** A delivery row read as JSON (`to_jsonb`): its timestamps back to dates, as the driver gives them. */
function deliveryFromJson(json: Record<string, unknown>): DeliveryRow {
  const row: Record<string, unknown> = { ...json };
  for (const column of DELIVERY_TIMES)
    if (typeof row[column] === 'string') row[column] = new Date(row[column]);
  return row as unknown as DeliveryRow;
}

/**
 * The channel's drill with its most recent delivery that has opened by `now` (`latestOpened`) and that
 * delivery's answer count, in one statement.
 */
export async function findDrillWithLatest(
  db: Kysely<Database>,
  channel: ChannelRef,
  now: Date,
): Promise<DrillWithLatest | undefined> {
  const row = await db
    .selectFrom('drills')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('deliveries')
          .selectAll()
          .whereRef('deliveries.drill_id', '=', 'drills.id')
          .where('deliveries.opens_at', '<=', now)
          .orderBy('deliveries.opens_at', 'desc')
          .limit(1)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .selectAll('drills')
    .select((eb) => [
      sql<Record<string, unknown> | null>`case when latest.id is null then null else to_jsonb(latest) end`.as(
        'latest_row',
      ),
      eb
        .selectFrom('answers')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('answers.delivery_id', '=', 'latest.id')
        .as('latest_answered'),
    ])
    .where('drills.platform', '=', channel.platform)
    .where('drills.workspace_id', '=', channel.workspaceId)
    .where('drills.channel_id', '=', channel.channelId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { latest_row, latest_answered, ...drill } = row;
  return {
    drill,
    ...(latest_row && {
      latest: { ...deliveryFromJson(latest_row), answered: Number(latest_answered ?? 0) },
    }),
  };
}

/** The most recent delivery that has opened by `now`. */
export async function latestOpened(
  db: Kysely<Database>,
  drillId: number,
  now: Date,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('drill_id', '=', drillId)
    .where('opens_at', '<=', now)
    .orderBy('opens_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countAnswers(db: Kysely<Database>, deliveryId: number): Promise<number> {
  const row = await db
    .selectFrom('answers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deliveries of these drills whose answer is still secret at `now` (not revealed and still open for
 * answers), and every delivery dated `fromDate` or later: what the practice embargo needs to know.
 */
export async function secretOrComingDeliveries(
  db: Kysely<Database>,
  drillIds: readonly number[],
  now: Date,
  fromDate: string,
) {
  if (!drillIds.length) return [];
  return db
    .selectFrom('deliveries')
    .select(['drill_id', 'local_date', 'card_id', 'revealed_at', 'closes_at'])
    .where('drill_id', 'in', drillIds)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('revealed_at', 'is', null),
          eb.or([eb('closes_at', 'is', null), eb('closes_at', '>', now)]),
        ]),
        eb('local_date', '>=', fromDate),
      ]),
    )
    .execute();
}

/**
 * What choosing a review day needs, for the delivery of `localDate`: the drill's deliveries before it (and
 * how many were reviews, and whether one fell on or after `weekStart`), the cards of its revealed deliveries
 * in the order they were taught, and its active members (who answered one of its deliveries opened since
 * `activeSince`).
 */
export async function reviewContext(
  db: Kysely<Database>,
  drillId: number,
  localDate: string,
  weekStart: string,
  activeSince: Date,
) {
  const before = await db
    .selectFrom('deliveries')
    .select(['local_date', 'card_id', 'is_review', 'revealed_at'])
    .where('drill_id', '=', drillId)
    .where('local_date', '<', localDate)
    .orderBy('local_date', 'asc')
    .execute();
  const taught: string[] = [];
  const shown = new Map<string, number>();
  for (const d of before) {
    shown.set(d.card_id, (shown.get(d.card_id) ?? 0) + 1);
    if (d.revealed_at !== null && !taught.includes(d.card_id)) taught.push(d.card_id);
  }
  const members = await db
    .selectFrom('answers')
    .innerJoin('deliveries', 'deliveries.id', 'answers.delivery_id')
    .select('answers.user_id')
    .distinct()
    .where('deliveries.drill_id', '=', drillId)
    .where('deliveries.opens_at', '>=', activeSince)
    .execute();
  return {
    deliveredBefore: before.length,
    reviewsBefore: before.filter((d) => d.is_review).length,
    deliveredThisWeek: before.some((d) => d.local_date >= weekStart),
    taughtCardIds: taught,
    /** How many times each card was shown before. */
    shown,
    memberIds: members.map((m) => m.user_id),
  };
}

/** How many of the drill's deliveries were review days. */
export async function countReviews(db: Kysely<Database>, drillId: number): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('drill_id', '=', drillId)
    .where('is_review', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
