import { describe, expect, it } from 'vitest';
import { reviewStreak } from '../../src/memory/memory.ts';
import {
  applyReview,
  isReviewDay,
  replay,
  retrievability,
  sessionMisses,
} from '../../src/memory/scheduler.ts';

describe('memory rules', () => {
  it('a review day is every fifth study day by default, or any day the channel retention is below 0.85', () => {
    const days = Array.from({ length: 15 }, (_, i) => i + 1);
    expect(days.filter((studyDay) => isReviewDay({ studyDay }))).toEqual([5, 10, 15]);
    expect(days.filter((studyDay) => isReviewDay({ studyDay, share: 3 }))).toEqual([3, 6, 9, 12, 15]);
    expect(isReviewDay({ studyDay: 7, meanRetrievability: 0.84 })).toBe(true);
    expect(isReviewDay({ studyDay: 7, meanRetrievability: 0.85 })).toBe(false);
    expect(isReviewDay({ studyDay: 7, meanRetrievability: 0.5, share: 0, floor: 0.4 })).toBe(false);
    // Nothing is taught before day 1.
    expect(isReviewDay({ studyDay: 1, meanRetrievability: 0 })).toBe(false);
  });

  it('the review streak counts consecutive days up to today, or up to yesterday before today is done', () => {
    expect(reviewStreak(['2026-11-10', '2026-11-11', '2026-11-12'], '2026-11-12')).toBe(3);
    expect(reviewStreak(['2026-11-10', '2026-11-11'], '2026-11-12')).toBe(2);
    expect(reviewStreak(['2026-11-09', '2026-11-11'], '2026-11-12')).toBe(1);
    expect(reviewStreak(['2026-11-10'], '2026-11-12')).toBe(0);
    expect(reviewStreak([], '2026-11-12')).toBe(0);
  });

  it('retrievability falls with time and a replay equals step-by-step reviews', () => {
    const t0 = new Date('2026-11-02T09:00:00Z');
    const m = applyReview(undefined, true, t0);
    const later = (d: number) => new Date(t0.getTime() + d * 86_400_000);
    expect(retrievability(m, t0)).toBeCloseTo(1, 10);
    expect(retrievability(m, later(1))).toBeGreaterThan(retrievability(m, later(10)));
    const stepwise = applyReview(applyReview(m, false, later(3)), true, later(4));
    expect(
      replay([
        { correct: true, reviewedAt: later(4) },
        { correct: true, reviewedAt: t0 },
        { correct: false, reviewedAt: later(3) },
      ]),
    ).toEqual(stepwise);
  });

  it('a review session replays the misses until each is answered right once in it', () => {
    const t = (h: number) => new Date(Date.UTC(2026, 10, 2, h));
    const r = (question_id: string, rating: number, h: number) => ({
      question_id,
      card_id: question_id.split('.')[0]!,
      rating,
      reviewed_at: t(h),
    });
    const log = [
      r('a.q1', 1, 1), // missed
      r('b.q1', 1, 2), // missed, then right before the session: not a miss any more
      r('b.q1', 3, 3),
      r('c.q1', 3, 4), // right, then missed
      r('c.q1', 1, 5),
      r('d.q1', 3, 6), // never missed
    ];
    const start = t(10);
    expect(sessionMisses(log, start).map((m) => m.questionId)).toEqual(['a.q1', 'c.q1']);
    // In the session: c answered wrong again (stays), a answered right (leaves).
    const during = [...log, r('c.q1', 1, 11), r('a.q1', 3, 12)];
    expect(sessionMisses(during, start).map((m) => m.questionId)).toEqual(['c.q1']);
    const done = [...during, r('c.q1', 3, 13)];
    expect(sessionMisses(done, start)).toEqual([]);
    // A new session starts from the log as it is then.
    expect(sessionMisses([...done, r('d.q1', 1, 14)], t(20)).map((m) => m.questionId)).toEqual(['d.q1']);
  });
});
