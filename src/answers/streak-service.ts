/** A member's streak on a drill: replayed from the drill's study days and the member's answers, then cached. */

import type { StudyDeps } from '../db/deps.ts';
import { listStudyDays } from '../deliveries/deliveries.repository.ts';
import type { Drill } from '../plans/model.ts';
import { answeredDeliveryIds } from './answers.repository.ts';
import { saveStreak } from './streaks.repository.ts';
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

/** Recomputes and stores the cached streak row; returns the state. */
export async function refreshStreak(deps: StudyDeps, drill: Drill, userId: string): Promise<StreakState> {
  const state = await streakFor(deps, drill, userId);
  await saveStreak(deps.db, {
    drillId: drill.id,
    platform: drill.channel.platform,
    workspaceId: drill.channel.workspaceId,
    userId,
    current: state.current,
    best: state.best,
    freezes: state.freezes,
    lastStudyDate: state.history.at(-1)?.localDate ?? null,
  });
  return state;
}
