/**
 * The practice embargo: practice never gives a drill away. A card is embargoed for a member while it is, or
 * will be, the card of a drill in a channel they study in and that drill has not been revealed; the whole
 * card, because its other questions teach the drill's answer. Any practice scheduler asks this rule first.
 */
import type { Track } from '../content/track.ts';
import { addDays, localDateOf } from '../core/calendar.ts';
import type { ChannelRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { countReviews, secretOrComingDeliveries } from '../deliveries/deliveries.repository.ts';
import { type CohortCalendar, cohortEndDate, cohortStudyDates } from '../plans/cohort-calendar.ts';
import { findCohortById } from '../plans/cohorts.repository.ts';
import { drillsOfMember, listSkips } from '../plans/drills.repository.ts';
import { type Drill, drillFromRow } from '../plans/model.ts';

/** What one drill has shown and will show, as far as the embargo needs it. */
export interface DrillOutlook {
  drill: Pick<Drill, 'position' | 'cohortId'>;
  track: Pick<Track, 'cards'>;
  /** Today in the drill's zone. */
  today: string;
  /** The drill's deliveries that are still secret (neither revealed nor closed) plus those dated today or later. */
  deliveries: readonly { localDate: string; cardId: string; secret: boolean }[];
  /**
   * For a cohort's drill: its calendar with skipped days; its study day N shows card N, or card N − k after k
   * review days (a cohort whose manager opted in to them).
   */
  cohort?: { calendar: CohortCalendar & { endsOn: string }; skips: ReadonlySet<string>; reviews?: number };
}

/**
 * The cards one drill keeps secret: those of its deliveries not yet revealed, and those of its coming study
 * days. A plain drill walks the track in order, so every card from its position to the end of the track is
 * still to come; a cohort's drill shows card N on study day N, so the cards of its remaining study days
 * (today's too, until it is delivered and revealed) are.
 */
export function drillSecrets(o: DrillOutlook): Set<string> {
  const secret = new Set(o.deliveries.filter((d) => d.secret).map((d) => d.cardId));
  const cards = o.track.cards;
  if (o.cohort) {
    const delivered = new Set(o.deliveries.map((d) => d.localDate));
    const dates = cohortStudyDates(o.cohort.calendar, o.cohort.calendar.endsOn, o.cohort.skips);
    // Later review days only delay cards further: the cards still to come lie in this shifted range.
    const shift = o.cohort.reviews ?? 0;
    dates.forEach((date, index) => {
      const card = index - shift;
      if (date >= o.today && !delivered.has(date) && card >= 0 && card < cards.length)
        secret.add(cards[card]!.id);
    });
  } else if (o.drill.cohortId === null && cards.length) {
    for (let i = o.drill.position % cards.length; i < cards.length; i++) secret.add(cards[i]!.id);
  }
  return secret;
}

export interface Embargo {
  /** Card ids practice must not serve now. */
  cards: ReadonlySet<string>;
  /** How many drills the member studies in: without any, nothing is embargoed. */
  drills: number;
}

export const isEmbargoed = (embargo: Embargo | undefined, cardId: string): boolean =>
  embargo?.cards.has(cardId) ?? false;

/** The embargo for a member asking in `channel`, from the drills of every channel they study in. */
export async function practiceEmbargo(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
): Promise<Embargo> {
  const now = deps.clock.now();
  const drills = (await drillsOfMember(deps.db, { ...channel, userId }, channel.channelId)).map(drillFromRow);
  // Every zone's today is at most a day before UTC's; each drill keeps the rows from its own today on.
  const rows = await secretOrComingDeliveries(
    deps.db,
    drills.map((d) => d.id),
    now,
    addDays(localDateOf(now, 'UTC'), -1),
  );
  const cards = new Set<string>();
  for (const drill of drills) {
    const today = localDateOf(now, drill.schedule.timezone);
    const deliveries = rows
      .filter((r) => r.drill_id === drill.id)
      .map((r) => ({
        localDate: r.local_date,
        cardId: r.card_id,
        secret: r.revealed_at === null && (r.closes_at === null || r.closes_at > now),
      }))
      .filter((d) => d.secret || d.localDate >= today);
    const track = await trackFor(deps, drill.trackId);
    const outlook: DrillOutlook = { drill, track, today, deliveries };
    if (drill.cohortId !== null) {
      const cohort = await findCohortById(deps.db, drill.cohortId);
      if (cohort?.status === 'active') {
        const endsOn =
          cohort.ends_on ?? cohortEndDate(cohort.starts_on, drill.schedule.days, track.cards.length);
        outlook.cohort = {
          calendar: { startsOn: cohort.starts_on, endsOn, days: drill.schedule.days },
          skips: await listSkips(deps.db, drill.id, cohort.starts_on),
          reviews: await countReviews(deps.db, drill.id),
        };
      }
    }
    for (const id of drillSecrets(outlook)) cards.add(id);
  }
  return { cards, drills: drills.length };
}
