/** A member's streak on a drill: replayed from the drill's study days and the member's answers. */

import type { StudyDeps } from '../db/deps.ts';
import type { Drill } from '../plans/model.ts';
import { studyDaysOf } from './answers.repository.ts';
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

/** Current streaks of several members on a drill (a board's rows), from its study days and their answers. */
export function currentStreaks(
  days: readonly { id: number; local_date: string; closes_at: Date | null }[],
  answered: ReadonlyMap<string, readonly number[]>,
  now: Date,
): Map<string, number> {
  return new Map(
    [...answered].map(([userId, deliveries]) => {
      const done = new Set(deliveries.map(Number));
      const records = days.map((d) => ({
        localDate: d.local_date,
        closesAt: d.closes_at,
        answered: done.has(Number(d.id)),
      }));
      return [userId, computeStreak(records, now).current];
    }),
  );
}
