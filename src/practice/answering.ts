/** Answering practice questions, and `/roadmap answer`, which answers whatever question a member sees. */

import {
  type AnswerOutcome,
  alreadyAnswered,
  answerDelivery,
  insertGradedAnswer,
  lookup,
} from '../answers/answering.ts';
import { findDeliveryAnswer, findPracticeAnswer } from '../answers/answers.repository.ts';
import { lastShown, type ShownTarget } from '../answers/shown.repository.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import { currentDelivery, getDrill } from '../deliveries/deliveries.ts';
import { isOpen } from '../plans/model.ts';
import { findPrompt } from './practice.repository.ts';

export async function answerPractice(
  deps: StudyDeps,
  user: UserRef,
  practiceId: number,
  choice: number,
): Promise<AnswerOutcome> {
  const prompt = await findPrompt(deps.db, practiceId);
  if (!prompt || prompt.platform !== user.platform || prompt.workspace_id !== user.workspaceId) {
    throw new UserFacingError('NOT_FOUND', 'That practice question does not exist here; try /roadmap quiz.');
  }
  if (prompt.user_id !== user.userId) {
    throw new UserFacingError(
      'NOT_FOUND',
      'That practice question was for someone else; ask for your own with /roadmap quiz.',
    );
  }
  const previous = await findPracticeAnswer(deps.db, practiceId);
  if (previous) throw alreadyAnswered(previous.choice, previous.correct);
  const { card, question } = lookup(deps, deps.defaultTrackId, prompt.question_id);
  const correct = choice === question.correctIndex;
  const now = deps.clock.now();
  const inserted = await deps.db.transaction().execute((trx) =>
    insertGradedAnswer(trx, {
      user,
      card,
      question,
      choice,
      points: 0,
      at: now,
      contentVersion: trackOf(deps, deps.defaultTrackId).version,
      target: { source: 'practice', practice_id: practiceId },
    }),
  );
  if (!inserted) {
    const winner = (await findPracticeAnswer(deps.db, practiceId))!;
    throw alreadyAnswered(winner.choice, winner.correct);
  }
  return {
    source: 'practice',
    card,
    question,
    choice,
    correct,
    points: 0,
    nextReview: inserted.nextReview,
    reviewSession: prompt.reason === 'missed',
  };
}

/**
 * `/roadmap answer B` answers what the member sees: the most recent question shown to them in this channel.
 * That is the channel's open drill (shown to everyone when it opened, and again whenever `today` shows it)
 * or the practice prompt they were shown last here. One they already answered gives way to the other;
 * when both are answered, the most recent one reports its answer.
 */
export async function answerOpenQuestion(
  deps: StudyDeps,
  channel: ChannelRef,
  user: UserRef,
  choice: number,
): Promise<AnswerOutcome> {
  const now = deps.clock.now();
  const drill = await getDrill(deps, channel);
  const delivery = drill ? await currentDelivery(deps, drill) : undefined;
  const openDelivery = delivery && isOpen(delivery, now) ? delivery : undefined;
  const shown = await lastShown(deps.db, channel, user.userId);
  const candidates: { target: ShownTarget; at: number; answered: boolean }[] = [];
  if (shown?.target.kind === 'practice') {
    const answered = (await findPracticeAnswer(deps.db, shown.target.id)) !== undefined;
    candidates.push({ target: shown.target, at: shown.at.getTime(), answered });
  }
  if (openDelivery) {
    const shownAgain =
      shown?.target.kind === 'delivery' && shown.target.id === openDelivery.id ? shown.at.getTime() : 0;
    const answered = (await findDeliveryAnswer(deps.db, openDelivery.id, user.userId)) !== undefined;
    candidates.push({
      target: { kind: 'delivery', id: openDelivery.id },
      at: Math.max(openDelivery.opensAt.getTime(), shownAgain),
      answered,
    });
  }
  candidates.sort((a, b) => b.at - a.at);
  const target = (candidates.find((c) => !c.answered) ?? candidates[0])?.target;
  if (target?.kind === 'practice') return answerPractice(deps, user, target.id, choice);
  if (target && openDelivery) {
    const outcome = await answerDelivery(deps, user, target.id, choice, channel);
    return { ...outcome, studyDay: openDelivery.studyDay };
  }
  throw new UserFacingError(
    'NOTHING_OPEN',
    drill ? 'No question is open in this channel right now.' : 'No question is open here.',
    '/roadmap today shows the current card; /roadmap quiz gives you a practice question',
  );
}
