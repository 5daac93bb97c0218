/** A member's own record: `me`, `streak [history]` and `topics`. */

import { studyCalendar, withChart } from '../charts/index.ts';
import { commandBuilder } from '../core/commands/define.ts';

import type { CommandInvocation } from '../core/invocation.ts';
import { managerCommand, pct, progressBar } from '../core/render/text.ts';
import type { OutboundMessage } from '../core/types.ts';
import { type Services, trackOf } from '../db/deps.ts';
import { getDrill, noDrill } from '../deliveries/deliveries.ts';
import { tracksOf } from '../tracks/tracks.ts';
import { memoryLine, reviewStreakText, streakLine } from './messages.ts';
import { memberProgress, memberSummary } from './stats.ts';

type S = Services;
const { subcommand } = commandBuilder<S>();

const STATUS_ICON = { answered: '✅', missed: '❌', frozen: '🧊', open: '⏳' } as const;

async function meHandler(
  services: S,
  invocation: CommandInvocation,
  history: boolean,
): Promise<OutboundMessage> {
  const s = await memberSummary(services.deps, invocation.channel, invocation.user);
  if (history) {
    if (!s.drill || !s.streak)
      throw noDrill('This channel has no drill, so there is no streak history here.');
    const last = s.streak.history.slice(-14);
    const lines = last.map((d) => `${STATUS_ICON[d.status]} ${d.localDate} ${d.status}`);
    const calendar = s.streak.history.flatMap((d) =>
      d.status === 'open' ? [] : [{ date: d.localDate, status: d.status }],
    );
    const message: OutboundMessage = {
      text: `${streakLine(s.streak)}\n${lines.join('\n') || 'No study days yet.'}`,
      card: {
        accent: 'progress',
        title: 'Your last 14 study days',
        sections: [{ body: lines.join('\n') || 'No study days yet: answer today’s drill to start.' }],
        footer: `${streakLine(s.streak)} · a missed day uses a freeze when you have one; you earn one per 7 answered days in a row (at most 2)`,
      },
      visibility: 'ephemeral',
    };
    const file = `study-days-${s.streak.history.at(-1)?.localDate ?? 'none'}.png`;
    return withChart(message, () => studyCalendar(calendar), file, services.deps.log);
  }
  const accuracy = pct(s.correct, s.answers, '0%');
  const modules = s.progress
    .filter((m) => m.answers > 0)
    .map((m) => `${progressBar(m.mastered, m.cards)} ${m.title} ${m.mastered}/${m.cards}`);
  const streakText = s.streak ? streakLine(s.streak) : 'No drill in this channel, so no streak here';
  return {
    text: `${invocation.user.displayName}: ${streakText}. ${s.weekPoints} points this week, ${accuracy} correct over ${s.answers} answers. Memory: ${memoryLine(s.memory)}; review streak ${reviewStreakText(s.memory.streak)}.`,
    card: {
      accent: 'progress',
      title: `${invocation.user.displayName}'s progress`,
      sections: [{ body: modules.join('\n') || 'No answers yet: try /roadmap today.' }],
      fields: [
        {
          label: 'Streak',
          value: s.streak ? `${s.streak.current} (best ${s.streak.best})` : '—',
          inline: true,
        },
        { label: 'Freezes', value: s.streak ? String(s.streak.freezes) : '—', inline: true },
        { label: 'Points this week', value: String(s.weekPoints), inline: true },
        { label: 'Accuracy', value: s.answers ? `${accuracy} of ${s.answers}` : '—', inline: true },
        { label: 'Memory', value: memoryLine(s.memory), inline: false },
        { label: 'Review streak', value: reviewStreakText(s.memory.streak), inline: true },
      ],
      footer:
        '/roadmap streak history shows your last 14 study days · /roadmap quiz practises what is due · /roadmap review replays your misses',
    },
    visibility: 'ephemeral',
  };
}

const viewOption = [
  { name: 'view', type: 'choice', choices: ['history'], description: 'history: your last 14 study days' },
] as const;

export const me = subcommand({
  name: 'me',
  description: 'Your streak, freezes, points, accuracy, progress per module, cards due and retention.',
  options: viewOption,
  access: 'all',
  visibility: 'ephemeral',
  handler: ({ services, invocation }, args) => meHandler(services, invocation, args.view === 'history'),
});

export const streak = subcommand({
  name: 'streak',
  description: 'Your streak; `streak history` shows each of your last 14 study days.',
  options: viewOption,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['streak', 'streak history'],
  handler: ({ services, invocation }, args) => meHandler(services, invocation, args.view === 'history'),
});

/** "Tracks: `backend` Backend roadmap (this channel) · …": every track this workspace may study. */
async function trackLine(
  services: Services,
  invocation: CommandInvocation,
  current: string,
): Promise<string> {
  const { builtIn, own } = await tracksOf(services.deps, invocation.user);
  const all = [
    ...builtIn.map((t) => ({ id: t.id, title: t.title })),
    ...own.map((t) => ({ id: t.id, title: `${t.title} (this workspace's)` })),
  ];
  const here = all.map((t) => `\`${t.id}\` ${t.title}${t.id === current ? ' ← this channel' : ''}`);
  return `**Tracks:** ${here.join(' · ')}\nA manager picks one with ${managerCommand('schedule set')} 09:00 track:<id>.`;
}

export const topics = subcommand({
  name: 'topics',
  description:
    "The modules of this channel's track, with your progress in each, and the tracks you can study.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const drill = await getDrill(services.deps, invocation.channel);
    const track = trackOf(services.deps, drill?.trackId);
    const progress = await memberProgress(services.deps, invocation.channel, invocation.user.userId, track);
    const lines = progress.map(
      (m) => `${progressBar(m.mastered, m.cards)} **${m.title}** \`${m.moduleId}\` ${m.mastered}/${m.cards}`,
    );
    const tracks = await trackLine(services, invocation, track.id);
    return {
      text: `${lines.join('\n')}\n${tracks}`,
      card: {
        accent: 'progress',
        title: track.title,
        sections: [{ body: lines.join('\n') }, { body: tracks }],
        footer:
          'A card counts once you answer one of its questions correctly · /roadmap quiz <module> to practise one',
      },
      visibility: 'ephemeral',
    };
  },
});
