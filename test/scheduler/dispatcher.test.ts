import { afterEach, describe, expect, it } from 'vitest';
import { ALL_DAYS, WEEKDAYS } from '../../src/core/commands/options.ts';
import type { ChannelRef } from '../../src/core/types.ts';
import { createDispatcher, type Dispatcher } from '../../src/deliveries/dispatcher.ts';
import { backends } from '../helpers/databases.ts';
import { createFakePlatform, type FakePlatform, isReveal } from '../helpers/fake-publisher.ts';
import { button, CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';

const HOUR = 3_600_000;

describe.each(backends)('scheduled drills on $name', (backend) => {
  let h: Harness;
  let slack: FakePlatform;
  let dispatcher: Dispatcher;

  async function setup(start: string, opts: { catchupHours?: number } = {}) {
    h = await createHarness(backend, start);
    slack = createFakePlatform('slack');
    dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: (opts.catchupHours ?? 6) * HOUR },
    );
  }
  /** Moves the clock and runs the scheduler, as the minute ticker would. */
  async function at(instant: string) {
    h.clock.set(instant);
    return dispatcher.runOnce();
  }
  /** The drills posted, without the results replies made at reveal. */
  const posts = () => [...slack.messages.values()].filter((m) => !m.replyTo);

  afterEach(async () => {
    await h?.close();
  });

  it('posts each study day once at its local time, and reveals it when the next one opens', async () => {
    await setup('2026-11-23T07:00:00Z'); // a Monday
    await h.drill({ timeOfDay: '09:00', days: WEEKDAYS, timezone: 'Europe/Berlin' });

    expect((await at('2026-11-23T07:59:00Z')).posted).toBe(0);
    const first = await at('2026-11-23T08:00:05Z');
    expect(first).toMatchObject({ opened: 1, posted: 1, late: 0 });
    expect(await at('2026-11-23T08:01:05Z')).toMatchObject({ opened: 0, posted: 0 });
    expect(posts()).toHaveLength(1);
    const day1 = posts()[0]!;
    expect(day1.message.card?.title).toMatch(/^Day 1 · /);
    expect(day1.message.card?.buttons?.map((b) => b.key)).toEqual(['A', 'B', 'C', 'D', 'R']);

    // Two members answer: one right, one wrong.
    const today = await h.say(member('Ana'), 'today');
    const question = h.track.question(
      (await h.study.currentDelivery((await h.study.getDrill(CHANNEL))!))!.questionId,
    )!;
    const right = 'ABCD'[question.correctIndex] as 'A';
    const wrong = 'ABCD'[(question.correctIndex + 1) % 4] as 'A';
    await h.click(member('Ana'), button(today, right));
    await h.click(member('Ben'), button(today, wrong));

    // Tuesday 09:00 Berlin: day 2 posts and day 1 is revealed in place with the distribution.
    const second = await at('2026-11-24T08:00:05Z');
    expect(second).toMatchObject({ posted: 1, revealed: 1 });
    expect(isReveal(day1.message)).toBe(true);
    expect(day1.message.card?.title).toContain(`answer: ${right}`);
    expect(day1.message.card?.footer).toContain('2 answered · 50% correct');
    // The reveal teaches every option: why the answer is right, and why each other option is wrong.
    const sections = day1.message.card!.sections;
    expect(sections.find((x) => x.heading === 'Why')?.body).toBe(question.explanation);
    expect(sections.find((x) => x.heading === 'Why not the others')?.body.split('\n')).toEqual(
      question.options.flatMap((o, i) => (i === question.correctIndex ? [] : [`**${'ABCD'[i]}.** ${o.why}`])),
    );
    expect(day1.versions.filter(isReveal)).toHaveLength(1);
    expect(posts()[1]!.message.card?.title).toMatch(/^Day 2 · /);

    // Answers after close are refused with a clear message.
    const late = await h.click(member('Cy'), button(today, right));
    expect(late.text).toMatch(/closed/i);

    // Wednesday to Friday post; Saturday and Sunday are not study days.
    for (const day of ['2026-11-25', '2026-11-26', '2026-11-27'])
      expect((await at(`${day}T08:00:30Z`)).posted).toBe(1);
    for (const day of ['2026-11-28', '2026-11-29']) expect((await at(`${day}T08:30:00Z`)).due).toBe(0);
    expect(posts()).toHaveLength(5);
  });

  it('reveals at the configured time and closes answers then', async () => {
    await setup('2026-11-23T07:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await h.say({ ...member('Boss'), isPlatformAdmin: true }, 'schedule set 09:00 daily UTC reveal:17:00');
    await at('2026-11-24T09:00:05Z');
    const today = await h.say(member('Ana'), 'today');
    expect((await at('2026-11-24T16:59:00Z')).revealed).toBe(0);
    expect((await at('2026-11-24T17:00:30Z')).revealed).toBe(1);
    expect(isReveal(posts()[0]!.message)).toBe(true);
    expect((await h.click(member('Ana'), button(today, 'A'))).text).toMatch(/closed/i);
  });

  it('posts a missed drill once, marked late, within the catch-up window on the same day', async () => {
    await setup('2026-11-23T06:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await at('2026-11-23T06:00:00Z');
    // Down from 06:00 to 14:30: 5.5 hours after the slot.
    const report = await at('2026-11-23T14:30:00Z');
    expect(report).toMatchObject({ posted: 1, late: 1, skipped: 0 });
    expect(posts()[0]!.message.card?.footer).toContain('posted late');
  });

  it('skips a day missed beyond the catch-up window, and that day costs nobody their streak', async () => {
    await setup('2026-11-23T09:00:05Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await at('2026-11-23T09:00:05Z');
    const monday = await h.say(member('Ana'), 'today');
    await h.click(member('Ana'), button(monday, 'A'));
    // Down from Monday 09:01 to Tuesday 15:30: Tuesday's 09:00 is 6.5 hours old.
    const report = await at('2026-11-24T15:30:00Z');
    expect(report).toMatchObject({ posted: 0, skipped: 1 });
    expect(posts()).toHaveLength(1);
    // Wednesday posts as usual and Ana's answer keeps her streak going.
    await at('2026-11-25T09:00:05Z');
    const wednesday = await h.say(member('Ana'), 'today');
    const result = await h.click(member('Ana'), button(wednesday, 'A'));
    expect(result.card?.footer).toContain('Streak: 2 study days');
    const history = await h.say(member('Ana'), 'streak history');
    expect(history.text).not.toContain('2026-11-24');
  });

  it('does not post a slot that passed before the schedule was set', async () => {
    await setup('2026-11-23T14:00:00Z');
    await h.say({ ...member('Boss'), isPlatformAdmin: true }, 'schedule set 09:00 daily UTC');
    expect((await at('2026-11-23T14:01:00Z')).posted).toBe(0);
    expect((await at('2026-11-24T09:00:05Z')).posted).toBe(1);
  });

  it('follows skip, pause and resume', async () => {
    await setup('2026-11-23T08:00:00Z');
    const boss = { ...member('Boss'), isPlatformAdmin: true };
    await h.say(boss, 'schedule set 09:00 mon-fri UTC');
    expect((await h.say(boss, 'schedule skip')).text).toContain('2026-11-23');
    expect((await at('2026-11-23T09:00:05Z')).posted).toBe(0);
    expect((await at('2026-11-24T09:00:05Z')).posted).toBe(1);
    await h.say(boss, 'schedule pause');
    expect((await at('2026-11-25T09:00:05Z')).posted).toBe(0);
    expect((await h.say(member('Ana'), 'schedule show')).text).toContain('paused by Boss');
    h.clock.set('2026-11-25T12:00:00Z');
    await h.say(boss, 'schedule resume');
    expect((await at('2026-11-25T12:00:30Z')).posted).toBe(0); // today's slot passed while paused
    expect((await at('2026-11-26T09:00:05Z')).posted).toBe(1);
    expect(posts().map((p) => p.message.card?.title.slice(0, 6))).toEqual(['Day 1 ', 'Day 2 ']);
  });

  it('drill now posts today at once, and the scheduled slot later that day does not post again', async () => {
    await setup('2026-11-23T07:00:00Z');
    const boss = { ...member('Boss'), isPlatformAdmin: true };
    await h.say(boss, 'schedule set 09:00 daily UTC');
    expect((await h.say(boss, 'drill now')).text).toContain('Posting today');
    expect((await at('2026-11-23T07:00:10Z')).posted).toBe(1);
    expect((await at('2026-11-23T09:00:05Z')).posted).toBe(0);
    expect((await h.say(boss, 'drill now')).text).toContain('already posted');
    expect(posts()).toHaveLength(1);
  });

  it('pauses a drill whose channel is gone, tells its manager, and keeps posting elsewhere', async () => {
    await setup('2026-11-23T08:00:00Z');
    const other: ChannelRef = { ...CHANNEL, channelId: 'C2' };
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, other);
    // By channel: both drills post in the same run, so which delivery gets which id is not fixed.
    slack.fault = (op, _key, _attempt, channelId) =>
      op === 'post' && channelId === 'C1' ? 'permanent' : 'ok';
    const report = await at('2026-11-23T09:00:05Z');
    expect(report).toMatchObject({ posted: 1, failed: 1 });
    const show = await h.say(member('Ana'), 'schedule show');
    expect(show.text).toContain('Paused:** the channel no longer exists');
    expect(slack.directs.map((d) => d.userId)).toEqual(['U-admin']);
    expect(slack.directs[0]!.message.text).toContain('schedule resume');
    expect((await at('2026-11-24T09:00:05Z')).posted).toBe(1);
  });

  it('retries a failing or hanging platform until the drill posts, once', async () => {
    await setup('2026-11-23T08:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const faults = ['server-error', 'rate-limited', 'ok'] as const;
    slack.fault = (op, _key, attempt) => (op === 'post' ? (faults[attempt - 1] ?? 'ok') : 'ok');
    expect((await at('2026-11-23T09:00:05Z')).retrying).toBe(1);
    expect((await at('2026-11-23T09:00:20Z')).posted).toBe(0); // still backing off
    expect((await at('2026-11-23T09:01:05Z')).posted).toBe(1); // 429 waited out by the SDK
    expect((await at('2026-11-23T09:05:05Z')).posted).toBe(0);
    expect(slack.calls.rateLimited).toBe(1);
    expect(posts()).toHaveLength(1);
  });

  it('a post delayed by failures counts the answers given through today before it landed', async () => {
    await setup('2026-11-23T08:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    slack.fault = (op, _key, attempt) => (op === 'post' && attempt === 1 ? 'server-error' : 'ok');
    expect((await at('2026-11-23T09:00:05Z')).retrying).toBe(1);
    const today = await h.say(member('Ana'), 'today');
    await h.click(member('Ana'), button(today, 'A'));
    expect((await at('2026-11-23T09:01:05Z')).posted).toBe(1);
    expect(posts()[0]!.message.card?.footer).toMatch(/ · 1 answered$/);
  });

  it('abandons a platform call that hangs and posts on the retry, once', async () => {
    await setup('2026-11-23T08:00:00Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', slack]]) },
      { catchupMs: 6 * HOUR, postTimeoutMs: 50 },
    );
    slack.fault = (op, _key, attempt) => (op === 'post' && attempt === 1 ? 'hang-before' : 'ok');
    expect((await at('2026-11-23T09:00:05Z')).retrying).toBe(1);
    expect((await at('2026-11-23T09:01:05Z')).posted).toBe(1);
    expect(posts()).toHaveLength(1);
  });

  it('leaves another platform to the process that serves it, without taking its leases', async () => {
    await setup('2026-11-23T08:00:00Z');
    const discordChannel: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: '42' };
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, discordChannel);
    expect((await at('2026-11-23T09:00:05Z')).posted).toBe(1);
    const waiting = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['post_status', 'post_attempts', 'post_lease_until'])
      .where('platform', '=', 'discord')
      .execute();
    expect(waiting).toEqual([{ post_status: 'pending', post_attempts: 0, post_lease_until: null }]);
    const discord = createFakePlatform('discord');
    const other = createDispatcher(
      { ...h.study.deps, publishers: new Map([['discord', discord]]) },
      { catchupMs: 6 * HOUR },
    );
    expect((await other.runOnce()).posted).toBe(1);
    expect(discord.messages.size).toBe(1);
    expect(posts()).toHaveLength(1);
    // Next day both first drills are due to reveal; the Slack process reveals only its own.
    expect((await at('2026-11-24T09:00:05Z')).revealed).toBe(1);
    const discordReveal = await h.db.handle.db
      .selectFrom('deliveries')
      .select(['revealed_at', 'reveal_lease_until'])
      .where('platform', '=', 'discord')
      .where('local_date', '=', '2026-11-23')
      .executeTakeFirstOrThrow();
    expect(discordReveal).toEqual({ revealed_at: null, reveal_lease_until: null });
  });

  it('lets only one of several instances post a due drill', async () => {
    await setup('2026-11-23T08:00:00Z');
    for (let i = 0; i < 5; i++)
      await h.drill(
        { timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' },
        { ...CHANNEL, channelId: `C${i}` },
      );
    const others = [1, 2].map(() =>
      createDispatcher({ ...h.study.deps, publishers: new Map([['slack', slack]]) }, { catchupMs: 6 * HOUR }),
    );
    h.clock.set('2026-11-23T09:00:05Z');
    const reports = await Promise.all([dispatcher, ...others].map((d) => d.runOnce()));
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(5);
    expect(posts()).toHaveLength(5);
  });
});
