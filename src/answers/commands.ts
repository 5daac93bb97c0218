/** Commands every member may use: today, quiz, review, answer, me/streak, leaderboard, topics, privacy. */

import type { CoreServices } from '../bot/services.ts';
import { cohortCalendarNotice } from '../cohorts/commands.ts';
import { teamLeaderboardMessage } from '../cohorts/team-commands.ts';
import { LETTERS } from '../content/track.ts';
import { commandBuilder } from '../core/commands/define.ts';
import { UserFacingError } from '../core/errors.ts';
import type { CommandInvocation } from '../core/invocation.ts';
import { progressBar } from '../core/render/text.ts';
import type { OutboundMessage } from '../core/types.ts';
import {
  answerResultMessage,
  drillMessage,
  memoryLine,
  plain,
  practiceMessage,
  reviewStreakText,
  streakLine,
} from '../deliveries/messages.ts';
import { nextSlotAfter } from '../plans/calendar.ts';
import { isOpen } from '../plans/model.ts';
import { TIE_BREAK } from './ranking.ts';

type S = CoreServices;
const { subcommand } = commandBuilder<S>();

const relative = (from: Date, to: Date) => {
  const mins = Math.round((to.getTime() - from.getTime()) / 60000);
  if (mins < 60) return `in ${mins} min`;
  const hours = Math.round(mins / 60);
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`;
};

export const today = subcommand({
  name: 'today',
  description: "Show today's drill in this channel, or your next card.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services, clock }) {
    const { study } = services;
    const drill = await study.getDrill(invocation.channel);
    if (drill) {
      const delivery = await study.currentDelivery(drill);
      const now = clock.now();
      if (delivery && isOpen(delivery, now)) {
        const track = study.track(drill.trackId);
        const card = track.card(delivery.cardId)!;
        const question = track.question(delivery.questionId)!;
        await study.showedDelivery(invocation.channel, invocation.user, delivery.id);
        return {
          ...drillMessage(
            card,
            question,
            delivery,
            track.module(card.moduleId)!.title,
            await study.answeredCount(delivery.id),
          ),
          visibility: 'ephemeral',
        };
      }
      if (drill.status === 'paused') {
        return plain(
          `This channel's drill is paused${drill.pauseReason ? ` (${drill.pauseReason})` : ''}. Try /roadmap quiz meanwhile.`,
        );
      }
      const notice = await cohortCalendarNotice(services, drill.cohortId);
      if (notice) return notice;
      const next = nextSlotAfter(drill.schedule, now);
      return plain(
        `No drill is open right now. The next one opens ${next.localDate} at ${drill.schedule.timeOfDay} ${drill.schedule.timezone} (${relative(now, next.at)}). Try /roadmap quiz meanwhile.`,
      );
    }
    const prompt = await study.startPath(invocation.channel, invocation.user);
    return practiceMessage(prompt, study.track().module(prompt.card.moduleId)!.title, true);
  },
});

export const quiz = subcommand({
  name: 'quiz',
  description: 'One practice question: the due card you are closest to forgetting first, then new material.',
  options: [{ name: 'module', type: 'module', description: 'Only questions from this module' }],
  access: 'all',
  visibility: 'ephemeral',
  examples: ['/roadmap quiz', '/roadmap quiz apis'],
  async handler({ invocation, services }, args) {
    const prompt = await services.study.startPractice(invocation.channel, invocation.user, args.module);
    return practiceMessage(prompt, services.study.track().module(prompt.card.moduleId)!.title, false);
  },
});

export const review = subcommand({
  name: 'review',
  description: 'Replay the questions you missed until you answer each right once in this session.',
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const step = await services.study.startReview(invocation.channel, invocation.user);
    if (step.prompt) {
      const moduleTitle = services.study.track().module(step.prompt.card.moduleId)!.title;
      return practiceMessage(step.prompt, moduleTitle, false, step.remaining);
    }
    if (step.remaining > 0) {
      return plain(
        `Your ${step.remaining} miss${step.remaining === 1 ? ' is' : 'es are'} on cards a drill of yours has not revealed yet; they come back after its reveal. Try /roadmap quiz meanwhile.`,
      );
    }
    return plain('Nothing to review: you have answered right every question you missed. Try /roadmap quiz.');
  },
});

export const answer = subcommand({
  name: 'answer',
  description: 'Answer the open question (the buttons do the same).',
  options: [
    { name: 'choice', type: 'choice', choices: LETTERS, required: true, description: 'Your answer, A to D' },
  ],
  access: 'all',
  visibility: 'ephemeral',
  examples: ['/roadmap answer B'],
  async handler({ invocation, services }, args) {
    const outcome = await services.study.answerOpen(
      invocation.channel,
      invocation.user,
      LETTERS.indexOf(args.choice),
    );
    if (outcome.deliveryId !== undefined) services.events.deliveryChanged(outcome.deliveryId);
    return answerResultMessage(outcome, true);
  },
});

const STATUS_ICON = { answered: '✅', missed: '❌', frozen: '🧊', open: '⏳' } as const;

async function meHandler(
  services: S,
  invocation: CommandInvocation,
  history: boolean,
): Promise<OutboundMessage> {
  const { study } = services;
  const s = await study.summary(invocation.channel, invocation.user);
  if (history) {
    if (!s.drill || !s.streak)
      throw new UserFacingError('NO_DRILL', 'This channel has no drill, so there is no streak history here.');
    const last = s.streak.history.slice(-14);
    const lines = last.map((d) => `${STATUS_ICON[d.status]} ${d.localDate} ${d.status}`);
    return {
      text: `${streakLine(s.streak)}\n${lines.join('\n') || 'No study days yet.'}`,
      card: {
        title: 'Your last 14 study days',
        sections: [{ body: lines.join('\n') || 'No study days yet: answer today’s drill to start.' }],
        footer: `${streakLine(s.streak)} · a missed day uses a freeze when you have one; you earn one per 7 answered days in a row (at most 2)`,
      },
      visibility: 'ephemeral',
    };
  }
  const accuracy = s.answers ? Math.round((s.correct / s.answers) * 100) : 0;
  const modules = s.progress
    .filter((m) => m.answers > 0)
    .map((m) => `${progressBar(m.mastered, m.cards)} ${m.title} ${m.mastered}/${m.cards}`);
  const streakText = s.streak ? streakLine(s.streak) : 'No drill in this channel, so no streak here';
  return {
    text: `${invocation.user.displayName}: ${streakText}. ${s.weekPoints} points this week, ${accuracy}% correct over ${s.answers} answers. Memory: ${memoryLine(s.memory)}; review streak ${reviewStreakText(s.memory.streak)}.`,
    card: {
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
        { label: 'Accuracy', value: s.answers ? `${accuracy}% of ${s.answers}` : '—', inline: true },
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
  examples: ['/roadmap streak', '/roadmap streak history'],
  handler: ({ services, invocation }, args) => meHandler(services, invocation, args.view === 'history'),
});

const boardOptions = [
  {
    name: 'period',
    type: 'choice',
    choices: ['week', 'month', 'all'],
    description: 'Which period (default: week)',
  },
  {
    name: 'scope',
    type: 'choice',
    choices: ['members', 'teams'],
    description: 'Rank members or teams (default: members)',
  },
] as const;

export const leaderboard = subcommand({
  name: 'leaderboard',
  description: "This channel's top 10 and your rank; weeks start Monday in the drill's time zone.",
  options: boardOptions,
  access: 'all',
  visibility: 'public',
  examples: ['/roadmap leaderboard', '/roadmap leaderboard month', '/roadmap leaderboard week teams'],
  async handler({ invocation, services }, args) {
    const period = args.period ?? 'week';
    if (args.scope === 'teams')
      return teamLeaderboardMessage(services, invocation.channel, invocation.user, period);
    const board = await services.study.leaderboard(invocation.channel, invocation.user, period);
    const label = period === 'all' ? 'all time' : `this ${period} (since ${board.periodStart})`;
    const totals = (r: { points: number; correct: number; answers: number }) =>
      `${r.points} pts · ${r.correct}/${r.answers} correct`;
    const line = (r: { rank: number; userId: string; displayName: string } & Parameters<typeof totals>[0]) =>
      `${r.rank}. ${r.displayName} · ${totals(r)}${r.userId === invocation.user.userId ? ' ← you' : ''}`;
    const lines = board.top.map(line);
    if (board.me) lines.push('…', line(board.me));
    const body = lines.length
      ? lines.join('\n')
      : `Nobody has answered ${label} yet. Be the first: /roadmap today.`;
    const sections = [{ body }];
    // A hidden member hears their rank privately: the whole reply is then only for them.
    if (board.hiddenMe !== undefined) {
      sections.push({
        body: board.hiddenMe
          ? `You are hidden from the public board; your rank would be ${board.hiddenMe.rank} (${totals(board.hiddenMe)}).`
          : `You are hidden from the public board and have no points ${label} yet.`,
      });
    }
    const visibility = board.hiddenMe !== undefined ? 'ephemeral' : 'public';
    return {
      text: `Leaderboard, ${label}:\n${sections.map((s) => s.body).join('\n\n')}`,
      card: {
        title: `Leaderboard · ${label}`,
        sections,
        footer: `${TIE_BREAK} · 10 points for a correct first answer, 2 for showing up`,
      },
      visibility,
    };
  },
});

export const topics = subcommand({
  name: 'topics',
  description: 'The modules of the track, with your progress in each.',
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const progress = await services.study.progress(invocation.channel, invocation.user);
    const lines = progress.map(
      (m) => `${progressBar(m.mastered, m.cards)} **${m.title}** \`${m.moduleId}\` ${m.mastered}/${m.cards}`,
    );
    return {
      text: lines.join('\n'),
      card: {
        title: services.study.track().title,
        sections: [{ body: lines.join('\n') }],
        footer:
          'A card counts once you answer one of its questions correctly · /roadmap quiz <module> to practise one',
      },
      visibility: 'ephemeral',
    };
  },
});

const privacyOption = [
  {
    name: 'mode',
    type: 'choice',
    choices: ['hide', 'show'],
    required: true,
    description: 'hide or show yourself on public boards',
  },
] as const;

export const privacy = subcommand({
  name: 'privacy',
  description: 'Hide or show yourself on public leaderboards (your team keeps your points).',
  options: privacyOption,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['/roadmap privacy hide'],
  async handler({ invocation, services }, args) {
    await services.study.setHidden(invocation.user, args.mode === 'hide');
    return plain(
      args.mode === 'hide'
        ? 'You are now hidden from public leaderboards. Your answers, streak and team points still count; cohort reports still list you.'
        : 'You are visible on public leaderboards again.',
    );
  },
});
