// A drill post stays within what a member reads in fifteen seconds: the brief gives way to the question.
import { describe, expect, it } from 'vitest';
import { discordVisibleText, renderMessage } from '../../src/adapters/discord/discord-render.ts';
import { renderSlackMessage } from '../../src/adapters/slack/slack-render.ts';
import { slackVisibleText } from '../../src/adapters/slack/slack-visible.ts';
import type { Question, StudyCard } from '../../src/content/track.ts';
import { DRILL_VISIBLE_MAX, drillMessage } from '../../src/deliveries/messages.ts';

const sentence = (word: string) =>
  `${word[0]!.toUpperCase()}${word.slice(1)} ${`${word} `.repeat(10).trim()}.`;
const brief = ['alpha', 'bravo', 'delta', 'gamma', 'omega'].map(sentence).join(' ');

function questionWith(optionLength: number, stem: string): Question {
  const option = (c: string) => ({ text: c.repeat(optionLength), correct: false, why: 'No.' });
  return {
    id: 'm.c.q1',
    cardId: 'm.c',
    moduleId: 'm',
    kind: 'recall',
    stem,
    options: [{ ...option('a'), correct: true, why: '' }, option('b'), option('c'), option('d')],
    correctIndex: 0,
    explanation: 'Because.',
  };
}

const card = (question: Question): StudyCard => ({
  id: 'm.c',
  moduleId: 'm',
  index: 0,
  title: 'A card whose title is as long as a title may be, near seventy chars',
  topics: ['m.t'],
  difficulty: 2,
  brief,
  summary: brief,
  points: ['one', 'two', 'three'],
  sources: [{ title: 'RFC 9110', url: 'https://www.rfc-editor.org/rfc/rfc9110' }],
  questions: [question],
});
const track = { id: 'backend', module: () => ({ id: 'm', title: 'Module', cards: [] }) };
const day = { id: 7, studyDay: 365, late: true, localDate: '2026-12-31', isReview: true, reviewDue: 10_000 };

const longStem = `${'Which of these holds when the stem is long '.repeat(6).trim()}?`;

function drill(optionLength: number, stem = longStem) {
  const q = questionWith(optionLength, stem);
  const message = drillMessage(track, card(q), q, day, 10_000);
  return {
    sections: message.card!.sections.map((s) => s.body),
    slack: slackVisibleText(renderSlackMessage(message)).length,
    discord: discordVisibleText(renderMessage(message)).length,
  };
}

describe('a drill post', () => {
  it('shows the whole brief when the question leaves room for it', () => {
    const d = drill(10, 'Which holds?');
    expect(d.sections).toContain(brief);
    expect(Math.max(d.slack, d.discord)).toBeLessThanOrEqual(DRILL_VISIBLE_MAX);
  });

  it("shows the brief's first whole sentences when the whole would pass the limit on either platform", () => {
    const d = drill(60);
    const shown = d.sections.find((s) => s.startsWith('Alpha'));
    expect(shown).toBeDefined();
    expect(brief.startsWith(shown!)).toBe(true);
    expect(shown!.length).toBeLessThan(brief.length);
    expect(shown).toMatch(/\.$/);
    expect(Math.max(d.slack, d.discord)).toBeLessThanOrEqual(DRILL_VISIBLE_MAX);
  });

  it('leaves the brief to Read the card when the question and options fill the post', () => {
    const d = drill(150);
    expect(d.sections.some((s) => s.startsWith('Alpha'))).toBe(false);
  });
});
