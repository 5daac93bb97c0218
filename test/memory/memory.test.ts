import type { Kysely } from 'kysely';
import { createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/core/log.ts';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import {
  channelRetention,
  channelReviewCandidate,
  dueCards,
  type MemberRef,
  memberMemory,
  memorySummary,
  recomputeMember,
  recordReview,
  replayMember,
} from '../../src/memory/memory.ts';
import { backends, type TestDatabase } from '../helpers/databases.ts';
import { MIGRATION_NAMES } from '../helpers/migrations.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-11-02T09:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const member = (userId: string): MemberRef => ({ platform: 'slack', workspaceId: 'T1', userId });
const U1 = member('U1');

async function answer(
  db: Kysely<Database>,
  who: MemberRef,
  cardId: string,
  correct: boolean,
  when: Date,
): Promise<number> {
  // Stored as practice answers (each answer needs its prompt); the review's source is passed on its own.
  const prompt = await db
    .insertInto('practice_prompts')
    .values({
      platform: who.platform,
      workspace_id: who.workspaceId,
      channel_id: 'C1',
      user_id: who.userId,
      card_id: cardId,
      question_id: `${cardId}.q1`,
      reason: 'review',
      created_at: when,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('answers')
    .values({
      practice_id: prompt.id,
      platform: who.platform,
      workspace_id: who.workspaceId,
      user_id: who.userId,
      module_id: 'm',
      card_id: cardId,
      question_id: `${cardId}.q1`,
      choice: correct ? 0 : 1,
      correct,
      points: 0,
      answered_at: when,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function review(
  db: Kysely<Database>,
  who: MemberRef,
  cardId: string,
  correct: boolean,
  when: Date,
  source: 'drill' | 'practice' = 'practice',
) {
  const answerId = await answer(db, who, cardId, correct, when);
  return recordReview(db, {
    member: who,
    cardId,
    questionId: `${cardId}.q1`,
    correct,
    source,
    answerId,
    at: when,
  });
}

describe.each(backends)('memory on $name', (backend) => {
  let t: TestDatabase;
  let db: Kysely<Database>;
  beforeEach(async () => {
    t = await backend.open();
    db = t.handle.db;
    await db.insertInto('workspaces').values({ platform: 'slack', workspace_id: 'T1' }).execute();
  });
  afterEach(async () => {
    await t.drop();
  });

  it('a card answered right comes back later than one answered wrong', async () => {
    const right = await review(db, U1, 'c.right', true, at(0));
    const wrong = await review(db, U1, 'c.wrong', false, at(0));
    expect(right.memory.due.getTime()).toBeGreaterThan(wrong.memory.due.getTime());
    // After a day, only the missed card is due.
    expect((await dueCards(db, U1, at(1))).map((c) => c.cardId)).toEqual(['c.wrong']);
  });

  it('intervals grow with successive correct answers', async () => {
    let when = at(0);
    const intervals: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { memory } = await review(db, U1, 'c', true, when);
      intervals.push(memory.due.getTime() - when.getTime());
      when = memory.due;
    }
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]).toBeGreaterThan(intervals[i - 1]!);
    // A miss shortens the next interval again.
    const { memory } = await review(db, U1, 'c', false, when);
    expect(memory.due.getTime() - when.getTime()).toBeLessThan(intervals.at(-1)!);
    expect(memory.lapses).toBe(1);
  });

  it('states recomputed from the review log equal the stored states', async () => {
    const cards = ['a', 'b', 'c', 'd'];
    // A seeded mix of right and wrong answers on several cards over 40 days, one answer arriving late.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let day = 0; day < 40; day++) {
      await review(db, U1, cards[Math.floor(rand() * cards.length)]!, rand() < 0.7, at(day + rand()));
    }
    await review(db, U1, 'a', false, at(20.5));
    const stored = await memberMemory(db, U1);
    expect(stored.length).toBeGreaterThan(1);
    expect(await replayMember(db, U1)).toEqual(stored);
    // And a recompute leaves them as they were.
    expect(await recomputeMember(db, U1, at(41))).toEqual(stored);
    expect(await memberMemory(db, U1)).toEqual(stored);
  });

  it('records each answer once: a redelivered answer does not count twice', async () => {
    const answerId = await answer(db, U1, 'c', true, at(0));
    const input = {
      member: U1,
      cardId: 'c',
      questionId: 'c.q1',
      correct: true,
      source: 'practice' as const,
      answerId,
      at: at(0),
    };
    const first = await recordReview(db, input);
    const again = await recordReview(db, { ...input, at: at(3) });
    expect(first.recorded).toBe(true);
    expect(again.recorded).toBe(false);
    expect(again.memory).toEqual(first.memory);
    expect((await memberMemory(db, U1))[0]!.memory.reps).toBe(1);
    expect(await db.selectFrom('reviews').select('id').execute()).toHaveLength(1);
  });

  it('orders due cards by lowest retrievability and sums them up for `me`', async () => {
    await review(db, U1, 'recent-miss', false, at(9));
    await review(db, U1, 'old-miss', false, at(1));
    await review(db, U1, 'known', true, at(9));
    const now = at(10.1);
    const due = await dueCards(db, U1, now);
    expect(due.map((c) => c.cardId)).toEqual(['old-miss', 'recent-miss']);
    expect(due[0]!.retrievability).toBeLessThan(due[1]!.retrievability);
    const summary = await memorySummary(db, U1, now, 'UTC');
    expect(summary.dueNow).toBe(2);
    expect(summary.seen).toBe(3);
    expect(summary.retention).toBeGreaterThan(0);
    expect(summary.retention).toBeLessThan(1);
    // Practice on days 9 and 10 (not yet on day 10 itself: yesterday still counts), not on day 8.
    expect(summary.streak).toBe(1);
    await review(db, U1, 'known', true, at(10.05));
    expect((await memorySummary(db, U1, now, 'UTC')).streak).toBe(2);
    // Drill answers are reviews but do not make the practice streak.
    await review(db, U1, 'x', true, at(8), 'drill');
    expect((await memorySummary(db, U1, now, 'UTC')).streak).toBe(2);
  });

  it('a review drill picks the taught card most members are closest to forgetting', async () => {
    const members = ['U1', 'U2', 'U3', 'U4', 'U5'].map(member);
    // Seeded scenario: "forgotten" was missed by four members two weeks ago; "fresh" was answered right by all
    // yesterday; "one-miss" was missed by a single member; "untaught" was missed by everyone but is not taught.
    for (const [i, m] of members.entries()) {
      await review(db, m, 'forgotten', i === 0, at(0), 'drill');
      await review(db, m, 'fresh', true, at(13), 'drill');
      await review(db, m, 'one-miss', i !== 0, at(5), 'drill');
      await review(db, m, 'untaught', false, at(1), 'drill');
    }
    // Someone outside the channel forgot "one-miss" as well: not counted.
    await review(db, member('U9'), 'one-miss', false, at(0), 'drill');
    const ids = members.map((m) => m.userId);
    const taught = ['forgotten', 'one-miss', 'fresh'];
    const now = at(14);
    const pick = await channelReviewCandidate(db, { platform: 'slack', workspaceId: 'T1' }, ids, taught, now);
    expect(pick?.cardId).toBe('forgotten');
    expect(pick?.members).toBe(5);
    // The one right answer was due again after a couple of days, so all five have it due.
    expect(pick?.due).toBe(5);
    // Σ(1 − R), checked against ts-fsrs directly.
    const f = fsrs({ enable_short_term: false, enable_fuzz: false });
    const r = (correct: boolean) =>
      f.get_retrievability(
        f.next(createEmptyCard(at(0)), at(0), correct ? Rating.Good : Rating.Again).card,
        now,
        false,
      );
    expect(pick?.forgetting).toBeCloseTo(4 * (1 - r(false)) + (1 - r(true)), 10);
    const mean = await channelRetention(db, { platform: 'slack', workspaceId: 'T1' }, ids, taught, now);
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThan(1);
  });
});

describe.each(backends)('memory migration on $name', (backend) => {
  it('replays the answers given before it into reviews and states', async () => {
    const { handle, drop } = await backend.open();
    const db = handle.db;
    try {
      // Back to just before the memory migration (the migrations after it first).
      const later = MIGRATION_NAMES.filter((n) => n > '20261203080000_memory').reverse();
      for (const name of later) expect(await migrateDown(db, silentLog)).toEqual([name]);
      expect(await migrateDown(db, silentLog)).toEqual(['20261203080000_memory']);
      await db.insertInto('workspaces').values({ platform: 'slack', workspace_id: 'T1' }).execute();
      const outcomes = [true, false, true, true, false, true];
      for (const [i, correct] of outcomes.entries()) {
        await answer(db, U1, i % 2 === 0 ? 'a' : 'b', correct, at(i * 1.5));
        await answer(db, member('U2'), 'a', !correct, at(i));
      }
      expect(await migrateToLatest(db, silentLog)).toEqual([
        '20261203080000_memory',
        ...[...later].reverse(),
      ]);
      expect(await db.selectFrom('reviews').select('id').execute()).toHaveLength(12);
      for (const m of [U1, member('U2')]) {
        const stored = await memberMemory(db, m);
        expect(stored.length).toBeGreaterThan(0);
        expect(stored).toEqual(await replayMember(db, m));
      }
      // Later answers continue from the replayed states.
      const answerId = await answer(db, U1, 'a', true, at(20));
      const next = await recordReview(db, {
        member: U1,
        cardId: 'a',
        questionId: 'a.q1',
        correct: true,
        source: 'practice',
        answerId,
        at: at(20),
      });
      expect(next.memory.reps).toBe(4);
    } finally {
      await drop();
    }
  });
});
