import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCohortReport,
  type CohortReport,
  CSV_COLUMNS,
  loadReportInput,
} from '../../src/cohorts/reports.ts';
import { LETTERS } from '../../src/content/track.ts';
import type { OutboundMessage, UserRef } from '../../src/core/types.ts';
import { cohortContext, findCohort } from '../../src/plans/cohorts.ts';
import { backends } from '../helpers/databases.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

/**
 * A cohort simulated over four weeks: 12 members in three teams of 5, 4 and 3, answering by a script.
 * Every figure of the report is recomputed here from the script alone, not from the database.
 */
const boss = member('Boss', { isPlatformAdmin: true });
const NAMES = ['Ana', 'Ben', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hip', 'Ivy', 'Jo', `O'Neil, "Kit"`, '=Lu'];
const people: UserRef[] = NAMES.map((n, i) => member(`P${i}`, { displayName: n, userId: `U-p${i}` }));
const TEAMS: [string, number[]][] = [
  ['Alpha', [0, 1, 2, 3, 4]],
  ['Bravo', [5, 6, 7, 8]],
  ['Charlie', [9, 10, 11]],
];
const LATE = 11; // joins on study day 6
const HIDDEN = 4; // hides from public boards
// Mon 2026-11-23 to Fri 2026-12-18: 20 study days, Monday to Friday.
const DATES: string[] = [];
for (let d = new Date('2026-11-23T00:00:00Z'); DATES.length < 20; d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DATES.push(d.toISOString().slice(0, 10));
}

/** Whether member i answers on study day d (1-based), and whether correctly: the script. */
function answers(i: number, d: number): boolean {
  if (i === LATE && d < 6) return false;
  if ((i === HIDDEN || i === 9) && d >= 16) return false; // drop out in the last week
  return (i + d) % ((i % 4) + 2) !== 0;
}
function correct(i: number, d: number): boolean {
  const boost = d > 10 && i % 3 === 0 ? 3 : 0;
  return (i * 3 + d * 5) % 7 < 3 + boost;
}
const joinedOn = (i: number) => (i === LATE ? DATES[5]! : DATES[0]!);

describe.each(backends)('a four-week cohort on $name', (backend) => {
  let h: Harness;
  let report: CohortReport;
  let reportMessage: OutboundMessage;
  beforeAll(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:4 time:09:00 tz:UTC');
    for (const [i, p] of people.entries()) if (i !== LATE) await h.say(p, 'cohort join');
    for (const [name] of TEAMS) await h.say(boss, `team create ${name}`);
    // Joining a team in a cohort channel enrols in the cohort too, so the late joiner joins their team late.
    for (const [name, members] of TEAMS)
      for (const i of members) if (i !== LATE) await h.say(people[i]!, `team join ${name}`);
    await h.say(people[HIDDEN]!, 'privacy hide');
    for (const [k, date] of DATES.entries()) {
      const d = k + 1;
      h.clock.set(`${date}T09:30:00Z`);
      if (d === 6) {
        await h.say(people[LATE]!, 'cohort join');
        await h.say(people[LATE]!, 'team join Charlie');
      }
      const q = h.track.cards[d - 1]!.questions[0]!;
      for (const [i, p] of people.entries()) {
        if (!answers(i, d)) continue;
        const drill = await h.say(p, 'today');
        expect(drill.card?.title).toBe(`Day ${d} · ${h.track.cards[d - 1]!.title}`);
        const letter = LETTERS[correct(i, d) ? q.correctIndex : (q.correctIndex + 1) % 4]!;
        await h.click(p, button(drill, letter));
      }
    }
    h.clock.set(`${DATES[19]}T12:00:00Z`);
    const ctx = await cohortContext(h.study.deps, await findCohort(h.study.deps, CHANNEL));
    report = buildCohortReport(await loadReportInput(h.study.deps, ctx));
    reportMessage = await h.say(boss, 'cohort report');
  }, 240_000);
  afterAll(async () => {
    await h.close();
  });

  const enrolled = (i: number, d: number) => joinedOn(i) <= DATES[d - 1]!;
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);

  it('participation per study day counts enrolled members who answered', () => {
    const expected = DATES.map((date, k) => {
      const d = k + 1;
      const who = range(12).filter((i) => enrolled(i, d));
      return {
        studyDay: d,
        localDate: date,
        enrolled: who.length,
        answered: who.filter((i) => answers(i, d)).length,
      };
    });
    expect(report.days).toEqual(expected);
    const answered = expected.reduce((s, x) => s + x.answered, 0);
    const possible = expected.reduce((s, x) => s + x.enrolled, 0);
    expect(report.participation).toEqual({ answered, enrolled: possible });
    expect(reportMessage.card!.sections[0]!.heading).toBe(
      `Participation: ${Math.round((answered / possible) * 100)}% (${answered} of ${possible} member-days)`,
    );
  });

  it('accuracy per module, weakest first', () => {
    const byModule = new Map<string, { answers: number; correct: number; order: number }>();
    for (const d of range(20).map((k) => k + 1)) {
      const moduleId = h.track.cards[d - 1]!.moduleId;
      const order = h.track.modules.findIndex((m) => m.id === moduleId);
      const m = byModule.get(moduleId) ?? { answers: 0, correct: 0, order };
      for (const i of range(12)) {
        if (!answers(i, d)) continue;
        m.answers += 1;
        if (correct(i, d)) m.correct += 1;
      }
      byModule.set(moduleId, m);
    }
    const expected = [...byModule.entries()]
      .sort(
        ([, a], [, b]) =>
          a.correct / a.answers - b.correct / b.answers || b.answers - a.answers || a.order - b.order,
      )
      .map(([moduleId, m]) => ({ moduleId, answers: m.answers, correct: m.correct }));
    expect(expected.length).toBeGreaterThan(1);
    expect(report.modules.map(({ moduleId, answers, correct }) => ({ moduleId, answers, correct }))).toEqual(
      expected,
    );
  });

  it('members at risk missed two or more of their last five finished study days', () => {
    // Day 20 is still open at report time, so the window is days 15 to 19.
    const expected = range(12)
      .map((i) => {
        const window = range(19)
          .map((k) => k + 1)
          .filter((d) => enrolled(i, d))
          .slice(-5);
        return {
          userId: people[i]!.userId,
          missed: window.filter((d) => !answers(i, d)).length,
          of: window.length,
        };
      })
      .filter((r) => r.missed >= 2)
      .sort(
        (a, b) =>
          b.missed - a.missed ||
          NAMES[Number(a.userId.slice(3))]!.localeCompare(NAMES[Number(b.userId.slice(3))]!),
      );
    expect(expected.map((r) => r.userId)).toContain(people[HIDDEN]!.userId); // hidden members are still reported
    expect(report.atRisk.map(({ userId, missed, of }) => ({ userId, missed, of }))).toEqual(expected);
    const riskLines = reportMessage.card!.sections[2]!.body.split('\n');
    expect(riskLines).toEqual(
      expected.map(
        (r) => `- ${NAMES[Number(r.userId.slice(3))]}: missed ${r.missed} of the last ${r.of} study days`,
      ),
    );
  });

  it('teams rank by points per member, with sizes shown; the board agrees and counts hidden members', async () => {
    const points = (i: number) =>
      range(20)
        .map((k) => k + 1)
        .filter((d) => answers(i, d))
        .reduce((s, d) => s + (correct(i, d) ? 10 : 2), 0);
    const expected = TEAMS.map(([name, members]) => {
      const total = members.reduce((s, i) => s + points(i), 0);
      return {
        name,
        members: members.length,
        points: total,
        perMember: total / members.length,
        mine: members.includes(0),
      };
    }).sort((a, b) => b.perMember - a.perMember);
    expect(new Set(expected.map((t) => t.perMember)).size).toBe(3); // a strict ranking, so order is meaningful
    expect(report.teams.map(({ name, members, points }) => ({ name, members, points }))).toEqual(
      expected.map(({ name, members, points }) => ({ name, members, points })),
    );
    const board = await h.say(people[0]!, 'leaderboard all teams');
    expect(board.visibility).toBe('public');
    expect(board.card!.sections[0]!.body.split('\n')).toEqual(
      expected.map(
        (t, k) =>
          `${['🥇', '🥈', '🥉'][k] ?? `${k + 1}.`} ${t.name} · ${t.perMember.toFixed(1)} pts/member · ${t.members} members · ${t.points} pts${t.mine ? ' ← your team' : ''}`,
      ),
    );
  });

  it('most improved compares the last 14 days with the 14 before, with at least 3 answers in each', () => {
    const acc = (i: number, days: number[]) => {
      const mine = days.filter((d) => answers(i, d));
      return { n: mine.length, acc: mine.filter((d) => correct(i, d)).length / (mine.length || 1) };
    };
    const before = range(10).map((k) => k + 1); // 2026-11-23 … 2026-12-04
    const after = range(10).map((k) => k + 11); // 2026-12-07 … 2026-12-18
    const expected = range(12)
      .map((i) => ({ i, b: acc(i, before), a: acc(i, after) }))
      .filter((x) => x.b.n >= 3 && x.a.n >= 3 && x.a.acc > x.b.acc)
      .sort((x, y) => y.a.acc - y.b.acc - (x.a.acc - x.b.acc) || NAMES[x.i]!.localeCompare(NAMES[y.i]!))
      .slice(0, 3)
      .map((x) => people[x.i]!.userId);
    expect(expected.length).toBeGreaterThan(0);
    expect(report.improved.map((r) => r.userId)).toEqual(expected);
  });

  it('the CSV export parses and matches the stored answers row by row', async () => {
    const reply = await h.say(boss, 'cohort export');
    expect(reply.attachment).toMatchObject({
      filename: 'cohort-backend-q1-2026-12-18.csv',
      contentType: 'text/csv',
    });
    const rows: Record<string, string>[] = parse(reply.attachment!.content, { columns: true });
    const header = parse(reply.attachment!.content, { to_line: 1 })[0];
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(12 * 20);

    const stored = await h.db.handle.db
      .selectFrom('answers as a')
      .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.user_id', 'd.local_date', 'd.study_day', 'a.correct', 'a.points'])
      .execute();
    expect(stored.length).toBe(rows.filter((r) => r.answered === '1').length);
    const byKey = new Map(stored.map((s) => [`${s.user_id}|${s.local_date}`, s]));
    for (const r of rows) {
      const s = byKey.get(`${r.member_id}|${r.date}`);
      expect({ answered: r.answered, correct: r.correct, points: r.points }).toEqual({
        answered: s ? '1' : '0',
        correct: s?.correct ? '1' : '0',
        points: String(s?.points ?? 0),
      });
      if (s) expect(r.study_day).toBe(String(s.study_day));
      const i = Number(r.member_id!.slice(3));
      expect(r.enrolled).toBe(joinedOn(i) <= r.date! ? '1' : '0');
    }
    // Names with commas and quotes survive; a name a spreadsheet would run as a formula is defused.
    const names = [...new Set(rows.map((r) => r.member))];
    expect(names).toContain(`O'Neil, "Kit"`);
    expect(names).toContain(`'=Lu`);
    expect(names).toEqual([...names].sort((a, b) => a!.localeCompare(b!)));
  });
});
