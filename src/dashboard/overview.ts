/**
 * The overview page: the workspace's channels with a drill, each with its schedule, the next post in the
 * drill's local time, why it is paused, the answers this week, and pause, resume and skip; then its cohorts.
 * The figures come from the same queries and rules as `schedule show` and the App Home.
 */
import { DateTime } from 'luxon';
import { drillAnswersSince } from '../answers/answers.repository.ts';
import { formatDays } from '../core/commands/options.ts';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { channelNamesOf } from '../plans/channel-names.ts';
import { activeCohortOf, listCohortsOf } from '../plans/cohorts.ts';
import { listDrillsOfWorkspace } from '../plans/drills.repository.ts';
import { type Drill, drillFromRow } from '../plans/model.ts';
import { showSchedule } from '../schedules/schedules.ts';
import { actionForm, type Html, h, table } from './html.ts';

/** A workspace's drills shown on one page. */
const MAX_CHANNELS = 100;

interface ChannelLine {
  drill: Drill;
  cohort: string | undefined;
  nextLocal: string | undefined;
  skips: string[];
  answersThisWeek: number;
}

/** The start of this week (Monday, 00:00) in the drill's time zone. */
const weekStart = (now: Date, zone: string) => DateTime.fromJSDate(now, { zone }).startOf('week').toJSDate();

async function channelLines(deps: StudyDeps, ws: WorkspaceRef): Promise<ChannelLine[]> {
  const rows = await listDrillsOfWorkspace(deps.db, ws, MAX_CHANNELS);
  const now = deps.clock.now();
  const out: ChannelLine[] = [];
  for (const drill of rows.map(drillFromRow)) {
    const view = await showSchedule(deps, drill.channel);
    const zone = drill.schedule.timezone;
    out.push({
      drill,
      cohort: (await activeCohortOf(deps, drill.channel))?.name,
      nextLocal: view.next
        ? DateTime.fromJSDate(view.next.at, { zone }).toFormat('ccc d LLL yyyy, HH:mm')
        : undefined,
      skips: view.skips,
      answersThisWeek: await drillAnswersSince(deps.db, drill.id, weekStart(now, zone)),
    });
  }
  return out;
}

const channelPath = (base: string, d: Drill) => `${base}/drills/${encodeURIComponent(d.channel.channelId)}`;

function channelActions(base: string, csrf: string, c: ChannelLine): Html {
  const at = channelPath(base, c.drill);
  const paused = c.drill.status === 'paused';
  return h`${paused ? actionForm(`${at}/resume`, csrf, 'Resume') : actionForm(`${at}/pause`, csrf, 'Pause')}${
    paused ? '' : actionForm(`${at}/skip`, csrf, 'Skip next day')
  }`;
}

/** A channel as people know it: its name when a command there showed it, else its id. */
export const channelLabel = (names: ReadonlyMap<string, string>, channel: ChannelRef) =>
  `#${names.get(channel.channelId) ?? channel.channelId}`;

function channelRow(base: string, csrf: string, c: ChannelLine, names: ReadonlyMap<string, string>) {
  const d = c.drill;
  const state =
    d.status === 'paused' ? h`<strong>Paused</strong>: ${d.pauseReason ?? 'no reason given'}` : h`Active`;
  return [
    h`<span class="channel">${channelLabel(names, d.channel)}</span>${c.cohort ? h`<br><small>cohort ${c.cohort}</small>` : ''}`,
    `${d.schedule.timeOfDay} ${formatDays(d.schedule.days)} (${d.schedule.timezone})`,
    c.nextLocal
      ? h`${c.nextLocal}${c.skips.length ? h`<br><small>skipping ${c.skips.join(', ')}</small>` : ''}`
      : '—',
    state,
    c.answersThisWeek,
    channelActions(base, csrf, c),
  ];
}

export async function overviewBody(
  deps: StudyDeps,
  ws: WorkspaceRef,
  base: string,
  csrf: string,
): Promise<Html> {
  const lines = await channelLines(deps, ws);
  const cohorts = await listCohortsOf(deps, ws);
  const names = await channelNamesOf(
    deps.db,
    ws,
    [...lines.map((c) => c.drill.channel), ...cohorts.map((c) => c.channel)].map((c) => c.channelId),
  );
  const channels = table(
    'Channels with a drill',
    ['Channel', 'Schedule', 'Next post (local time)', 'State', 'Answers this week', 'Actions'],
    lines.map((c) => channelRow(base, csrf, c, names)),
  );
  const cohortRows = cohorts.map((c) => [
    h`<a href="${base}/cohorts/${c.id}">${c.name}</a>`,
    channelLabel(names, c.channel),
    c.startsOn,
    c.status,
    c.members,
  ]);
  return h`<section aria-labelledby="channels"><h2 id="channels">Channels</h2>${channels}</section>
<section aria-labelledby="cohorts"><h2 id="cohorts">Cohorts</h2>${table(
    'Cohorts',
    ['Cohort', 'Channel', 'Starts', 'Status', 'Members'],
    cohortRows,
  )}</section>`;
}
