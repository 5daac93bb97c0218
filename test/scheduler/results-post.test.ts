/**
 * The results moment: a revealed drill gets one reply saying how the channel did, the answer and why, with a
 * link back; "My answer" shows a member their own outcome. The reply lands once through failures, timeouts and
 * a process that dies after the platform took the post and before the database heard of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LETTERS } from '../../src/content/track.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { createDispatcher, type Dispatcher } from '../../src/deliveries/dispatcher.ts';
import { MY_ANSWER_ACTION } from '../../src/deliveries/results-message.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform, type FakePlatform, isReveal } from '../helpers/fake-publisher.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';

const HOUR = 3_600_000;

describe.each(backends)('the results post on $name', (backend) => {
  let h: Harness;
  let slack: FakePlatform;
  let dispatcher: Dispatcher;

  async function setup(opts: Parameters<typeof createFakePlatform>[1] = {}, postTimeoutMs?: number) {
    h = await createHarness(backend, '2026-11-23T08:00:00Z');
    slack = createFakePlatform('slack', opts);
    dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR, ...(postTimeoutMs ? { postTimeoutMs } : {}) },
    );
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
  }
  async function at(instant: string) {
    h.clock.set(instant);
    return dispatcher.runOnce();
  }
  const replies = () => [...slack.messages.values()].filter((m) => m.replyTo);
  const drills = () => [...slack.messages.values()].filter((m) => !m.replyTo);

  /** Day 1 posted and answered by three members, two of them right. */
  async function answeredDay1() {
    await at('2026-11-23T09:00:05Z');
    const day1 = drills()[0]!;
    const question = h.track.question(
      (await h.db.handle.db.selectFrom('deliveries').select('question_id').executeTakeFirstOrThrow())
        .question_id,
    )!;
    const right = LETTERS[question.correctIndex]!;
    const wrong = LETTERS[(question.correctIndex + 1) % 4]!;
    await h.click(member('Ana'), button(day1.message, right));
    await h.click(member('Ben'), button(day1.message, right));
    await h.click(member('Cy'), button(day1.message, wrong));
    return { day1, question, right };
  }

  afterEach(async () => {
    await h?.close();
  });

  it('replies to the revealed drill with the share right, the answer, why and a link back', async () => {
    await setup();
    const { day1, question, right } = await answeredDay1();
    expect(await at('2026-11-24T09:00:05Z')).toMatchObject({ posted: 1, revealed: 1 });
    expect(day1.versions.filter(isReveal)).toHaveLength(1);
    const [reply] = replies();
    expect(reply!.replyTo).toBe(day1.id);
    expect(reply!.key).toBe(
      `results-${(await h.db.handle.db.selectFrom('deliveries').select('id').orderBy('id').executeTakeFirstOrThrow()).id}`,
    );
    const text = reply!.message.text;
    expect(text).toContain('2 of 3 got it right (67%)');
    expect(text).toContain(
      `The answer: ${right}. ${question.options[question.correctIndex]!.text.replace(/`/g, '')}`,
    );
    expect(text).toMatch(/Why: \S/);
    expect(text).toContain(`Back to the drill (https://chat.example/C1/${day1.id})`);
    const row = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['results_message_id'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(row.results_message_id).toBe(reply!.id);
    // A later run does nothing more.
    await at('2026-11-24T09:30:05Z');
    expect(replies()).toHaveLength(1);

    // Each member sees their own outcome, privately.
    const mine = reply!.message.card!.buttons!.find((b) => b.actionId === MY_ANSWER_ACTION)!;
    expect((await h.click(member('Ana'), mine)).text).toMatch(/^You chose \*\*.+: ✅ right · \+10 points$/);
    expect((await h.click(member('Cy'), mine)).text).toMatch(/❌ the answer is [A-D] · \+2 points$/);
    const outsider = await h.click(member('Dee'), mine);
    expect(outsider).toMatchObject({ text: 'You did not answer this drill.', visibility: 'ephemeral' });
  });

  it('a failed results post retries the reveal when its lease lapses, and replies once', async () => {
    await setup();
    await answeredDay1();
    slack.fault = (op, key, attempt) =>
      op === 'post' && key.startsWith('results-') && attempt === 1 ? 'server-error' : 'ok';
    expect(await at('2026-11-24T09:00:05Z')).toMatchObject({ revealed: 0 });
    expect(replies()).toHaveLength(0);
    expect(await at('2026-11-24T09:02:05Z')).toMatchObject({ revealed: 1 });
    expect(replies()).toHaveLength(1);
  });

  it.each([
    ['Slack finds the earlier attempt in the channel', { findsEarlier: true }],
    ['Discord drops the repeated nonce', { dedupeByKey: true }],
  ])('a results post that landed unheard is not posted again: %s', async (_, opts) => {
    await setup(opts, 50);
    await answeredDay1();
    // The platform takes the reply, but the answer never comes back (the process might as well have died).
    slack.fault = (op, key, attempt) =>
      op === 'post' && key.startsWith('results-') && attempt === 1 ? 'hang-after' : 'ok';
    expect(await at('2026-11-24T09:00:05Z')).toMatchObject({ revealed: 0 });
    expect(replies()).toHaveLength(1);
    const attempted = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['results_attempted_at', 'results_message_id'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(attempted.results_attempted_at).not.toBeNull();
    expect(attempted.results_message_id).toBeNull();
    expect(await at('2026-11-24T09:02:05Z')).toMatchObject({ revealed: 1 });
    expect(replies()).toHaveLength(1);
    const row = await h.db.handle.db
      .selectFrom('deliveries')
      .select('results_message_id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(row.results_message_id).toBe(replies()[0]!.id);
  });
});
