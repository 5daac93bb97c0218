/**
 * `npm run bench -- learners [--seed N] [--learners N] [--practice N] [--days N] [--after N] [--retention R]`
 *
 * A channel of synthetic learners studies the real backend track for `days` days (the daily drill plus
 * `practice` practice questions a day), then nothing for `after` days. Twice, on the same learners, the same
 * days of activity and the same question budget:
 *
 * - old: today's policy — the drill teaches the next card every day; practice is `choosePractice` from
 *   src/practice/practice.ts (a miss returns after 20 hours, a right answer never returns until everything was
 *   answered, new material in track order).
 * - memory: the FSRS policy of src/memory — practice is `pickStudyCard` (lowest retrievability among due cards,
 *   then new cards in track order), and the drill is a review drill on the days `isReviewDay` says, on the card
 *   `reviewCandidate` picks. Every graded answer goes through `applyReview`.
 *
 * Each learner's true memory is FSRS-6 with the learner's own weights: the default weights, each multiplied by
 * exp(N(0, σ)) and clipped to the valid ranges, drawn from the seed and never shown to the scheduler. Cards also
 * differ: time runs `cardFactor` times faster for a card (by its difficulty 1/2/3, times exp(N(0, σ_card))).
 * An answer is right with the learner's true recall probability at that moment (no guessing); the first sight
 * of a card (its text and a question) is right with a probability set by the card's difficulty.
 *
 * Pure and in memory: no database. Prints the figures beside each other; bench/README.md keeps a run.
 */
import os from 'node:os';
import path from 'node:path';
import { clipParameters, default_w, type FSRS, type FSRSState, Rating } from 'ts-fsrs';
import type { PastAnswer } from '../src/answers/answers.repository.ts';
import { loadTrack } from '../src/content/load.ts';
import type { StudyCard } from '../src/content/track.ts';
import {
  applyReview,
  type CardMemory,
  createScheduler,
  isReviewDay,
  type MemoryState,
  pickStudyCard,
  retrievability,
  reviewCandidate,
  SCHEDULER_PARAMETERS,
} from '../src/memory/scheduler.ts';
import { choosePractice } from './old-policy.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const DRILL_HOUR = 9;
const PRACTICE_HOUR = 20;

export const DEFAULTS = {
  seed: 20261203,
  learners: 200,
  practice: 5,
  days: 90,
  after: 30,
  /** The scheduler's requested retention (the bot's own by default). */
  retention: SCHEDULER_PARAMETERS.request_retention ?? 0.85,
  /** σ of the log-normal factor on each of the learner's 21 FSRS-6 weights. */
  weightSigma: 0.2,
  /** Time runs this much faster for a card of difficulty 1, 2, 3 … */
  cardFactor: { 1: 0.8, 2: 1, 3: 1.3 } as Record<1 | 2 | 3, number>,
  /** … times exp(N(0, σ_card)) per card. */
  cardSigma: 0.2,
  /** Probability of a right answer on first sight of a card, by difficulty. */
  firstSight: { 1: 0.85, 2: 0.75, 3: 0.6 } as Record<1 | 2 | 3, number>,
  /** Each learner studies on a day with a probability drawn uniformly from this range. */
  activity: [0.7, 1] as [number, number],
};
type Settings = typeof DEFAULTS;

/** mulberry32: small, fast and the same everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

interface Learner {
  id: string;
  truth: FSRS;
  /** active[d]: whether the learner studies on day d (the same for both policies). */
  active: boolean[];
}

interface TrueMemory {
  state: FSRSState;
  last: number;
}

interface World {
  cards: StudyCard[];
  cardFactor: Map<string, number>;
  learners: Learner[];
}

function makeWorld(s: Settings, cards: StudyCard[]): World {
  const rand = rng(s.seed);
  const cardFactor = new Map(
    cards.map((c) => [c.id, s.cardFactor[c.difficulty] * Math.exp(s.cardSigma * normal(rand))]),
  );
  const learners: Learner[] = [];
  for (let i = 0; i < s.learners; i++) {
    const w = clipParameters(
      default_w.map((x) => x * Math.exp(s.weightSigma * normal(rand))),
      0,
      false,
    );
    const p = s.activity[0] + (s.activity[1] - s.activity[0]) * rand();
    const active = Array.from({ length: s.days }, () => rand() < p);
    learners.push({ id: `L${i}`, truth: createScheduler({ w }), active });
  }
  return { cards, cardFactor, learners };
}

/** The learner's true recall probability of a card at time `t` (ms). */
function trueRecall(world: World, l: Learner, cardId: string, m: TrueMemory, t: number): number {
  const days = ((t - m.last) / DAY) * world.cardFactor.get(cardId)!;
  return l.truth.forgetting_curve(days, m.state.stability);
}

interface Calibration {
  predicted: number;
  truth: number;
  outcome: 0 | 1;
}

interface PolicyResult {
  questions: number;
  seen: number;
  retention: number[];
  recalled: number[];
  calibration: Calibration[];
  reviewDrills: number;
}

type Policy = 'old' | 'memory';

function run(world: World, s: Settings, policy: Policy): PolicyResult {
  const rand = rng(s.seed ^ (policy === 'old' ? 0x01d : 0x3e3));
  const truths = world.learners.map(() => new Map<string, TrueMemory>());
  const memories = world.learners.map(() => new Map<string, MemoryState>());
  const history = world.learners.map((): PastAnswer[] => []);
  const byId = new Map(world.cards.map((c) => [c.id, c]));
  const trackIds = world.cards.map((c) => c.id);
  const calibration: Calibration[] = [];
  const scheduler = createScheduler({ request_retention: s.retention });
  let questions = 0;
  let reviewDrills = 0;

  const answer = (li: number, card: StudyCard, questionId: string, t: number) => {
    const l = world.learners[li]!;
    const truth = truths[li]!.get(card.id);
    const pTrue = truth ? trueRecall(world, l, card.id, truth, t) : s.firstSight[card.difficulty];
    const correct = rand() < pTrue;
    const memory = memories[li]!.get(card.id);
    if (truth && memory) {
      calibration.push({
        predicted: retrievability(memory, new Date(t)),
        truth: pTrue,
        outcome: correct ? 1 : 0,
      });
    }
    const days = truth ? ((t - truth.last) / DAY) * world.cardFactor.get(card.id)! : 0;
    const grade = correct ? Rating.Good : Rating.Again;
    truths[li]!.set(card.id, {
      state: l.truth.next_state(truth?.state ?? null, days, grade, truth ? pTrue : undefined),
      last: t,
    });
    memories[li]!.set(card.id, applyReview(memory, correct, new Date(t), scheduler));
    history[li]!.push({
      questionId,
      cardId: card.id,
      moduleId: card.moduleId,
      correct,
      answeredAt: new Date(t),
    });
    questions += 1;
  };

  const cardMemories = (li: number): CardMemory[] =>
    [...memories[li]!.entries()].map(([cardId, memory]) => ({ cardId, memory }));

  let position = 0;
  const taught: string[] = [];
  for (let d = 0; d < s.days; d++) {
    const drillAt = T0 + d * DAY + DRILL_HOUR * 3_600_000;
    // The drill: the next card in track order, or (memory policy, on a review day) the card to review.
    let drillCard = world.cards[position];
    if (policy === 'memory' && taught.length > 0) {
      const now = new Date(drillAt);
      const all = world.learners.flatMap((l, li) =>
        cardMemories(li)
          .filter((c) => taught.includes(c.cardId))
          .map((c) => ({ memberId: l.id, ...c })),
      );
      const mean = all.length
        ? all.reduce((sum, c) => sum + retrievability(c.memory, now), 0) / all.length
        : undefined;
      if (isReviewDay({ studyDay: d + 1, meanRetrievability: mean })) {
        const pick = reviewCandidate(all, taught, now);
        if (pick) {
          drillCard = byId.get(pick.cardId)!;
          reviewDrills += 1;
        }
      }
    }
    if (drillCard && drillCard === world.cards[position]) {
      taught.push(drillCard.id);
      position += 1;
    }
    for (const [li, l] of world.learners.entries()) {
      if (!l.active[d]) continue;
      if (drillCard) answer(li, drillCard, drillCard.questions[0]!.id, drillAt);
      for (let q = 0; q < s.practice; q++) {
        const t = T0 + d * DAY + PRACTICE_HOUR * 3_600_000 + q * 120_000;
        if (policy === 'old') {
          const pick = choosePractice(trackOf(world), history[li]!, new Date(t));
          if (pick) answer(li, pick.card, pick.question.id, t);
        } else {
          const pick = pickStudyCard(cardMemories(li), trackIds, new Date(t));
          if (pick) {
            const card = byId.get(pick.cardId)!;
            // Of the card's questions, the one answered least recently (never answered first).
            const last = new Map(history[li]!.map((a) => [a.questionId, a.answeredAt.getTime()]));
            const question = [...card.questions].sort(
              (a, b) => (last.get(a.id) ?? -1) - (last.get(b.id) ?? -1),
            )[0]!;
            answer(li, card, question.id, t);
          }
        }
      }
    }
  }

  const measure = (t: number) => {
    const perLearner = world.learners.map((l, li) => {
      const seen = [...truths[li]!.entries()];
      const sum = seen.reduce((acc, [cardId, m]) => acc + trueRecall(world, l, cardId, m, t), 0);
      return { mean: seen.length ? sum / seen.length : 0, sum, seen: seen.length };
    });
    return {
      retention: perLearner.reduce((a, x) => a + x.mean, 0) / perLearner.length,
      recalled: perLearner.reduce((a, x) => a + x.sum, 0) / perLearner.length,
      seen: perLearner.reduce((a, x) => a + x.seen, 0) / perLearner.length,
    };
  };
  const end = T0 + s.days * DAY;
  const atEnd = measure(end);
  const later = measure(end + s.after * DAY);
  return {
    questions: questions / world.learners.length,
    seen: atEnd.seen,
    retention: [atEnd.retention, later.retention],
    recalled: [atEnd.recalled, later.recalled],
    calibration,
    reviewDrills,
  };
}

let cachedTrack: ReturnType<typeof loadTrack> | undefined;
function trackOf(_world: World) {
  cachedTrack ??= loadTrack(path.resolve(import.meta.dirname, '../content'), 'backend');
  return cachedTrack;
}

const clampP = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));
function logLoss(rows: readonly Calibration[], p: (c: Calibration) => number): number {
  return (
    rows.reduce((sum, c) => sum - (c.outcome ? Math.log(clampP(p(c))) : Math.log(1 - clampP(p(c)))), 0) /
    rows.length
  );
}
/** RMSE over 20 equal-width bins of the prediction, each bin weighted by its size. */
function rmseBins(rows: readonly Calibration[], p: (c: Calibration) => number): number {
  const bins = Array.from({ length: 20 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const c of rows) {
    const b = bins[Math.min(19, Math.floor(p(c) * 20))]!;
    b.n += 1;
    b.p += p(c);
    b.y += c.outcome;
  }
  const sq = bins.reduce((sum, b) => (b.n ? sum + b.n * (b.p / b.n - b.y / b.n) ** 2 : sum), 0);
  return Math.sqrt(sq / rows.length);
}

function parseArgs(args: string[]): Settings {
  const s = { ...DEFAULTS };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') as
      | 'seed'
      | 'learners'
      | 'practice'
      | 'days'
      | 'after'
      | 'retention';
    const value = Number(args[i + 1]);
    if (
      !['seed', 'learners', 'practice', 'days', 'after', 'retention'].includes(key) ||
      !Number.isFinite(value)
    ) {
      throw new Error(`Unknown option ${args[i]} ${args[i + 1] ?? ''}`);
    }
    s[key] = value;
  }
  return s;
}

export default async function main(args: string[]): Promise<void> {
  const s = parseArgs(args);
  const track = trackOf({} as World);
  const world = makeWorld(s, track.cards);
  const started = performance.now();
  const old = run(world, s, 'old');
  const memory = run(world, s, 'memory');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rel = (a: number, b: number) => `${a >= b ? '+' : ''}${(100 * (a / b - 1)).toFixed(1)}%`;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `learners: seed ${s.seed}, ${s.learners} learners, ${track.cards.length} cards, drill + ${s.practice} practice/day, ` +
      `${s.days} days then ${s.after} without study, requested retention ${s.retention} (${seconds}s; ${os.availableParallelism()} cpus, ${process.arch}, Node ${process.version})`,
  );
  out('');
  out('| figure | old policy | memory (FSRS) | change |');
  out('| --- | --- | --- | --- |');
  out(
    `| questions answered per learner | ${old.questions.toFixed(1)} | ${memory.questions.toFixed(1)} | ${rel(memory.questions, old.questions)} |`,
  );
  out(
    `| cards seen per learner | ${old.seen.toFixed(1)} | ${memory.seen.toFixed(1)} | ${rel(memory.seen, old.seen)} |`,
  );
  out(`| review drills | ${old.reviewDrills} | ${memory.reviewDrills} | |`);
  out(
    `| mean recall over cards seen, day ${s.days} | ${pct(old.retention[0]!)} | ${pct(memory.retention[0]!)} | ${rel(memory.retention[0]!, old.retention[0]!)} |`,
  );
  out(
    `| mean recall over cards seen, day ${s.days + s.after} | ${pct(old.retention[1]!)} | ${pct(memory.retention[1]!)} | ${rel(memory.retention[1]!, old.retention[1]!)} |`,
  );
  out(
    `| cards recalled (Σ recall) per learner, day ${s.days} | ${old.recalled[0]!.toFixed(1)} | ${memory.recalled[0]!.toFixed(1)} | ${rel(memory.recalled[0]!, old.recalled[0]!)} |`,
  );
  out(
    `| cards recalled (Σ recall) per learner, day ${s.days + s.after} | ${old.recalled[1]!.toFixed(1)} | ${memory.recalled[1]!.toFixed(1)} | ${rel(memory.recalled[1]!, old.recalled[1]!)} |`,
  );
  out('');
  const rows = memory.calibration;
  const ll = logLoss(rows, (c) => c.predicted);
  const llOpt = logLoss(rows, (c) => c.truth);
  out(`calibration of the scheduler's predicted recall, ${rows.length} reviews (memory policy):`);
  out('');
  out('| figure | scheduler | simulator optimum (true recall) | ratio |');
  out('| --- | --- | --- | --- |');
  out(`| log loss | ${ll.toFixed(4)} | ${llOpt.toFixed(4)} | ${(ll / llOpt).toFixed(3)} |`);
  const rm = rmseBins(rows, (c) => c.predicted);
  const rmOpt = rmseBins(rows, (c) => c.truth);
  out(`| RMSE (20 bins) | ${rm.toFixed(4)} | ${rmOpt.toFixed(4)} | |`);
  out('');
  out(
    `targets: retention at day ${s.days + s.after} ≥ +15% → ${rel(memory.retention[1]!, old.retention[1]!)} ` +
      `(${memory.retention[1]! >= 1.15 * old.retention[1]! ? 'met' : 'NOT met'}); ` +
      `log loss within 15% of the optimum → ${(ll / llOpt).toFixed(3)} (${ll <= 1.15 * llOpt ? 'met' : 'NOT met'})`,
  );
}
