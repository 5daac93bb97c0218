/** Finding and opening a channel's drill for a day; the same claim the scheduler uses, so each day opens once. */
import type { Kysely } from 'kysely';
import type { StudyCard } from '../content/track.ts';
import { isStudyWeekday, localDateOf, type Schedule, slotFor } from '../core/calendar.ts';
import { UserFacingError } from '../core/errors.ts';
import { managerCommand } from '../core/render/text.ts';
import type { ChannelRef } from '../core/types.ts';
import type { DrillWithLatest, StudyDeps } from '../db/deps.ts';
import type { Database, DeliveryRow } from '../db/schema.ts';
import { trackFor } from '../db/track-versions.ts';
import { cohortCardIndex } from '../plans/cohorts.ts';
import { findDrillByChannel, insertDrillIfAbsent, listSkips } from '../plans/drills.repository.ts';
import { type Delivery, type Drill, deliveryFromRow, drillFromRow } from '../plans/model.ts';
import {
  claimDelivery,
  findDeliveryByDate,
  findDrillWithLatest,
  latestOpened,
  type NewDelivery,
} from './deliveries.repository.ts';
import { planReview } from './review-days.ts';
import { askable, firstAskableCard, withheldQuestions } from './withheld.ts';

/** How long this process serves a channel's drill from memory (`drillCache`): another process's change shows within it. */
export const DRILL_CACHE_TTL_MS = 1_000;
/** How many channels' drills a process keeps in memory at most (the oldest read goes first). */
export const DRILL_CACHE_ENTRIES = 10_000;

/**
 * The channel's drill with its latest opened delivery and answer count: from `deps.drillCache` when this
 * process read it within the cache's time and wrote none of those tables since, otherwise one statement.
 * A cached latest delivery may be one that opened before `now`; `currentDelivery` opens or reads today's.
 */
function drillWithLatest(
  deps: StudyDeps,
  channel: ChannelRef,
  now: Date,
): Promise<DrillWithLatest | undefined> {
  const cache = deps.drillCache;
  if (!cache || deps.db.isTransaction) return findDrillWithLatest(deps.db, channel, now);
  const key = `${channel.platform}:${channel.workspaceId}:${channel.channelId}`;
  const at = now.getTime();
  const hit = cache.get(key, at);
  if (hit !== undefined) return Promise.resolve(hit);
  return cache.read(key, at, () => findDrillWithLatest(deps.db, channel, now));
}

/**
 * The channel's drill, the delivery a member should see now (`currentDelivery`) and, when that is the latest
 * one that opened, its answer count: one statement when the day's delivery has opened already, none when
 * this process read it moments ago (`drillWithLatest`).
 */
export async function drillNow(
  deps: StudyDeps,
  channel: ChannelRef,
): Promise<{ drill: Drill; delivery?: Delivery; answered?: number } | undefined> {
  const now = deps.clock.now();
  const row = await drillWithLatest(deps, channel, now);
  if (!row) return undefined;
  const drill = drillFromRow(row.drill);
  const delivery = await currentDelivery(deps, drill, { now, latest: row.latest });
  if (!delivery) return { drill };
  return delivery.id === row.latest?.id
    ? { drill, delivery, answered: row.latest.answered }
    : { drill, delivery };
}

export async function getDrill(deps: StudyDeps, channel: ChannelRef): Promise<Drill | undefined> {
  const row = await findDrillByChannel(deps.db, channel);
  return row ? drillFromRow(row) : undefined;
}

/** What a member runs to give a channel a drill. */
export const SCHEDULE_HINT = `${managerCommand('schedule set')} <HH:MM> (managers)`;

/** The NO_DRILL error: `message` says what this channel lacks without a drill, `usage` what to run. */
export function noDrill(message: string, usage?: string): UserFacingError {
  return new UserFacingError('NO_DRILL', message, usage);
}

/** The channel's drill, or the NO_DRILL error with this `message` and `usage` when it has none. */
export async function requireDrill(
  deps: StudyDeps,
  channel: ChannelRef,
  message: string,
  usage?: string,
): Promise<Drill> {
  const drill = await getDrill(deps, channel);
  if (!drill) throw noDrill(message, usage);
  return drill;
}

export async function ensureDrill(
  deps: StudyDeps,
  channel: ChannelRef,
  schedule: Schedule,
  createdBy: string | null,
  effectiveFrom?: Date,
): Promise<Drill> {
  return drillFromRow(
    await insertDrillIfAbsent(
      deps.db,
      channel,
      schedule,
      deps.defaultTrackId,
      createdBy,
      deps.clock.now(),
      effectiveFrom,
    ),
  );
}

/**
 * What a drill's delivery on `localDate` would be: when it opens, when it reveals, and which card it shows.
 * The scheduler, `drill now` and the lazy open in `today` share this, so all pick the same card. A cohort's
 * drill follows the cohort calendar (study day N shows card N); undefined when the date is no study day of
 * the cohort. `db` is the transaction holding the drill's lock when there is one.
 */
export async function planDelivery(
  deps: StudyDeps,
  drill: Drill,
  localDate: string,
  opts: { late?: boolean; opensAt?: Date } = {},
  db: Kysely<Database> = deps.db,
): Promise<NewDelivery | undefined> {
  // A version this process has not read is read in the same transaction (PGlite has a single connection).
  const track = await trackFor(db === deps.db ? deps : { ...deps, db }, drill.trackId);
  const cohortIndex =
    drill.cohortId === null ? null : await cohortCardIndex(deps, drill, localDate, track.cards.length, db);
  if (drill.cohortId !== null && cohortIndex === null) return undefined;
  const opensAt = opts.opensAt ?? slotFor(drill.schedule, localDate);
  const { review, reviewsBefore } = await planReview(
    deps,
    drill,
    localDate,
    track.cards.map((c) => c.id),
    db,
  );
  const withheld = await withheldQuestions(deps, drill.channel, db);
  return {
    drillId: drill.id,
    localDate,
    opensAt,
    revealAt: revealInstant(drill, localDate, opensAt),
    late: opts.late ?? false,
    plannedAt: deps.clock.now(),
    pick: (position) => {
      const day = cohortIndex ?? position;
      const reviewed = review && track.cards.find((c) => c.id === review.cardId);
      const reviewable = reviewed ? askable(reviewed, withheld) : [];
      if (review && reviewed && reviewable.length > 0) {
        // Another of the card's questions each time it comes back, so a review is not a repeat.
        const question = reviewable[review.shown % reviewable.length]!;
        return {
          studyDay: day + 1,
          cardId: reviewed.id,
          questionId: question.id,
          review: { due: review.due },
        };
      }
      // A cohort that opted in to review days shows its cards one study day later for each review day.
      const index = cohortIndex === null ? position : cohortIndex - reviewsBefore;
      return { studyDay: day + 1, ...newCardPick(track.cards, index, withheld, cohortIndex !== null) };
    },
  };
}

/**
 * The new card a day shows and its question: the card at `index` with its first question the workspace may
 * be asked. A card whose every question is withheld is passed over for the next one: a plain drill's position
 * moves past it too; a cohort's calendar stays (card N on day N), so the next card shows a day early, with its
 * last askable question, and again on its own day with its first.
 */
function newCardPick(
  cards: readonly StudyCard[],
  index: number,
  withheld: ReadonlySet<string>,
  cohort: boolean,
): { cardId: string; questionId: string; advance?: number } {
  const { card, skipped } = firstAskableCard(cards, index, withheld);
  const questions = askable(card, withheld);
  const question = (skipped > 0 && cohort ? questions.at(-1) : questions[0]) ?? card.questions[0]!;
  return {
    cardId: card.id,
    questionId: question.id,
    ...(skipped > 0 && !cohort ? { advance: skipped + 1 } : {}),
  };
}

/** With a reveal time the answer shows that day (if after opening); otherwise when the next delivery opens. */
function revealInstant(drill: Drill, localDate: string, opensAt: Date): Date | null {
  if (!drill.revealTime) return null;
  const at = slotFor({ timeOfDay: drill.revealTime, timezone: drill.schedule.timezone }, localDate);
  return at.getTime() > opensAt.getTime() ? at : null;
}

/**
 * Opens the drill's delivery for `localDate` unless it exists; returns the day's delivery either way.
 * A cohort's drill follows the cohort calendar: undefined when the date is no study day of the cohort.
 */
async function openDelivery(
  deps: StudyDeps,
  drill: Drill,
  localDate: string,
  opts: { late?: boolean; opensAt?: Date } = {},
): Promise<Delivery | undefined> {
  const plan = await planDelivery(deps, drill, localDate, opts);
  if (!plan) {
    const existing = await findDeliveryByDate(deps.db, drill.id, localDate);
    return existing ? deliveryFromRow(existing) : undefined;
  }
  const row = await claimDelivery(deps.db, plan);
  if (row) {
    deps.log.info(
      { drillId: drill.id, localDate, cardId: row.card_id, studyDay: row.study_day },
      'delivery opened',
    );
    return deliveryFromRow(row);
  }
  return deliveryFromRow((await findDeliveryByDate(deps.db, drill.id, localDate))!);
}

/**
 * Opens today's delivery at once when today's slot has already passed without it: a calendar that begins
 * (or is back-dated to) before now serves the card of today's study day on the day it is set up, rather
 * than leaving the day empty. Returns the delivery it opened, or undefined when today is no study day, the
 * slot is still to come (the scheduler posts it then) or today's delivery already exists.
 */
export async function openPassedToday(deps: StudyDeps, drill: Drill): Promise<Delivery | undefined> {
  const now = deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  if (drill.status !== 'active' || !isStudyWeekday(drill.schedule, today)) return undefined;
  if (slotFor(drill.schedule, today).getTime() > now.getTime()) return undefined;
  if ((await listSkips(deps.db, drill.id, today)).has(today)) return undefined;
  const plan = await planDelivery(deps, drill, today, { opensAt: now });
  const row = plan ? await claimDelivery(deps.db, plan) : undefined;
  if (!row) return undefined;
  deps.log.info({ drillId: drill.id, localDate: today, studyDay: row.study_day }, 'delivery opened');
  return deliveryFromRow(row);
}

/**
 * The delivery a member should see now: today's if it is due (opening it if nobody has yet),
 * otherwise the latest one that opened. Undefined when the drill has never opened.
 */
export async function currentDelivery(
  deps: StudyDeps,
  drill: Drill,
  read?: { now: Date; latest: DeliveryRow | undefined },
): Promise<Delivery | undefined> {
  const now = read?.now ?? deps.clock.now();
  const today = localDateOf(now, drill.schedule.timezone);
  const latest = read ? read.latest : await latestOpened(deps.db, drill.id, now);
  if (latest?.local_date === today) return deliveryFromRow(latest);
  const due =
    drill.status === 'active' &&
    isStudyWeekday(drill.schedule, today) &&
    slotFor(drill.schedule, today).getTime() <= now.getTime() &&
    slotFor(drill.schedule, today).getTime() >= drill.scheduleChangedAt.getTime() &&
    !(await listSkips(deps.db, drill.id, today)).has(today);
  const opened = due ? await openDelivery(deps, drill, today) : undefined;
  if (opened) return opened;
  return latest ? deliveryFromRow(latest) : undefined;
}
