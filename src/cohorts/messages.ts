/** Neutral messages for cohorts, teams and reports: the announcement with its join button, rosters, boards. */

import { formatDays } from '../core/commands/options.ts';
import { cardToText, managerCommand, pct } from '../core/render/text.ts';
import type { Button, OutboundMessage } from '../core/types.ts';
import type { CohortContext } from '../plans/cohorts.ts';
import type { CohortReport } from './reports.ts';
import type { TeamStanding } from './teams.ts';

/** The join button's id; its value is the cohort id, so a click works on any instance and after restarts. */
export const COHORT_JOIN_ACTION = 'roadmap.cohort.join';

function joinButton(cohortId: number): Button {
  return {
    actionId: COHORT_JOIN_ACTION,
    value: String(cohortId),
    label: 'Join the cohort',
    style: 'primary',
  };
}

export function parseJoinValue(value: string): number | undefined {
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

export function paceLine(ctx: CohortContext): string {
  const s = ctx.pace;
  return `${formatDays(s.days)} at ${s.timeOfDay} ${s.timezone}`;
}

export function dayLine(
  ctx: CohortContext,
  progress: { total: number; today: number | null; phase: string },
) {
  if (progress.phase === 'upcoming') return `Starts ${ctx.cohort.startsOn}: ${progress.total} study days`;
  if (progress.phase === 'finished' || ctx.cohort.status === 'ended')
    return `${ctx.cohort.status === 'ended' ? 'Ended' : 'Finished'} on ${ctx.calendar.endsOn}: ${progress.total} study days`;
  return progress.today !== null
    ? `Today is study day ${progress.today} of ${progress.total}`
    : `No study day today; ${progress.total} study days in all`;
}

/** The public reply to `cohort create`: what, when, at what pace, and a button to join. */
export function cohortAnnouncement(
  ctx: CohortContext,
  progress: { total: number; today: number | null; phase: string },
  /** Today's delivery when creating the cohort opened it at once (today's time had passed). */
  openedNow?: { studyDay: number },
  /** The channel's drill already posted today (once a day): no card of the cohort posts before tomorrow. */
  postedToday = false,
): OutboundMessage {
  const { cohort } = ctx;
  const today =
    openedNow !== undefined
      ? ` Today's card (study day ${openedNow.studyDay}) posts now.`
      : progress.today === null
        ? ''
        : postedToday
          ? ` This channel's drill has already posted today (one a day), so the next card posts on the next study day at ${ctx.pace.timeOfDay}.`
          : ` Today's card posts at ${ctx.pace.timeOfDay}.`;
  const when =
    progress.phase === 'upcoming'
      ? `It starts on **${cohort.startsOn}**; the first drill posts then, nothing before.`
      : `It started on **${cohort.startsOn}**. ${dayLine(ctx, progress)}.${today}`;
  const body = `${when}\n- Pace: one card per study day, ${paceLine(ctx)}\n- ${progress.total} study days, until ${ctx.calendar.endsOn}\n\nJoin with the button or \`/roadmap cohort join\`.`;
  const card = {
    title: `📚 New cohort: ${cohort.name}`,
    sections: [{ body }],
    buttons: [joinButton(cohort.id)],
    footer: 'Study day N shows card N of the track; join late and you start on today’s card.',
    accent: 'drill' as const,
  };
  return { text: cardToText(card), card, visibility: 'public' };
}

export function teamBoardLines(standings: readonly TeamStanding[]): string[] {
  return standings.map(
    (t) =>
      `${t.rank}. ${t.name} · ${t.perMember.toFixed(1)} pts/member · ${t.members} member${t.members === 1 ? '' : 's'} · ${t.points} pts`,
  );
}

/** The manager's report: participation, weak modules, who is at risk, streaks, improvement and teams. */
export function reportMessage(
  ctx: CohortContext,
  progress: { total: number; today: number | null; phase: string },
  r: CohortReport,
): OutboundMessage {
  const { answered, enrolled } = r.participation;
  const days = r.days.map(
    (d) => `Day ${d.studyDay} (${d.localDate}): ${d.answered}/${d.enrolled} · ${pct(d.answered, d.enrolled)}`,
  );
  const modules = r.modules.map(
    (m) => `${m.title}: ${pct(m.correct, m.answers)} (${m.correct}/${m.answers})`,
  );
  const risk = r.atRisk.map((a) => `${a.displayName}: missed ${a.missed} of the last ${a.of} study days`);
  const streaks = r.streaks.map((s) => `${s.displayName}: ${s.current} (best ${s.best})`);
  const improved = r.improved.map(
    (i) =>
      `${i.displayName}: ${pct(i.before, 1)} → ${pct(i.after, 1)} (+${Math.round(i.delta * 100)} points)`,
  );
  const list = (lines: string[], empty: string) =>
    lines.length ? lines.map((l) => `- ${l}`).join('\n') : empty;
  const sections = [
    {
      heading: `Participation: ${pct(answered, enrolled)} (${answered} of ${enrolled} member-days)`,
      body:
        list(days.slice(-10), 'No study days yet.') +
        (days.length > 10
          ? `\n_…and ${days.length - 10} earlier days; ${managerCommand('cohort export')} has them all_`
          : ''),
    },
    { heading: 'Accuracy by module, weakest first', body: list(modules, 'No answers yet.') },
    { heading: 'At risk (missed 2 or more of their last 5 study days)', body: list(risk, 'Nobody.') },
    { heading: 'Longest current streaks', body: list(streaks, 'No streaks yet.') },
    {
      heading: 'Most improved (accuracy, last 14 days vs the 14 before; at least 3 answers in each)',
      body: list(improved, 'Not enough answers to compare yet.'),
    },
  ];
  if (r.teams.length)
    sections.push({ heading: 'Teams, by points per member', body: list(teamBoardLines(r.teams), '') });
  const card = {
    accent: 'progress' as const,
    title: `Cohort report · ${ctx.cohort.name}`,
    sections,
    fields: [
      { label: 'Members', value: String(r.members), inline: true },
      { label: 'Progress', value: dayLine(ctx, progress), inline: true },
      { label: 'Dates', value: `${ctx.cohort.startsOn} to ${ctx.calendar.endsOn}`, inline: true },
    ],
    footer: 'Reports list every cohort member, including those hidden from public boards.',
  };
  return { text: cardToText(card), card, visibility: 'ephemeral' };
}
