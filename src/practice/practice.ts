/**
 * Practice: the member's memory (src/memory, ts-fsrs) chooses the card: the due card they are closest to
 * forgetting first, then new material in track order, then the seen card they remember least. The drill
 * embargo filters every choice.
 */

import { type PastAnswer, pastAnswers } from '../answers/answers.repository.ts';
import { markShown } from '../answers/shown.repository.ts';
import type { Question, StudyCard, Track } from '../content/track.ts';
import { UserFacingError } from '../core/errors.ts';
import type { ChannelRef } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import { askable, withheldQuestions } from '../deliveries/withheld.ts';
import {
  type CardMemory,
  memberMemory,
  memberReviews,
  pickStudyCard,
  reviewSessionStart,
  sessionMisses,
  startReviewSession,
} from '../memory/memory.ts';
import { type Embargo, isEmbargoed, practiceEmbargo } from './embargo.ts';
import { insertPrompt } from './practice.repository.ts';

/**
 * Why a question was served: `review` a due card last answered wrong, `due` a due card, `new` a card never
 * reviewed, `refresh` nothing due or new (the card remembered least), `path` the next card of the member's path,
 * `missed` a miss replayed by `/roadmap review`.
 */
type PracticeReason = 'review' | 'due' | 'new' | 'path' | 'refresh' | 'missed';

/** One logged review of a question, as the question choice needs it. */
interface PastReview {
  questionId: string;
  correct: boolean;
  at: Date;
}

interface PracticePick {
  card: StudyCard;
  question: Question;
  reason: PracticeReason;
}

/**
 * Which of the card's questions to ask: the one last missed when the card's last review was a miss (retrieve
 * exactly what failed), else a question never answered (in the card's order), else the one answered longest ago.
 * Questions withheld in the workspace (reported by several members) are left out while another remains.
 */
function chooseQuestion(
  card: StudyCard,
  reviews: readonly PastReview[],
  withheld: ReadonlySet<string> = new Set(),
): Question {
  const questions = askable(card, withheld).length > 0 ? askable(card, withheld) : card.questions;
  const ids = new Set(questions.map((q) => q.id));
  const own = reviews.filter((r) => ids.has(r.questionId)).sort((a, b) => a.at.getTime() - b.at.getTime());
  const last = own.at(-1);
  if (last && !last.correct) return questions.find((q) => q.id === last.questionId)!;
  const lastAsked = new Map(own.map((r) => [r.questionId, r.at.getTime()]));
  return (
    questions.find((q) => !lastAsked.has(q.id)) ??
    [...questions].sort((a, b) => lastAsked.get(a.id)! - lastAsked.get(b.id)!)[0]!
  );
}

/**
 * Chooses the next practice card for a member from their memory (`pickStudyCard`); pure. `moduleId` keeps to
 * that module's cards; cards under the embargo (coming or unrevealed drills) are never chosen, nor cards whose
 * every question is withheld in the workspace.
 */
function choosePracticeCard(
  track: Track,
  memories: readonly CardMemory[],
  now: Date,
  moduleId?: string,
  embargo?: Embargo,
  withheld: ReadonlySet<string> = new Set(),
): { card: StudyCard; reason: 'due' | 'new' | 'refresh' } | undefined {
  const cards = (moduleId ? (track.module(moduleId)?.cards ?? []) : track.cards).filter(
    (c) => askable(c, withheld).length > 0,
  );
  const inScope = new Set(cards.map((c) => c.id));
  const picked = pickStudyCard(
    memories,
    cards.map((c) => c.id),
    now,
    (id) => inScope.has(id) && !isEmbargoed(embargo, id),
  );
  return picked ? { card: track.card(picked.cardId)!, reason: picked.reason } : undefined;
}

/**
 * The member's next card in their own path (for channels without a drill): the first card they have not
 * met that no drill of theirs keeps secret.
 */
function nextPathCard(
  track: Track,
  answers: readonly PastAnswer[],
  embargo?: Embargo,
  withheld: ReadonlySet<string> = new Set(),
): StudyCard | undefined {
  const seen = new Set(answers.map((a) => a.cardId));
  return track.cards.find(
    (c) => !seen.has(c.id) && !isEmbargoed(embargo, c.id) && askable(c, withheld).length > 0,
  );
}

/** Nothing left to practise only because the rest is embargoed: say why, and when more opens. */
function embargoedOut(moduleId?: string): UserFacingError {
  return new UserFacingError(
    'NOT_FOUND',
    `Nothing to practise${moduleId ? ' in that module' : ''} right now: practice covers only cards your channels' drills have revealed, so it never gives a drill away. More opens with every reveal.`,
  );
}

export interface PracticePrompt extends PracticePick {
  promptId: number;
}

export async function startPractice(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  moduleId?: string,
): Promise<PracticePrompt> {
  const picked = await nextPractice(deps, channel, userId, moduleId);
  if (!picked) throw new UserFacingError('NOT_FOUND', 'There is no question to practise in that module yet.');
  return record(deps, channel, userId, picked);
}

/** The member's next practice question; throws when the embargo alone leaves nothing to practise. */
async function nextPractice(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  moduleId?: string,
): Promise<PracticePick | undefined> {
  const track = trackOf(deps, deps.defaultTrackId);
  const member = { platform: channel.platform, workspaceId: channel.workspaceId, userId };
  const now = deps.clock.now();
  const embargo = await practiceEmbargo(deps, channel, userId);
  const withheld = await withheldQuestions(deps, channel);
  const memories = await memberMemory(deps.db, member);
  const picked = choosePracticeCard(track, memories, now, moduleId, embargo, withheld);
  if (!picked) {
    if (embargo.cards.size && choosePracticeCard(track, memories, now, moduleId, undefined, withheld))
      throw embargoedOut(moduleId);
    return undefined;
  }
  const reviews = (await memberReviews(deps.db, member, picked.card.id)).map((r) => ({
    questionId: r.question_id,
    correct: r.rating >= 2,
    at: r.reviewed_at,
  }));
  const question = chooseQuestion(picked.card, reviews, withheld);
  const lastMissed = reviews.at(-1)?.correct === false;
  const reason = picked.reason === 'due' && lastMissed ? 'review' : picked.reason;
  return { card: picked.card, question, reason };
}

/** Shows the member's next path card with its first question, as a practice prompt. */
export async function startPath(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
): Promise<PracticePrompt> {
  const track = trackOf(deps, deps.defaultTrackId);
  const embargo = await practiceEmbargo(deps, channel, userId);
  const withheld = await withheldQuestions(deps, channel);
  const past = await pastAnswers(deps, channel, userId);
  const card = nextPathCard(track, past, embargo, withheld);
  if (!card) {
    const picked = await nextPractice(deps, channel, userId);
    if (!picked) {
      if (nextPathCard(track, past, undefined, withheld)) throw embargoedOut();
      throw new UserFacingError('TRACK_FINISHED', 'You have been through the whole track.');
    }
    return record(deps, channel, userId, picked);
  }
  return record(deps, channel, userId, { card, question: askable(card, withheld)[0]!, reason: 'path' });
}

/** A review session started this long ago is over: the next `/roadmap review` starts a new one. */
const REVIEW_SESSION_MS = 12 * 60 * 60 * 1000;

export interface ReviewStep {
  /** The next miss to answer; absent when nothing can be served now. */
  prompt?: PracticePrompt;
  /** Misses still to answer right in this session, the one served included. */
  remaining: number;
}

/**
 * `/roadmap review`: replays the member's misses (questions whose last answer was wrong), oldest first, until
 * each is answered right once in the session. A session starts with the first `review` when none is under way
 * (none yet, the last one finished, or it started over REVIEW_SESSION_MS ago); a miss answered wrong again
 * stays in it. Misses on cards a drill still keeps secret wait for its reveal.
 */
export async function startReview(deps: StudyDeps, channel: ChannelRef, userId: string): Promise<ReviewStep> {
  const track = trackOf(deps, deps.defaultTrackId);
  const member = { platform: channel.platform, workspaceId: channel.workspaceId, userId };
  const now = deps.clock.now();
  const reviews = await memberReviews(deps.db, member);
  const withheld = await withheldQuestions(deps, channel);
  const misses = (since: Date) =>
    sessionMisses(reviews, since).filter((m) => track.question(m.questionId) && !withheld.has(m.questionId));
  const start = await reviewSessionStart(deps.db, member);
  let left = start && now.getTime() - start.getTime() < REVIEW_SESSION_MS ? misses(start) : [];
  if (left.length === 0) {
    // The new session starts just after everything already logged, an answer given this very instant included.
    const startAt = new Date(now.getTime() + 1);
    left = misses(startAt);
    if (left.length === 0) return { remaining: 0 };
    await startReviewSession(deps.db, member, startAt);
  }
  // The miss asked longest ago first: one answered wrong again in the session goes behind the others.
  const lastAsked = new Map(reviews.map((r) => [r.question_id, r.reviewed_at.getTime()]));
  left.sort((a, b) => lastAsked.get(a.questionId)! - lastAsked.get(b.questionId)!);
  const embargo = await practiceEmbargo(deps, channel, userId);
  const next = left.find((m) => !isEmbargoed(embargo, m.cardId));
  if (!next) return { remaining: left.length };
  const question = track.question(next.questionId)!;
  const card = track.card(question.cardId)!;
  return {
    prompt: await record(deps, channel, userId, { card, question, reason: 'missed' }),
    remaining: left.length,
  };
}

async function record(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
  p: PracticePick,
): Promise<PracticePrompt> {
  const row = await insertPrompt(deps.db, channel, userId, {
    cardId: p.card.id,
    questionId: p.question.id,
    reason: p.reason,
    at: deps.clock.now(),
  });
  await markShown(deps, channel, userId, { kind: 'practice', id: row.id }, deps.clock.now());
  return { ...p, promptId: row.id };
}
