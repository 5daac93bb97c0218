/** Starting a cohort: its rows in one transaction, then today's card at once when its time has passed. */
import type { ChannelRef } from '../core/types.ts';
import { type StudyDeps, transactionally } from '../db/deps.ts';
import { findDeliveryByDate } from '../deliveries/deliveries.repository.ts';
import { openPassedToday } from '../deliveries/deliveries.ts';
import { recheckReminders } from '../members/managers.repository.ts';
import { COHORT_USAGE, type CreateCohortInput, createCohort } from '../plans/cohorts.ts';
import { requireTrack } from '../tracks/tracks.ts';
import { setDigestDue } from './digest.repository.ts';

/**
 * Creates the cohort; today's card opens at once when today is a study day whose time has passed.
 * `postedToday`: the channel's drill has already posted today (a drill posts once a day), so nothing
 * more posts before the next study day.
 */
export async function startCohort(
  deps: StudyDeps,
  channel: ChannelRef,
  by: string,
  input: CreateCohortInput,
) {
  const track =
    input.track === undefined ? undefined : await requireTrack(deps, channel, input.track, COHORT_USAGE);
  const ctx = await transactionally(deps, async (d) => {
    const created = await createCohort(d, channel, by, { ...input, track });
    const now = d.clock.now();
    // The digest job works out the first Monday on its next run.
    await setDigestDue(d.db, created.cohort.id, now);
    // The channel's drill may have a new time or zone now, and with it its members' reminder times.
    await recheckReminders(d.db, channel, now);
    return created;
  });
  const openedNow = ctx.drill ? await openPassedToday(deps, ctx.drill) : undefined;
  const postedToday =
    !openedNow &&
    ctx.drill !== undefined &&
    (await findDeliveryByDate(deps.db, ctx.drill.id, ctx.today)) !== undefined;
  return { ctx, openedNow, postedToday };
}
