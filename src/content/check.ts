/** Whole-track checks beyond the schema: coverage, counts, duplicate stems, answer balance, rendered lengths. */
import { drillMessage, practiceMessage } from '../core/render/study-messages.ts';
import type { OutboundMessage } from '../core/types.ts';
import type { Track } from './track.ts';

/**
 * Rendered-size budgets, the tighter of Slack's and Discord's limits for the parts a card becomes:
 * Slack section text 3000 and header 150 (api.slack.com Block Kit), chat.postMessage text 4000;
 * Discord embed title 256, description 4096, footer 2048, 6000 in all (discord.com/developers/docs embed limits).
 */
export const RENDER_BUDGET = {
  section: 3000,
  title: 150,
  description: 4096,
  footer: 2048,
  embedTotal: 6000,
  fallbackText: 4000,
} as const;

export interface Requirements {
  /** Share of syllabus topics a card must cover, 0..1. */
  coverage: number;
  minCards: number;
  minQuestions: number;
  /** Allowed deviation of each answer position from an even share, e.g. 0.1 for ±10%. */
  balanceTolerance: number;
}

export interface CheckReport {
  problems: string[];
  topics: { covered: number; total: number; missing: string[] };
  cards: number;
  questions: number;
  kinds: Record<string, number>;
  positions: [number, number, number, number];
  modules: { id: string; cards: number; questions: number }[];
}

function measure(msg: OutboundMessage, where: string, problems: string[]): void {
  const card = msg.card!;
  if (card.title.length > RENDER_BUDGET.title)
    problems.push(`${where}: title renders to ${card.title.length} characters (max ${RENDER_BUDGET.title})`);
  const description = card.sections
    .map((s) => (s.heading ? `**${s.heading}**\n${s.body}` : s.body))
    .join('\n\n');
  for (const s of card.sections) {
    if (s.body.length > RENDER_BUDGET.section)
      problems.push(
        `${where}: a section renders to ${s.body.length} characters (max ${RENDER_BUDGET.section})`,
      );
  }
  if (description.length > RENDER_BUDGET.description)
    problems.push(
      `${where}: body renders to ${description.length} characters (max ${RENDER_BUDGET.description})`,
    );
  const footer = card.footer ?? '';
  if (footer.length > RENDER_BUDGET.footer)
    problems.push(`${where}: footer renders to ${footer.length} characters`);
  const total = card.title.length + description.length + footer.length;
  if (total > RENDER_BUDGET.embedTotal)
    problems.push(`${where}: card renders to ${total} characters (max ${RENDER_BUDGET.embedTotal})`);
  if (msg.text.length > RENDER_BUDGET.fallbackText)
    problems.push(
      `${where}: fallback text is ${msg.text.length} characters (max ${RENDER_BUDGET.fallbackText})`,
    );
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

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
  const even = questions.length / 4;
  positions.forEach((n, i) => {
    if (questions.length >= 8 && Math.abs(n - even) > even * req.balanceTolerance) {
      problems.push(
        `the correct answer is ${'ABCD'[i]} in ${n} questions; each letter must be within ±${req.balanceTolerance * 100}% of ${even.toFixed(1)}`,
      );
    }
  });

  for (const card of track.cards) {
    const moduleTitle = track.module(card.moduleId)!.title;
    for (const question of card.questions) {
      const delivery = { id: 1_000_000_000, studyDay: 365, late: true, localDate: '2026-12-31' };
      measure(
        drillMessage(card, question, delivery, moduleTitle, 10_000),
        `${question.id} (drill)`,
        problems,
      );
      measure(
        practiceMessage({ card, question, reason: 'review', promptId: 1_000_000_000 }, moduleTitle, true),
        `${question.id} (practice)`,
        problems,
      );
    }
  }

  return {
    problems,
    topics: { covered: track.syllabus.length - missing.length, total: track.syllabus.length, missing },
    cards: track.cards.length,
    questions: questions.length,
    kinds,
    positions,
    modules: track.modules.map((m) => ({
      id: m.id,
      cards: m.cards.length,
      questions: m.cards.reduce((n, c) => n + c.questions.length, 0),
    })),
  };
}
