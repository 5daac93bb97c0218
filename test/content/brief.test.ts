import { describe, expect, it } from 'vitest';
import { BRIEF_MAX, cardBrief } from '../../src/content/brief.ts';

describe('a card brief', () => {
  it('is the written brief when the card has one', () => {
    expect(cardBrief({ brief: 'Short and ours.', summary: 'A longer summary.' })).toBe('Short and ours.');
  });

  it('is the whole summary when it fits', () => {
    expect(cardBrief({ summary: 'One sentence. Two sentences.' })).toBe('One sentence. Two sentences.');
  });

  it('otherwise keeps the whole sentences that fit, never cutting one (an "e.g. x" is no sentence end)', () => {
    const first = `${'a'.repeat(200)}, e.g. this.`;
    const second = `Then ${'b'.repeat(120)}.`;
    const third = `Finally ${'c'.repeat(100)}.`;
    const brief = cardBrief({ summary: `${first} ${second} ${third}` });
    expect(brief).toBe(`${first} ${second}`);
    expect(brief.length).toBeLessThanOrEqual(BRIEF_MAX);
  });

  it('cuts a first sentence longer than the limit at a word, with an ellipsis', () => {
    const brief = cardBrief({ summary: `${'word '.repeat(100).trim()}.` });
    expect(brief.length).toBeLessThanOrEqual(BRIEF_MAX);
    expect(brief).toMatch(/word…$/);
  });
});
