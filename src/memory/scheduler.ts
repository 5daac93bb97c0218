/**
 * The memory rules, pure: one member's memory of one card as ts-fsrs keeps it, how a graded answer changes it,
 * how likely the member is to recall it now, which due cards come first, which taught card a channel should
 * review, and which study days are review days. No storage here; memory.service.ts stores what this computes.
 *
 * ts-fsrs is the only scheduler. It runs with
 * - no short-term (minute) learning steps: the bot works in days (a drill a day, practice on demand), so a card
 *   answered wrong is due again the next day, not in ten minutes;
 * - no fuzz: the same review log always yields the same states, so a state can be recomputed and compared;
 * - the library's default FSRS-6 weights, until the review log is long enough to refit them;
 * - a requested retention of 0.85: a card falls due when the member's recall probability falls to 85%. In the
 *   learner benchmark (bench/README.md), 0.85 both raised retention over the cards seen by ~19% and let members
 *   meet as many cards as before; 0.9 kept more of fewer cards (no more cards recalled in total), 0.8 just
 *   reached the retention target.
 */
import {
  type Card,
  createEmptyCard,
  type FSRS,
  type FSRSParameters,
  forgetting_curve,
  fsrs,
  type Grade,
  Rating,
  State,
} from 'ts-fsrs';

export const SCHEDULER_PARAMETERS: Partial<FSRSParameters> = {
  enable_short_term: false,
  enable_fuzz: false,
  request_retention: 0.85,
};

/** Builds a scheduler; the bot uses `scheduler` (the defaults above), the benchmark may pass other weights. */
export function createScheduler(params: Partial<FSRSParameters> = {}): FSRS {
  return fsrs({ ...SCHEDULER_PARAMETERS, ...params });
}

const scheduler: FSRS = createScheduler();

export type ReviewSource = 'drill' | 'practice';

/** What the bot keeps of a member's memory of a card: ts-fsrs's card state, without its deprecated fields. */
export interface MemoryState {
  state: State;
  stability: number;
  difficulty: number;
  due: Date;
  lastReview: Date | null;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
}

/** Every graded answer is a review: correct → Good, wrong → Again. */
export function ratingFor(correct: boolean): Grade {
  return correct ? Rating.Good : Rating.Again;
}

export function emptyMemory(now: Date): MemoryState {
  return fromCard(createEmptyCard(now));
}

function toCard(m: MemoryState): Card {
  return {
    state: m.state,
    stability: m.stability,
    difficulty: m.difficulty,
    due: m.due,
    // Deprecated in ts-fsrs (it derives elapsed days from last_review); never stored, so never read either.
    elapsed_days: 0,
    scheduled_days: m.scheduledDays,
    learning_steps: m.learningSteps,
    reps: m.reps,
    lapses: m.lapses,
    ...(m.lastReview ? { last_review: m.lastReview } : {}),
  };
}

function fromCard(c: Card): MemoryState {
  return {
    state: c.state,
    stability: c.stability,
    difficulty: c.difficulty,
    due: c.due,
    lastReview: c.last_review ?? null,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
  };
}

/** The memory after one graded answer at `at` (the first answer of a card starts from an empty memory). */
export function applyReview(
  memory: MemoryState | undefined,
  correct: boolean,
  at: Date,
  fsrsInstance: FSRS = scheduler,
): MemoryState {
  const card = toCard(memory ?? emptyMemory(at));
  return fromCard(fsrsInstance.next(card, at, ratingFor(correct)).card);
}

/** Replays a review log (any order; applied oldest first) from an empty memory. */
export function replay(
  reviews: readonly { correct: boolean; reviewedAt: Date }[],
  fsrsInstance: FSRS = scheduler,
): MemoryState | undefined {
  const ordered = [...reviews].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
  let memory: MemoryState | undefined;
  for (const r of ordered) memory = applyReview(memory, r.correct, r.reviewedAt, fsrsInstance);
  return memory;
}

/** Probability the member recalls the card at `now` (0 for a card never reviewed). */
export function retrievability(memory: MemoryState, now: Date, fsrsInstance: FSRS = scheduler): number {
  if (memory.state === State.New || !memory.lastReview) return 0;
  const elapsedDays = Math.max(0, (now.getTime() - memory.lastReview.getTime()) / 86_400_000);
  return forgetting_curve(fsrsInstance.parameters.w, elapsedDays, memory.stability);
}

export interface CardMemory {
  cardId: string;
  memory: MemoryState;
}

export interface DueCard extends CardMemory {
  retrievability: number;
}

/** Cards due at `now`, the one the member is closest to forgetting (lowest retrievability) first. */
export function dueFirst(cards: readonly CardMemory[], now: Date, limit = Infinity): DueCard[] {
  return cards
    .filter((c) => c.memory.due.getTime() <= now.getTime())
    .map((c) => ({ ...c, retrievability: retrievability(c.memory, now) }))
    .sort((a, b) => a.retrievability - b.retrievability || a.cardId.localeCompare(b.cardId))
    .slice(0, limit);
}

/** Mean retrievability over the cards the member has reviewed; undefined when there are none. */
export function retentionEstimate(cards: readonly CardMemory[], now: Date): number | undefined {
  const seen = cards.filter((c) => c.memory.lastReview);
  if (seen.length === 0) return undefined;
  return seen.reduce((sum, c) => sum + retrievability(c.memory, now), 0) / seen.length;
}

export interface ReviewCandidate {
  cardId: string;
  /** Σ(1 − R) over the members who studied the card: how much of the channel is forgetting it. */
  forgetting: number;
  /** Members who studied the card. */
  members: number;
  /** Of those, members for whom the card is due now. */
  due: number;
}

/**
 * The taught card the channel is closest to forgetting: the one maximising Σ(1 − R) over the members who
 * studied it (ties: more members due, then the earlier card in `taughtCardIds`). Members who never studied a
 * card add nothing to it. Undefined when nobody studied any taught card.
 */
export function reviewCandidate(
  memories: readonly { memberId: string; cardId: string; memory: MemoryState }[],
  taughtCardIds: readonly string[],
  now: Date,
): ReviewCandidate | undefined {
  const order = new Map(taughtCardIds.map((id, i) => [id, i]));
  const byCard = new Map<string, ReviewCandidate>();
  for (const m of memories) {
    if (!order.has(m.cardId) || !m.memory.lastReview) continue;
    const c = byCard.get(m.cardId) ?? { cardId: m.cardId, forgetting: 0, members: 0, due: 0 };
    c.forgetting += 1 - retrievability(m.memory, now);
    c.members += 1;
    if (m.memory.due.getTime() <= now.getTime()) c.due += 1;
    byCard.set(m.cardId, c);
  }
  return [...byCard.values()].sort(
    (a, b) => b.forgetting - a.forgetting || b.due - a.due || order.get(a.cardId)! - order.get(b.cardId)!,
  )[0];
}

/** Review drills: one study day in REVIEW_SHARE by default, and whenever the channel's mean R falls below this. */
const REVIEW_SHARE = 5;
const REVIEW_RETENTION_FLOOR = 0.85;

/**
 * Whether the channel's drill on study day `studyDay` (1-based, as deliveries count them) is a review drill:
 * every `share`-th study day (share 5 → days 5, 10, 15 …; share 0 turns the fixed days off), or any study day
 * when the channel's mean retrievability over the cards already taught is below `floor`. Day 1 never is:
 * nothing has been taught yet.
 */
export function isReviewDay(input: {
  studyDay: number;
  meanRetrievability?: number | undefined;
  share?: number;
  floor?: number;
}): boolean {
  const { studyDay, meanRetrievability, share = REVIEW_SHARE, floor = REVIEW_RETENTION_FLOOR } = input;
  if (studyDay <= 1) return false;
  if (share > 0 && studyDay % share === 0) return true;
  return meanRetrievability !== undefined && meanRetrievability < floor;
}

export type StudyPickReason = 'due' | 'new' | 'refresh';

/**
 * The next card for a member's practice (`/roadmap quiz`): the due card they are closest to forgetting; else the
 * first card in track order they have never reviewed; else (everything seen, nothing due) the seen card with
 * the lowest retrievability. `allowed` filters out cards that may not be served now (the drill embargo).
 */
export function pickStudyCard(
  memories: readonly CardMemory[],
  trackCardIds: readonly string[],
  now: Date,
  allowed: (cardId: string) => boolean = () => true,
): { cardId: string; reason: StudyPickReason } | undefined {
  const due = dueFirst(
    memories.filter((c) => allowed(c.cardId)),
    now,
    1,
  )[0];
  if (due) return { cardId: due.cardId, reason: 'due' };
  const seen = new Set(memories.filter((c) => c.memory.lastReview).map((c) => c.cardId));
  const fresh = trackCardIds.find((id) => !seen.has(id) && allowed(id));
  if (fresh) return { cardId: fresh, reason: 'new' };
  const weakest = memories
    .filter((c) => c.memory.lastReview && allowed(c.cardId))
    .map((c) => ({ cardId: c.cardId, r: retrievability(c.memory, now) }))
    .sort((a, b) => a.r - b.r || a.cardId.localeCompare(b.cardId))[0];
  return weakest ? { cardId: weakest.cardId, reason: 'refresh' } : undefined;
}

/**
 * `/roadmap review`: the questions whose last answer before `sessionStart` was a miss, less those answered right
 * since, oldest miss first. Each leaves the list once answered right in the session; a miss in the session keeps
 * it there.
 */
export function sessionMisses(
  reviews: readonly { question_id: string; card_id: string; rating: number; reviewed_at: Date }[],
  sessionStart: Date,
): { questionId: string; cardId: string; missedAt: Date }[] {
  const before = new Map<string, (typeof reviews)[number]>();
  const rightSince = new Set<string>();
  for (const r of reviews) {
    if (r.reviewed_at < sessionStart) {
      const seen = before.get(r.question_id);
      if (!seen || seen.reviewed_at <= r.reviewed_at) before.set(r.question_id, r);
    } else if (r.rating >= Rating.Hard) {
      rightSince.add(r.question_id);
    }
  }
  return [...before.values()]
    .filter((r) => r.rating === Rating.Again && !rightSince.has(r.question_id))
    .sort((a, b) => a.reviewed_at.getTime() - b.reviewed_at.getTime())
    .map((r) => ({ questionId: r.question_id, cardId: r.card_id, missedAt: r.reviewed_at }));
}
