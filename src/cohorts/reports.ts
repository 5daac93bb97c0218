/**
 * Cohort reports for managers: participation per study day, accuracy per module, who is at risk, streaks,
 * who improved most and the team standings, computed from a cohort's deliveries and answers; and the CSV export.
 */

import { computeStreak } from '../answers/streaks.ts';
import type { ModuleFigures, ParticipationDay } from '../charts/index.ts';
import type { Track } from '../content/track.ts';
import { addDays } from '../core/calendar.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { cohortRoster } from '../plans/cohorts.repository.ts';
import type { CohortContext } from '../plans/cohorts.ts';
import { answersOnDeliveries, deliveriesBetween } from './reports.repository.ts';
import { listTeams } from './teams.repository.ts';
import { rankTeams, type TeamStanding } from './teams.ts';

/** A member is at risk after missing at least this many of… */
const AT_RISK_MISSES = 2;
/** …their last this many study days that are over (today's open drill is not missed yet). */
const AT_RISK_WINDOW = 5;
/** "Most improved" compares accuracy in the last this many days with the same span before it… */
const IMPROVEMENT_WINDOW_DAYS = 14;
/** …for members with at least this many answers in each span, so one lucky answer is no trend. */
const IMPROVEMENT_MIN_ANSWERS = 3;
const TOP = 5;

interface ReportMember {
  userId: string;
  displayName: string;
  joinedOn: string;
}
interface ReportDay {
  deliveryId: number;
  localDate: string;
  studyDay: number;
  moduleId: string;
  questionId: string;
  closesAt: Date | null;
}
export interface ReportAnswer {
  userId: string;
  deliveryId: number;
  moduleId: string;
  choice: number;
  correct: boolean;
  points: number;
  answeredAt: Date;
}
export interface ReportInput {
  members: ReportMember[];
  days: ReportDay[];
  /** Every answer on those days, by anyone (team totals include members off the roster). */
  answers: ReportAnswer[];
  teams: { name: string; memberIds: string[] }[];
  modules: { id: string; title: string }[];
  today: string;
  now: Date;
}

interface DayParticipation {
  studyDay: number;
  localDate: string;
  /** Roster members enrolled on that day (joined on or before it). */
  enrolled: number;
  /** Of those, how many answered that day's drill. */
  answered: number;
}
interface ModuleAccuracy {
  moduleId: string;
  title: string;
  answers: number;
  correct: number;
  accuracy: number;
}
export interface CohortReport {
  members: number;
  days: DayParticipation[];
  participation: { answered: number; enrolled: number };
  modules: ModuleAccuracy[];
  atRisk: { userId: string; displayName: string; missed: number; of: number }[];
  streaks: { userId: string; displayName: string; current: number; best: number }[];
  improved: { userId: string; displayName: string; before: number; after: number; delta: number }[];
  teams: TeamStanding[];
  /** Points and answers per roster member over the report's days, best first. */
  points: { userId: string; displayName: string; points: number; answered: number; correct: number }[];
}

const ratio = (n: number, d: number) => (d ? n / d : 0);

type AnswerOf = (d: ReportDay, userId: string) => ReportAnswer | undefined;

const enrolledOn = (m: ReportMember, d: ReportDay) => m.joinedOn <= d.localDate;

/** Accuracy per module over the roster's answers, weakest first. */
function moduleAccuracy(input: ReportInput, rosterAnswers: readonly ReportAnswer[]): ModuleAccuracy[] {
  return input.modules
    .map((m, order) => {
      const mine = rosterAnswers.filter((a) => a.moduleId === m.id);
      const correct = mine.filter((a) => a.correct).length;
      return {
        order,
        moduleId: m.id,
        title: m.title,
        answers: mine.length,
        correct,
        accuracy: ratio(correct, mine.length),
      };
    })
    .filter((m) => m.answers > 0)
    .sort((a, b) => a.accuracy - b.accuracy || b.answers - a.answers || a.order - b.order)
    .map(({ order: _order, ...m }) => m);
}

/** Members who missed at least AT_RISK_MISSES of their last AT_RISK_WINDOW study days that are over. */
function membersAtRisk(input: ReportInput, answerOf: AnswerOf): CohortReport['atRisk'] {
  const { members, days, now } = input;
  const over = (d: ReportDay) => d.closesAt !== null && d.closesAt.getTime() <= now.getTime();
  return members
    .map((m) => {
      const window = days.filter((d) => enrolledOn(m, d) && over(d)).slice(-AT_RISK_WINDOW);
      const missed = window.filter((d) => !answerOf(d, m.userId)).length;
      return { userId: m.userId, displayName: m.displayName, missed, of: window.length };
    })
    .filter((r) => r.missed >= AT_RISK_MISSES)
    .sort((a, b) => b.missed - a.missed || a.displayName.localeCompare(b.displayName));
}

/** The longest current streaks on the roster. */
function topStreaks(input: ReportInput, answerOf: AnswerOf): CohortReport['streaks'] {
  const { members, days, now } = input;
  return members
    .map((m) => {
      const s = computeStreak(
        days.map((d) => ({
          localDate: d.localDate,
          closesAt: d.closesAt,
          answered: !!answerOf(d, m.userId),
        })),
        now,
      );
      return { userId: m.userId, displayName: m.displayName, current: s.current, best: s.best };
    })
    .filter((s) => s.current > 0)
    .sort((a, b) => b.current - a.current || b.best - a.best || a.displayName.localeCompare(b.displayName))
    .slice(0, TOP);
}

/** Who improved their accuracy most between the previous IMPROVEMENT_WINDOW_DAYS and the latest. */
function mostImproved(input: ReportInput, answerOf: AnswerOf): CohortReport['improved'] {
  const { members, days, today } = input;
  const recentFrom = addDays(today, -IMPROVEMENT_WINDOW_DAYS);
  const previousFrom = addDays(today, -2 * IMPROVEMENT_WINDOW_DAYS);
  const inSpan = (from: string, to: string) => days.filter((d) => d.localDate > from && d.localDate <= to);
  const recentDays = inSpan(recentFrom, today);
  const previousDays = inSpan(previousFrom, recentFrom);
  const accuracyOver = (span: ReportDay[], userId: string) => {
    const mine = span.map((d) => answerOf(d, userId)).filter((a) => a !== undefined);
    return { n: mine.length, acc: ratio(mine.filter((a) => a.correct).length, mine.length) };
  };
  return members
    .map((m) => {
      const before = accuracyOver(previousDays, m.userId);
      const after = accuracyOver(recentDays, m.userId);
      return { m, before, after };
    })
    .filter((x) => x.before.n >= IMPROVEMENT_MIN_ANSWERS && x.after.n >= IMPROVEMENT_MIN_ANSWERS)
    .map(({ m, before, after }) => ({
      userId: m.userId,
      displayName: m.displayName,
      before: before.acc,
      after: after.acc,
      delta: after.acc - before.acc,
    }))
    .filter((x) => x.delta > 0)
    .sort((a, b) => b.delta - a.delta || a.displayName.localeCompare(b.displayName))
    .slice(0, 3);
}

function teamStandings(input: ReportInput): TeamStanding[] {
  const { answers } = input;
  // Teams rank like the team board: points per member, then correct answers, then who reached the total first.
  return rankTeams(
    input.teams.map((t) => {
      const ids = new Set(t.memberIds);
      const theirs = answers.filter((a) => ids.has(a.userId));
      const scored = theirs.filter((a) => a.points > 0).map((a) => a.answeredAt.getTime());
      return {
        name: t.name,
        members: t.memberIds.length,
        points: theirs.reduce((sum, a) => sum + a.points, 0),
        correct: theirs.filter((a) => a.correct).length,
        reachedAt: scored.length ? new Date(Math.max(...scored)) : null,
      };
    }),
  );
}

/** Points and answers per roster member, best first. */
function memberPoints(members: readonly ReportMember[], rosterAnswers: readonly ReportAnswer[]) {
  return members
    .map((m) => {
      const mine = rosterAnswers.filter((a) => a.userId === m.userId);
      return {
        userId: m.userId,
        displayName: m.displayName,
        points: mine.reduce((s, a) => s + a.points, 0),
        answered: mine.length,
        correct: mine.filter((a) => a.correct).length,
      };
    })
    .sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName));
}

export function buildCohortReport(input: ReportInput): CohortReport {
  const { members, days, answers } = input;
  const onRoster = new Set(members.map((m) => m.userId));
  const answered = new Map<string, ReportAnswer>(answers.map((a) => [`${a.deliveryId}:${a.userId}`, a]));
  const answerOf: AnswerOf = (d, userId) => answered.get(`${d.deliveryId}:${userId}`);

  const dayRows = days.map((d) => {
    const enrolled = members.filter((m) => enrolledOn(m, d));
    return {
      studyDay: d.studyDay,
      localDate: d.localDate,
      enrolled: enrolled.length,
      answered: enrolled.filter((m) => answerOf(d, m.userId)).length,
    };
  });

  const rosterAnswers = answers.filter((a) => onRoster.has(a.userId));
  return {
    members: members.length,
    days: dayRows,
    participation: {
      answered: dayRows.reduce((s, d) => s + d.answered, 0),
      enrolled: dayRows.reduce((s, d) => s + d.enrolled, 0),
    },
    modules: moduleAccuracy(input, rosterAnswers),
    atRisk: membersAtRisk(input, answerOf),
    streaks: topStreaks(input, answerOf),
    improved: mostImproved(input, answerOf),
    teams: teamStandings(input),
    points: memberPoints(members, rosterAnswers),
  };
}

/** Reads what a report needs for the cohort's days from `from` to `to` (default: its whole run so far). */
export async function loadReportInput(
  deps: StudyDeps,
  ctx: CohortContext,
  range: { from?: string; to?: string } = {},
): Promise<ReportInput> {
  const now = deps.clock.now();
  const track: Track = await trackFor(deps, ctx.cohort.trackId);
  const members = await cohortRoster(deps.db, ctx.cohort.id);
  const from = range.from && range.from > ctx.cohort.startsOn ? range.from : ctx.cohort.startsOn;
  const to = range.to && range.to < ctx.calendar.endsOn ? range.to : ctx.calendar.endsOn;
  const deliveries = ctx.drill ? await deliveriesBetween(deps.db, ctx.drill.id, from, to, now) : [];
  const rows = await answersOnDeliveries(
    deps.db,
    deliveries.map((d) => d.id),
  );
  const teams = await listTeams(deps.db, ctx.cohort.channel);
  return {
    members,
    days: deliveries.map((d) => ({
      deliveryId: d.id,
      localDate: d.local_date,
      studyDay: d.study_day,
      moduleId: track.card(d.card_id)?.moduleId ?? 'unknown',
      questionId: d.question_id,
      closesAt: d.closes_at,
    })),
    answers: rows.map((a) => ({
      userId: a.user_id,
      deliveryId: a.delivery_id!,
      moduleId: a.module_id,
      choice: a.choice,
      correct: a.correct,
      points: a.points,
      answeredAt: new Date(a.answered_at),
    })),
    teams: teams.map((t) => ({ name: t.name, memberIds: t.members.map((m) => m.userId) })),
    modules: track.modules.map((m) => ({ id: m.id, title: m.title })),
    today: ctx.today,
    now,
  };
}

// Cells a spreadsheet would run as a formula start with one of these (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, with quotes doubled. */
function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'member_id',
  'member',
  'study_day',
  'date',
  'module',
  'enrolled',
  'answered',
  'correct',
  'points',
] as const;

/** Member × study day, members by name then id, days in order; 1/0 flags so spreadsheets can sum them. */
export function cohortCsv(input: ReportInput): string {
  const byKey = new Map(input.answers.map((a) => [`${a.deliveryId}:${a.userId}`, a]));
  const members = [...input.members].sort(
    (a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId),
  );
  const lines = [CSV_COLUMNS.join(',')];
  for (const m of members) {
    for (const d of input.days) {
      const a = byKey.get(`${d.deliveryId}:${m.userId}`);
      lines.push(
        [
          csvField(m.userId),
          csvField(m.displayName),
          d.studyDay,
          d.localDate,
          csvField(d.moduleId),
          m.joinedOn <= d.localDate ? 1 : 0,
          a ? 1 : 0,
          a?.correct ? 1 : 0,
          a?.points ?? 0,
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The report's study days as its picture plots them. */
export function participationDays(r: Pick<CohortReport, 'days'>): ParticipationDay[] {
  return r.days.map((d) => ({ date: d.localDate, answered: d.answered, members: d.enrolled }));
}

/** The report's modules (weakest first) as its picture plots them. */
export function moduleFigures(r: Pick<CohortReport, 'modules'>): ModuleFigures[] {
  return r.modules.map((m) => ({ module: m.title, correct: m.correct, answered: m.answers }));
}
