/** Points (DESIGN.md §4): showing up matters, being right matters more; practice earns nothing on boards. */

const POINTS_CORRECT = 10;
const POINTS_WRONG = 2;

export function pointsFor(correct: boolean, source: 'drill' | 'practice'): number {
  if (source === 'practice') return 0;
  return correct ? POINTS_CORRECT : POINTS_WRONG;
}
