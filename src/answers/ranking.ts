/**
 * How boards rank: more points first; on equal points more correct answers first; then whoever reached the
 * total earliest. Standard competition ranking ("1224"): only rows equal on all three share a rank, and the
 * next row's rank counts everyone above it.
 */

/** The tie-break as every board states it. */
export const TIE_BREAK = 'Ties: more correct answers first, then whoever reached the total first';

export interface Standing {
  points: number;
  correct: number;
  /** When the total was reached; null (no answers yet) ranks after any instant. */
  reachedAt: Date | null;
}

/** Negative when `a` ranks above `b`, zero when they share a rank. */
export function compareStandings(a: Standing, b: Standing): number {
  const at = (s: Standing) => s.reachedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return b.points - a.points || b.correct - a.correct || (at(a) === at(b) ? 0 : at(a) < at(b) ? -1 : 1);
}

/** Ranks rows already sorted best first: equal rows share a rank, the next one counts everyone above it. */
export function competitionRanks<T>(sorted: readonly T[], compare: (a: T, b: T) => number): number[] {
  const ranks: number[] = [];
  sorted.forEach((row, i) => {
    ranks.push(i > 0 && compare(sorted[i - 1]!, row) === 0 ? ranks[i - 1]! : i + 1);
  });
  return ranks;
}
