/**
 * What a click on a drill answer asks of the database: the delivery and its drill in one read before the
 * answer is stored (the unique key, not a lookup, decides which answer counts), the three boards in one
 * statement, and the streak replayed from one read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createStatementLog, tablesRead } from '../helpers/statement-log.ts';

const LETTERS = ['A', 'B', 'C', 'D'] as const;
const ana = member('Ana');

describe.each(backends)('the statements of a drill answer on $name', (backend) => {
  const log = createStatementLog();
  let h: Harness;
  let drill: OutboundMessage;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z', { plugins: [log.plugin] });
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    drill = await h.say(ana, 'today'); // opens day 1; Ana is a known member from here on
  });
  afterEach(async () => {
    await h.close();
  });

  const right = () => LETTERS[h.track.cards[0]!.questions[0]!.correctIndex]!;

  it('reads the delivery with its drill once, stores the answer, and replays the streak from one read', async () => {
    log.start();
    const reply = await h.click(ana, button(drill, right()));
    const sql = log.stop(h.db.handle.db);
    expect(reply.card?.footer).toContain('+10 points');
    expect(reply.card?.footer).toContain('Streak: 1 study day');

    const insertAt = sql.findIndex((s) => s.startsWith('insert into "answers"'));
    // Before the insert: one read, of the delivery and its drill together; no lookup of an earlier answer.
    expect(sql.slice(0, insertAt).map((s) => tablesRead(s).sort())).toEqual([['deliveries', 'drills']]);
    expect(sql.filter((s) => s.startsWith('insert into "member_points"'))).toHaveLength(1);
    // After it, besides the memory of the card: one read of the study days with the member's answers.
    const reads = sql.slice(insertAt + 1).filter((s) => s.startsWith('select'));
    const streakReads = reads.filter((s) => !tablesRead(s).includes('card_memory'));
    expect(streakReads.map((s) => tablesRead(s).sort())).toEqual([['answers', 'deliveries']]);
    expect(sql.filter((s) => tablesRead(s).includes('drills'))).toHaveLength(1);
  });

  it('adds the answer to its week, month and all-time boards', async () => {
    await h.click(ana, button(drill, right()));
    const boards = await h.db.handle.db
      .selectFrom('member_points')
      .select(['period', 'points', 'answers', 'correct'])
      .where('user_id', '=', ana.userId)
      .orderBy('period')
      .execute();
    expect(boards).toEqual([
      { period: 'all', points: 10, answers: 1, correct: 1 },
      { period: 'month', points: 10, answers: 1, correct: 1 },
      { period: 'week', points: 10, answers: 1, correct: 1 },
    ]);
  });

  it('a second click, even after the drill closed, is told which answer counts and changes nothing', async () => {
    const wrong = LETTERS[(LETTERS.indexOf(right()) + 1) % 4]!;
    await h.click(ana, button(drill, right()));
    const again = await h.click(ana, button(drill, wrong));
    expect(again.text).toBe(`You already answered ${right()} (correct); the first answer is final.`);
    h.clock.set('2026-11-21T10:00:00Z');
    await h.say(ana, 'today'); // day 2 opens and closes day 1
    const late = await h.click(ana, button(drill, wrong));
    expect(late.text).toBe(`You already answered ${right()} (correct); the first answer is final.`);
    const points = await h.db.handle.db
      .selectFrom('member_points')
      .select(['points', 'answers'])
      .where('user_id', '=', ana.userId)
      .where('period', '=', 'all')
      .executeTakeFirstOrThrow();
    expect(points).toEqual({ points: 10, answers: 1 });
  });
});
