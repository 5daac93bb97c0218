/** Streak rules (DESIGN.md §4): consecutive answered study days, freezes earned and spent, and the history behind them. */

/** A member earns one freeze per this many consecutive answered study days… */
export const FREEZE_EVERY = 7;
/** …and banks at most this many. */
export const MAX_FREEZES = 2;

type DayStatus = 'answered' | 'missed' | 'frozen' | 'open';

export interface StudyDayRecord {
  localDate: string;
  /** When the delivery closes; null while no later delivery exists and no reveal is set. */
  closesAt: Date | null;
  /** Whether the member answered this day's delivery (answers are only accepted while it is open). */
  answered: boolean;
}

export interface StreakState {
  current: number;
  best: number;
  freezes: number;
  /** Every study day since the member's first answer, oldest first. */
  history: { localDate: string; status: DayStatus }[];
}

/**
 * Replays a member's study days in order. Only study days exist here: weekends of a Monday–Friday drill,
 * skipped days and days lost to downtime are simply absent, so they can never break a streak.
 */
export function computeStreak(days: readonly StudyDayRecord[], now: Date): StreakState {
  const ordered = [...days].sort((a, b) => a.localDate.localeCompare(b.localDate));
  const first = ordered.findIndex((d) => d.answered);
  const state: StreakState = { current: 0, best: 0, freezes: 0, history: [] };
  if (first < 0) return state;
  let run = 0;
  for (const day of ordered.slice(first)) {
    if (day.answered) {
      state.current += 1;
      run += 1;
      if (run % FREEZE_EVERY === 0 && state.freezes < MAX_FREEZES) state.freezes += 1;
      state.best = Math.max(state.best, state.current);
      state.history.push({ localDate: day.localDate, status: 'answered' });
    } else if (day.closesAt === null || day.closesAt.getTime() > now.getTime()) {
      // Still open: neither kept nor broken yet.
      state.history.push({ localDate: day.localDate, status: 'open' });
    } else if (state.freezes > 0) {
      state.freezes -= 1;
      run = 0;
      state.history.push({ localDate: day.localDate, status: 'frozen' });
    } else {
      state.current = 0;
      run = 0;
      state.history.push({ localDate: day.localDate, status: 'missed' });
    }
  }
  return state;
}
