/** What a member does with the question in front of them: `today`, `quiz`, `review` and `answer`. */

import { answerResultMessage } from '../answers/messages.ts';
import { markShown } from '../answers/shown.repository.ts';
import { LETTERS } from '../content/track.ts';
import { nextSlotAfter } from '../core/calendar.ts';
import { commandBuilder } from '../core/commands/define.ts';
import { untilShort } from '../core/render/time.ts';
import { type OutboundMessage, plain } from '../core/types.ts';
import { type Services, type StudyDeps, trackOf } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { countAnswers } from '../deliveries/deliveries.repository.ts';
import { drillNow } from '../deliveries/deliveries.ts';
import { drillMessage } from '../deliveries/messages.ts';
import { withReportButton } from '../deliveries/report-button.ts';
import { cohortById, cohortContext, progressOf } from '../plans/cohorts.ts';
import { isOpen } from '../plans/model.ts';
import { answerOpenQuestion } from './answering.ts';
import { practiceMessage } from './messages.ts';
import { startPath, startPractice, startReview } from './practice.ts';

const { subcommand } = commandBuilder<Services>();

export const today = subcommand({
  name: 'today',
  description: "Show today's drill in this channel, or your next card.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services, clock }) {
    const { deps } = services;
    const current = await drillNow(deps, invocation.channel);
    if (current) {
      const { drill, delivery } = current;
      const now = clock.now();
      if (delivery && isOpen(delivery, now)) {
        const track = await trackFor(deps, drill.trackId);
        const card = track.card(delivery.cardId)!;
        const question = track.question(delivery.questionId)!;
        // `/roadmap answer` now answers this drill for this member.
        await markShown(
          deps,
          invocation.channel,
          invocation.user.userId,
          { kind: 'delivery', id: delivery.id },
          deps.clock.now(),
        );
        return {
          ...drillMessage(
            track,
            card,
            question,
            delivery,
            current.answered ?? (await countAnswers(deps.db, delivery.id)),
          ),
          visibility: 'ephemeral',
        };
      }
      if (drill.status === 'paused') {
        return plain(
          `This channel's drill is paused${drill.pauseReason ? ` (${drill.pauseReason})` : ''}. Try /roadmap quiz meanwhile.`,
        );
      }
      const notice = await cohortCalendarNotice(deps, drill.cohortId);
      if (notice) return notice;
      const next = nextSlotAfter(drill.schedule, now);
      return plain(
        `No drill is open right now. The next one opens ${next.localDate} at ${drill.schedule.timeOfDay} ${drill.schedule.timezone} (${untilShort(now, next.at)}). Try /roadmap quiz meanwhile.`,
      );
    }
    const prompt = await startPath(deps, invocation.channel, invocation.user.userId);
    return practiceMessage(prompt, trackOf(deps).module(prompt.card.moduleId)!.title, true);
  },
});

export const quiz = subcommand({
  name: 'quiz',
  description: 'One practice question: the due card you are closest to forgetting first, then new material.',
  options: [{ name: 'module', type: 'module', description: 'Only questions from this module' }],
  access: 'all',
  visibility: 'ephemeral',
  examples: ['quiz', 'quiz apis'],
  async handler({ invocation, services }, args) {
    const prompt = await startPractice(
      services.deps,
      invocation.channel,
      invocation.user.userId,
      args.module,
    );
    return practiceMessage(prompt, trackOf(services.deps).module(prompt.card.moduleId)!.title, false);
  },
});

export const review = subcommand({
  name: 'review',
  description: 'Replay the questions you missed until you answer each right once in this session.',
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const step = await startReview(services.deps, invocation.channel, invocation.user.userId);
    if (step.prompt) {
      const moduleTitle = trackOf(services.deps).module(step.prompt.card.moduleId)!.title;
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
  examples: ['answer B'],
  async handler({ invocation, services }, args) {
    const outcome = await answerOpenQuestion(
      services.deps,
      invocation.channel,
      invocation.user,
      LETTERS.indexOf(args.choice),
    );
    if (outcome.deliveryId !== undefined) services.events.deliveryChanged(outcome.deliveryId);
    return withReportButton(answerResultMessage(outcome, true), outcome.source, outcome.question.id);
  },
});

/** What `today` says in a cohort channel on a day the cohort calendar has no card: not started, or finished. */
async function cohortCalendarNotice(
  deps: StudyDeps,
  cohortId: number | null,
): Promise<OutboundMessage | undefined> {
  if (cohortId === null) return undefined;
  const cohort = await cohortById(deps, cohortId);
  if (!cohort) return undefined;
  const ctx = await cohortContext(deps, cohort);
  const progress = progressOf(ctx);
  if (progress.phase === 'upcoming')
    return plain(`The cohort **${cohort.name}** starts on ${cohort.startsOn}; its first card posts then.`);
  if (progress.phase === 'finished')
    return plain(
      `The cohort **${cohort.name}** finished on ${ctx.calendar.endsOn}. Try /roadmap quiz to keep practising.`,
    );
  return undefined;
}
