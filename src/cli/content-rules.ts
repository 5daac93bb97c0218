/**
 * Whole-track checks beyond the schema: coverage, counts, duplicate stems, answer balance, rendered lengths,
 * options whose form gives the key away, and sources per card.
 */

import type { Question, StudyCard, Track } from '../content/track.ts';
import { fullCardMessage, revealMessage } from '../deliveries/messages.ts';
import { practiceMessage } from '../practice/messages.ts';
import {
  DRILL_VISIBLE_MAX,
  type DrillLength,
  longestDrill,
  measureDrill,
  renderCuts,
} from './drill-lengths.ts';

export interface Requirements {
  /** Share of syllabus topics a card must cover, 0..1. */
  coverage: number;
  minCards: number;
  minQuestions: number;
  /** Allowed deviation of each answer position from an even share, e.g. 0.1 for ±10%. */
  balanceTolerance: number;
}

/**
 * When an option's form gives the key away (content/README.md, "Questions that teach").
 *
 * A clause is a second part joined by `, ` `; ` `: ` or a spaced dash, a parenthesis, or a subordinating
 * word (because, since, so that, which, unless, whereas, although); inline code is ignored, so a comma in
 * `a, b` is not one. The correct option must not be the only one with a clause, nor the only one without.
 *
 * Length counts the option text without backticks. Measured on the 645 questions before this check:
 * the correct option's length over the mean of the other three had a median near 1.0, and 12 questions
 * were above 1.6 with the correct option also 10+ characters longer than the longest wrong one; 18 were
 * below 0.5 and 10+ characters shorter than the shortest. Those outliers read as a key set apart by its
 * length, so both are flagged; everything inside them is left to the writer.
 */
export const GIVEAWAY = {
  longRatio: 1.6,
  shortRatio: 0.5,
  /** Characters by which the correct option must also exceed the longest (or undercut the shortest) other. */
  margin: 10,
} as const;

const CLAUSE = /[,;:]\s|\s[-–—]\s|\(|\b(?:because|since|so that|which|unless|whereas|although)\b/i;

const plain = (text: string) => text.replace(/`/g, '').trim().replace(/\.$/, '');

/** Whether an option's text has a clause in the sense of GIVEAWAY's comment (code spans ignored). */
export function hasClause(text: string): boolean {
  return CLAUSE.test(plain(text.replace(/`[^`]*`/g, 'x')));
}

/** What, if anything, sets the correct option apart by form alone; one line per finding. */
export function formGiveaways(q: Pick<Question, 'options' | 'correctIndex'>): string[] {
  const found: string[] = [];
  const key = q.options[q.correctIndex]!;
  const others = q.options.filter((_, i) => i !== q.correctIndex);
  const clauses = others.filter((o) => hasClause(o.text)).length;
  if (hasClause(key.text) && clauses === 0)
    found.push('the correct option alone has a clause; give the others parallel form');
  if (!hasClause(key.text) && clauses === others.length)
    found.push('the correct option alone lacks a clause; give the options parallel form');
  const len = plain(key.text).length;
  const lens = others.map((o) => plain(o.text).length);
  const mean = lens.reduce((a, b) => a + b, 0) / lens.length;
  if (len > GIVEAWAY.longRatio * mean && len - Math.max(...lens) >= GIVEAWAY.margin)
    found.push(
      `the correct option is ${(len / mean).toFixed(2)}x the mean length of the others (max ${GIVEAWAY.longRatio})`,
    );
  if (len < GIVEAWAY.shortRatio * mean && Math.min(...lens) - len >= GIVEAWAY.margin)
    found.push(
      `the correct option is ${(len / mean).toFixed(2)}x the mean length of the others (min ${GIVEAWAY.shortRatio})`,
    );
  return found;
}

/**
 * Hosts that are not primary sources: encyclopaedias, Q&A sites, tutorial aggregators, blog platforms and
 * reserved example domains. A card needs at least one source elsewhere (a standard, official documentation,
 * OWASP, MDN, or the original author's own text).
 */
const SECONDARY_HOSTS =
  /(^|\.)(wikipedia\.org|medium\.com|dev\.to|stackoverflow\.com|stackexchange\.com|geeksforgeeks\.org|freecodecamp\.org|roadmap\.sh|w3schools\.com|tutorialspoint\.com|baeldung\.com|youtube\.com|reddit\.com|quora\.com|substack\.com|hashnode\.dev|example\.(com|org|net))$/i;

export function isPrimarySource(url: string): boolean {
  try {
    return !SECONDARY_HOSTS.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface SourceStats {
  min: number;
  mean: number;
  /** Ids of cards whose sources are all secondary. */
  withoutPrimary: string[];
}

export function sourceStats(cards: StudyCard[]): SourceStats {
  const counts = cards.map((c) => c.sources.length);
  return {
    min: counts.length ? Math.min(...counts) : 0,
    mean: counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : 0,
    withoutPrimary: cards.filter((c) => !c.sources.some((s) => isPrimarySource(s.url))).map((c) => c.id),
  };
}

export interface CheckReport {
  problems: string[];
  /** Every drill post's visible length on Slack and Discord, through the real renderers. */
  drills: DrillLength[];
  topics: { covered: number; total: number; missing: string[] };
  cards: number;
  questions: number;
  kinds: Record<string, number>;
  positions: [number, number, number, number];
  modules: { id: string; cards: number; questions: number; sources: SourceStats }[];
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Each letter is the correct answer about as often as the others (within the tolerance). */
function checkBalance(
  positions: readonly number[],
  questionCount: number,
  req: Requirements,
  problems: string[],
): void {
  const even = questionCount / 4;
  positions.forEach((n, i) => {
    if (questionCount >= 8 && Math.abs(n - even) > even * req.balanceTolerance) {
      problems.push(
        `the correct answer is ${'ABCD'[i]} in ${n} questions; each letter must be within ±${req.balanceTolerance * 100}% of ${even.toFixed(1)}`,
      );
    }
  });
}

/**
 * Every question as a drill, the card it opens, the reveal and practice, rendered by the real Slack and
 * Discord renderers at their longest: nothing may be cut or left out to fit a platform's limits, and no drill
 * post may show more than DRILL_VISIBLE_MAX characters.
 */
function checkRenderedSizes(track: Track, problems: string[]): DrillLength[] {
  const lengths: DrillLength[] = [];
  for (const card of track.cards) {
    const moduleTitle = track.module(card.moduleId)!.title;
    const report = (what: string, cuts: string[]) => {
      for (const c of cuts) problems.push(`${what}: ${c} was cut to fit`);
    };
    report(`${card.id} (card)`, renderCuts(fullCardMessage(card, moduleTitle)));
    for (const question of card.questions) {
      const drill = measureDrill(longestDrill(track, card, question), question.id);
      lengths.push(drill);
      report(`${question.id} (drill)`, drill.cut);
      for (const [platform, length] of [
        ['Slack', drill.slack],
        ['Discord', drill.discord],
      ] as const)
        if (length > DRILL_VISIBLE_MAX)
          problems.push(
            `${question.id} (drill): ${length} visible characters on ${platform}, over ${DRILL_VISIBLE_MAX}: shorten the question or its options`,
          );
      const day = { studyDay: 365, localDate: '2026-12-31', isReview: true };
      report(
        `${question.id} (reveal)`,
        renderCuts(revealMessage(card, question, day, moduleTitle, [9_999, 9_999, 9_999, 9_999])),
      );
      const prompt = { card, question, reason: 'review' as const, promptId: 1_000_000_000 };
      report(`${question.id} (practice)`, renderCuts(practiceMessage(prompt, moduleTitle, true)));
    }
  }
  return lengths;
}

export function checkTrack(track: Track, req: Requirements): CheckReport {
  const problems: string[] = [];
  const covered = new Set(track.cards.flatMap((c) => c.topics));
  const missing = track.syllabus.filter((t) => !covered.has(t.id)).map((t) => t.id);
  const questions = track.cards.flatMap((c) => c.questions);
  const positions: [number, number, number, number] = [0, 0, 0, 0];
  const kinds: Record<string, number> = {};
  const stems = new Map<string, string>();
  for (const q of questions) {
    positions[q.correctIndex as 0 | 1 | 2 | 3] += 1;
    kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
    const key = normalise(q.stem);
    if (stems.has(key)) problems.push(`${q.id}: same stem as ${stems.get(key)}`);
    stems.set(key, q.id);
  }

  const share = track.syllabus.length ? (track.syllabus.length - missing.length) / track.syllabus.length : 1;
  if (share < req.coverage) {
    problems.push(
      `coverage ${track.syllabus.length - missing.length}/${track.syllabus.length} topics is below ${Math.round(req.coverage * 100)}% (see the list above)`,
    );
  }
  if (track.cards.length < req.minCards)
    problems.push(`${track.cards.length} cards; the track needs at least ${req.minCards}`);
  if (questions.length < req.minQuestions)
    problems.push(`${questions.length} questions; the track needs at least ${req.minQuestions}`);
  checkBalance(positions, questions.length, req, problems);

  for (const q of questions) for (const g of formGiveaways(q)) problems.push(`${q.id}: ${g}`);
  for (const card of track.cards) {
    if (!card.sources.some((s) => isPrimarySource(s.url)))
      problems.push(`${card.id}: no primary source (standard, official docs, OWASP, MDN or original author)`);
  }

  const drills = checkRenderedSizes(track, problems);

  return {
    problems,
    drills,
    topics: { covered: track.syllabus.length - missing.length, total: track.syllabus.length, missing },
    cards: track.cards.length,
    questions: questions.length,
    kinds,
    positions,
    modules: track.modules.map((m) => ({
      id: m.id,
      cards: m.cards.length,
      questions: m.cards.reduce((n, c) => n + c.questions.length, 0),
      sources: sourceStats(m.cards),
    })),
  };
}
