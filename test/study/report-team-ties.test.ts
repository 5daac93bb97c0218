import { describe, expect, it } from 'vitest';
import { buildCohortReport, type ReportAnswer } from '../../src/cohorts/reports.ts';

/** The cohort report's team list is ranked like the team board: ties broken by correct answers, then time. */
describe('cohort report team ranking', () => {
  const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map((localDate, k) => ({
    deliveryId: k + 1,
    localDate,
    studyDay: k + 1,
    moduleId: 'internet',
    questionId: `q${k + 1}`,
    closesAt: null,
  }));
  const at = (day: number, hour = 9) =>
    new Date(`${days[day - 1]!.localDate}T${String(hour).padStart(2, '0')}:30:00Z`);
  const answer = (userId: string, day: number, correct: boolean, hour?: number): ReportAnswer => ({
    userId,
    deliveryId: day,
    moduleId: 'internet',
    choice: correct ? 0 : 1,
    correct,
    points: correct ? 10 : 2,
    answeredAt: at(day, hour),
  });
  const report = (answers: ReportAnswer[]) =>
    buildCohortReport({
      members: [],
      days,
      answers,
      teams: [
        { name: 'Alpha', memberIds: ['U-a'] },
        { name: 'Zulu', memberIds: ['U-z'] },
        { name: 'Mike', memberIds: ['U-m'] },
      ],
      modules: [{ id: 'internet', title: 'How the internet works' }],
      today: '2026-11-27',
      now: new Date('2026-11-27T12:00:00Z'),
    }).teams.map((t) => `${t.rank}. ${t.name} ${t.points}`);

  it('equal points per member: more correct answers first, then whoever reached the total first', () => {
    const alpha = [1, 2, 3, 4, 5].map((d) => answer('U-a', d, false)); // 10 points, none correct
    const zulu = [answer('U-z', 2, true)]; // 10 points, one correct, reached on day 2
    const mike = [answer('U-m', 1, true)]; // 10 points, one correct, reached on day 1
    expect(report([...alpha, ...zulu, ...mike])).toEqual(['1. Mike 10', '2. Zulu 10', '3. Alpha 10']);
  });

  it('teams equal on all three share a rank and the next counts everyone above it', () => {
    const same = (u: string) => answer(u, 1, true);
    expect(report([same('U-a'), same('U-z'), answer('U-m', 3, false)])).toEqual([
      '1. Alpha 10',
      '1. Zulu 10',
      '3. Mike 2',
    ]);
  });
});
