// Every answer records the content version the member saw, for drills and practice alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const ana = member('Ana');

describe.each(backends)('answers record the content version on $name', (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
  });
  afterEach(async () => {
    await h.close();
  });

  it('a drill answer and a practice answer carry the loaded track version', async () => {
    expect(h.track.version).toMatch(/^[0-9a-f]{12}$/);
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const drill = await h.say(ana, 'today');
    await h.click(ana, button(drill, 'A'));
    // Practice never gives a drill away: a day on, day 2 opens and day 1's card may be practised.
    h.clock.advance(24 * 60 * 60 * 1000);
    await h.say(ana, 'today');
    const practice = await h.say(ana, 'quiz');
    const stem = practice.card!.sections[0]!.body.split('\n')[0]!.replace(/\*\*/g, '');
    const q = h.track.cards.flatMap((c) => c.questions).find((x) => x.stem === stem)!;
    await h.say(ana, `answer ${LETTERS[q.correctIndex]}`);

    const rows = await h.db.handle.db
      .selectFrom('answers')
      .select(['delivery_id', 'practice_id', 'content_version'])
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.delivery_id).not.toBeNull();
    expect(rows[1]!.practice_id).not.toBeNull();
    for (const row of rows) expect(row.content_version).toBe(h.track.version);
  });
});
