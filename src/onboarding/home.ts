/**
 * A member's home (Slack's App Home tab): their streak, cards due, progress per module, cohort and team in the
 * channel they study in, buttons for today's question and practice; for managers, each channel's drill and
 * cohort with a pause or resume button.
 */
import { memoryLine, streakLine } from '../answers/messages.ts';
import { memberSummary } from '../answers/stats.ts';
import { teamOfMember } from '../cohorts/teams.repository.ts';
import { formatDays } from '../core/commands/options.ts';
import type { HomeView } from '../core/port.ts';
import { channelRef, progressBar } from '../core/render/text.ts';
import type { Card, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { activeCohortOf } from '../plans/cohorts.ts';
import { drillsOfMember, listDrillsOfWorkspace } from '../plans/drills.repository.ts';
import { type Drill, drillFromRow } from '../plans/model.ts';
import { runButton } from './run-button.ts';

/** Slack's Home tab holds 100 blocks: a manager sees this many channels, the rest with `schedule show`. */
const MAX_MANAGED_CHANNELS = 10;

/** The channel a member studies in: the last drill they answered or joined (a cohort, a team). */
async function studyDrill(deps: StudyDeps, user: UserRef): Promise<Drill | undefined> {
  const rows = await drillsOfMember(deps.db, user);
  const last = rows.at(-1);
  return last ? drillFromRow(last) : undefined;
}

async function studyCard(deps: StudyDeps, user: UserRef): Promise<Card> {
  const drill = await studyDrill(deps, user);
  const channel = drill?.channel ?? { platform: user.platform, workspaceId: user.workspaceId, channelId: '' };
  const s = await memberSummary(deps, channel, user);
  const cohort = drill ? await activeCohortOf(deps, drill.channel) : undefined;
  const team = drill ? await teamOfMember(deps.db, drill.channel, user.userId) : undefined;
  const modules = s.progress
    .filter((m) => m.answers > 0)
    .map((m) => `${progressBar(m.mastered, m.cards)} ${m.title} ${m.mastered}/${m.cards}`);
  const where = drill ? `You study in ${channelRef({ channelId: drill.channel.channelId })}.` : '';
  const open = drill ? { channelId: drill.channel.channelId } : {};
  return {
    title: `${user.displayName}'s study`,
    sections: [
      {
        body: `${where} ${s.streak ? streakLine(s.streak) : 'No streak yet: answer a drill to start one.'}`.trim(),
      },
      { heading: 'Progress per module', body: modules.join('\n') || 'No answers yet.' },
    ],
    fields: [
      { label: 'Cards due for review', value: String(s.memory.dueNow), inline: true },
      { label: 'Points this week', value: String(s.weekPoints), inline: true },
      { label: 'Memory', value: memoryLine(s.memory), inline: false },
      { label: 'Cohort', value: cohort ? cohort.name : '—', inline: true },
      { label: 'Team', value: team ? team.name : '—', inline: true },
    ],
    buttons: [
      runButton("Today's question", 'today', { ...open, style: 'primary' }),
      runButton('Practice', 'quiz', open),
    ],
  };
}

function drillLine(d: Drill, cohortName: string | undefined): string {
  const state = d.status === 'paused' ? `⏸️ paused (${d.pauseReason ?? 'no reason given'})` : '▶️ active';
  const cohort = cohortName ? ` · cohort **${cohortName}**` : '';
  return `${channelRef({ channelId: d.channel.channelId })}: ${d.schedule.timeOfDay} ${formatDays(d.schedule.days)} (${d.schedule.timezone}) · ${state}${cohort}`;
}

async function managerCards(deps: StudyDeps, user: UserRef): Promise<Card[]> {
  const rows = await listDrillsOfWorkspace(deps.db, user, MAX_MANAGED_CHANNELS);
  if (rows.length === 0)
    return [
      {
        title: 'Your channels',
        sections: [
          { body: 'No channel has a drill yet: invite me to a channel and click "Set up a daily drill".' },
        ],
      },
    ];
  const cards: Card[] = [];
  for (const d of rows.map(drillFromRow)) {
    const cohort = await activeCohortOf(deps, d.channel);
    const paused = d.status === 'paused';
    cards.push({
      title: paused ? 'Paused drill' : 'Active drill',
      sections: [{ body: drillLine(d, cohort?.name) }],
      buttons: [
        runButton(paused ? 'Resume' : 'Pause', paused ? 'schedule resume' : 'schedule pause', {
          channelId: d.channel.channelId,
        }),
      ],
    });
  }
  return cards;
}

export async function homeView(deps: StudyDeps, user: UserRef, manages: boolean): Promise<HomeView> {
  const cards = [await studyCard(deps, user), ...(manages ? await managerCards(deps, user) : [])];
  return { text: `${user.displayName}'s study`, cards };
}
