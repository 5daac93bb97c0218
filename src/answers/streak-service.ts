/** A member's streak on a drill: replayed from the drill's study days and the member's answers. */

import type { StudyDeps } from '../db/deps.ts';
import type { Drill } from '../plans/model.ts';
import { studyDaysOf, studyDaysOfMembers } from './answers.repository.ts';
import { computeStreak, type StreakState } from './streaks.ts';

export async function streakFor(
  deps: StudyDeps,
  drill: Pick<Drill, 'id'>,
  userId: string,
): Promise<StreakState> {
  const days = await studyDaysOf(deps.db, drill.id, userId);
  return computeStreak(
    days.map((d) => ({ localDate: d.local_date, closesAt: d.closes_at, answered: d.answered })),
    deps.clock.now(),
  );
}

/** Current streaks of several members on a drill (a board's rows), from two statements in all. */
export async function currentStreaks(
  deps: StudyDeps,
  drill: Pick<Drill, 'id' | 'channel'>,
  userIds: readonly string[],
): Promise<Map<string, number>> {
  const { days, answered } = await studyDaysOfMembers(deps.db, drill, userIds);
  const now = deps.clock.now();
  const done = new Set(answered.map((a) => `${a.user_id}:${a.delivery_id}`));
  return new Map(
    userIds.map((userId) => {
      const records = days.map((d) => ({
        localDate: d.local_date,
        closesAt: d.closes_at,
        answered: done.has(`${userId}:${d.id}`),
      }));
      return [userId, computeStreak(records, now).current];
    }),
  );
}
