/** A member's own record: `me`, `streak [history]` and `topics`. */

import { type CalendarDay, studyCalendar, withPicture } from '../charts/index.ts';
import { commandBuilder } from '../core/commands/define.ts';

import type { CommandInvocation } from '../core/invocation.ts';
import { managerCommand, pct, progressBar } from '../core/render/text.ts';
import type { OutboundMessage } from '../core/types.ts';
import type { Services } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { getDrill, noDrill } from '../deliveries/deliveries.ts';
import { tracksOf } from '../tracks/tracks.ts';
import { memoryLine, reviewStreakText, streakLine } from './messages.ts';
import { memberProgress, memberSummary } from './stats.ts';

type S = Services;
const { subcommand } = commandBuilder<S>();

const STATUS_ICON = { answered: '✅', missed: '❌', frozen: '🧊', open: '⏳' } as const;

type Summary = Awaited<ReturnType<typeof memberSummary>>;
type Streak = NonNullable<Summary['streak']>;

/** The study-day calendar's days: every closed study day of the streak's history (today's, still open, waits). */
const calendarDays = (streak: Streak): CalendarDay[] =>
  streak.history.flatMap((d) => (d.status === 'open' ? [] : [{ date: d.localDate, status: d.status }]));

/** "3 answered · 1 frozen · 2 missed": the calendar's figures in words, so the text needs no picture. */
function studyDayCounts(days: readonly CalendarDay[]): string {
  const count = (status: CalendarDay['status']) => days.filter((d) => d.status === status).length;
  return `${count('answered')} answered · ${count('frozen')} frozen · ${count('missed')} missed`;
}

/** The reply with its study-day calendar (`me`, `streak history`); the text alone if there is no streak here. */
function withCalendar(services: S, message: OutboundMessage, streak: Streak | undefined) {
  if (!streak) return message;
  const file = `study-days-${streak.history.at(-1)?.localDate ?? 'none'}.png`;
  return withPicture(message, () => studyCalendar(calendarDays(streak)), file, services.deps.log);
}

function historyMessage(s: Summary): OutboundMessage {
  if (!s.drill || !s.streak) throw noDrill('This channel has no drill, so there is no streak history here.');
  const last = s.streak.history.slice(-14);
  const lines = last.map((d) => `${STATUS_ICON[d.status]} ${d.localDate} ${d.status}`);
  return {
    text: `${streakLine(s.streak)}\n${lines.join('\n') || 'No study days yet.'}`,
    card: {
      accent: 'progress',
      title: 'Your last 14 study days',
      sections: [{ body: lines.join('\n') || 'No study days yet: answer today’s drill to start.' }],
      footer: `${streakLine(s.streak)} · a missed day uses a freeze when you have one; you earn one per 7 answered days in a row (at most 2)`,
    },
    visibility: 'ephemeral',
  };
}

function summaryMessage(s: Summary, invocation: CommandInvocation): OutboundMessage {
  const accuracy = pct(s.correct, s.answers, '0%');
  const modules = s.progress
    .filter((m) => m.answers > 0)
    .map((m) => `${progressBar(m.mastered, m.cards)} ${m.title} ${m.mastered}/${m.cards}`);
  const streakText = s.streak ? streakLine(s.streak) : 'No drill in this channel, so no streak here';
  const days = s.streak ? studyDayCounts(calendarDays(s.streak)) : undefined;
  return {
    text: `${invocation.user.displayName}: ${streakText}.${days ? ` Study days: ${days}.` : ''} ${s.weekPoints} points this week, ${accuracy} correct over ${s.answers} answers. Memory: ${memoryLine(s.memory)}; review streak ${reviewStreakText(s.memory.streak)}.`,
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
        { label: 'Study days', value: days ?? '—', inline: true },
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

/** `me` (the summary) and `streak history` (the last 14 study days), each with the study-day calendar. */
async function meHandler(services: S, invocation: CommandInvocation, history: boolean) {
  const s = await memberSummary(services.deps, invocation.channel, invocation.user);
  return withCalendar(services, history ? historyMessage(s) : summaryMessage(s, invocation), s.streak);
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
    const track = await trackFor(services.deps, drill?.trackId);
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
