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
