/** A member's streak on a drill: replayed from the drill's study days and the member's answers. */

import type { StudyDeps } from '../db/deps.ts';
import { listStudyDays } from '../deliveries/deliveries.repository.ts';
import type { Drill } from '../plans/model.ts';
import { answeredDeliveryIds } from './answers.repository.ts';
import { computeStreak, type StreakState } from './streaks.ts';

export async function streakFor(deps: StudyDeps, drill: Drill, userId: string): Promise<StreakState> {
  const [days, answered] = await Promise.all([
    listStudyDays(deps.db, drill.id),
    answeredDeliveryIds(deps.db, drill.id, userId),
  ]);
  return computeStreak(
    days.map((d) => ({ localDate: d.local_date, closesAt: d.closes_at, answered: answered.has(d.id) })),
    deps.clock.now(),
  );
}
