import { describe, expect, it } from 'vitest';
import { sentencesWithin } from '../../src/content/brief.ts';

describe('whole sentences within a limit', () => {
  it('are the whole text when it fits', () => {
    expect(sentencesWithin('One sentence. Two sentences.', 350)).toBe('One sentence. Two sentences.');
  });

  it('otherwise keep the whole sentences that fit, never cutting one (an "e.g. x" is no sentence end)', () => {
    const first = `${'a'.repeat(200)}, e.g. this.`;
    const second = `Then ${'b'.repeat(120)}.`;
    const third = `Finally ${'c'.repeat(100)}.`;
    const short = sentencesWithin(`${first} ${second} ${third}`, 350);
    expect(short).toBe(`${first} ${second}`);
    expect(short.length).toBeLessThanOrEqual(350);
  });

  it('cut a first sentence longer than the limit at a word, with an ellipsis', () => {
    const short = sentencesWithin(`${'word '.repeat(100).trim()}.`, 350);
    expect(short.length).toBeLessThanOrEqual(350);
    expect(short).toMatch(/word…$/);
  });
});
