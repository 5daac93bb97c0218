import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDigestJob } from '../../src/cohorts/digest.ts';
import type { ChannelRef } from '../../src/core/types.ts';
import { createReminderJob } from '../../src/reminders/reminders.ts';
import { backends } from '../helpers/databases.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const channel = (id: string): ChannelRef => ({ ...CHANNEL, channelId: id });

describe.each(backends)('due times of periodic jobs on $name', (backend) => {
  let h: Harness;
  let fake: ReturnType<typeof createRecordingPublisher>;
  beforeEach(async () => {
    h = await createHarness(backend, '2027-03-19T10:00:00Z');
    fake = createRecordingPublisher('slack');
  });
  afterEach(async () => {
    await h.close();
  });

  const run = async (job: typeof createReminderJob, at: string) => {
    h.clock.set(at);
    return job(h.study.deps).run(h.clock.now(), fake.publishers);
  };
  const reminderDue = async () =>
    Object.fromEntries(
      (
        await h.db.handle.db
          .selectFrom('members')
          .select(['user_id', 'reminder_due_at'])
          .where('remind_enabled', '=', true)
          .execute()
      ).map((r) => [r.user_id, r.reminder_due_at?.toISOString() ?? null]),
    );
  const digestDue = async () =>
    Object.fromEntries(
      (await h.db.handle.db.selectFrom('cohorts').select(['name', 'digest_due_at']).execute()).map((r) => [
        r.name,
        r.digest_due_at?.toISOString() ?? null,
      ]),
    );

  it('a reminder run reads only the members whose reminder is due, and moves each to its next time', async () => {
    await h.say(boss, 'cohort create "Daily" start:2027-03-22 weeks:2 days:daily time:09:00 tz:UTC');
    const early = Array.from({ length: 4 }, (_, i) => member(`Early${i}`));
    const late = Array.from({ length: 6 }, (_, i) => member(`Late${i}`));
    for (const who of [...early, ...late]) await h.say(who, 'cohort join');
    for (const who of early) await h.say(who, 'remind on 12:00');
    for (const who of late) await h.say(who, 'remind on 20:00');
    // Every member is due from the day they turned reminders on; Sunday is before the programme: none sent.
    expect(await run(createReminderJob, '2027-03-21T23:00:00Z')).toMatchObject({ checked: 10, sent: 0 });
    h.clock.set('2027-03-22T10:00:00Z');
    await h.say(boss, 'today'); // opens Monday's drill

    const first = await run(createReminderJob, '2027-03-22T12:00:00Z');
    expect(first).toMatchObject({ checked: 4, sent: 4 });
    const due = await reminderDue();
    for (const who of early) expect(due[who.userId]).toBe('2027-03-23T12:00:00.000Z');
    for (const who of late) expect(due[who.userId]).toBe('2027-03-22T20:00:00.000Z');

    // Nothing is due between the two times: a run reads no member at all.
    expect(await run(createReminderJob, '2027-03-22T15:00:00Z')).toMatchObject({ checked: 0, sent: 0 });
    expect(await run(createReminderJob, '2027-03-22T20:00:00Z')).toMatchObject({ checked: 6, sent: 6 });
    expect(fake.directs).toHaveLength(10);

    // Off: never read again; on again: due from today's time.
    await h.say(early[0]!, 'remind off');
    expect(await run(createReminderJob, '2027-03-23T12:00:00Z')).toMatchObject({ checked: 3 });
    await h.say(early[0]!, 'remind on 13:00');
    expect((await reminderDue())[early[0]!.userId]).toBe('2027-03-23T13:00:00.000Z');
  });

  it('a reminder keeps its local time across the spring daylight-saving change', async () => {
    // Monday to Friday: the weekend has no drill to wait for, so each run moves the reminder a day on.
    await h.say(boss, 'cohort create "Berlin" start:2027-03-22 weeks:2 time:09:00 tz:Europe/Berlin');
    const ana = member('Ana');
    await h.say(ana, 'cohort join');
    await h.say(ana, 'remind on 18:00');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-19T17:00:00.000Z'); // 18:00 CET

    await run(createReminderJob, '2027-03-27T17:00:00Z'); // Saturday 18:00 CET
    // Europe/Berlin moves to CEST on Sunday 28 March: 18:00 is 16:00 UTC from then on.
    expect((await reminderDue())[ana.userId]).toBe('2027-03-28T16:00:00.000Z');
    await run(createReminderJob, '2027-03-28T16:00:00Z');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-29T16:00:00.000Z');
  });

  it('a digest run reads only the cohorts due, and the next Monday keeps the local time across DST', async () => {
    await h.say(
      boss,
      'cohort create "Morning" start:2027-03-15 weeks:4 time:09:00 tz:Europe/Berlin',
      channel('C1'),
    );
    await h.say(
      boss,
      'cohort create "Noon" start:2027-03-15 weeks:4 time:12:00 tz:Europe/Berlin',
      channel('C2'),
    );
    // Created now, due now: the first run works out each one's first Monday.
    expect(await run(createDigestJob, '2027-03-19T10:00:00Z')).toMatchObject({ checked: 2, sent: 0 });
    expect(await digestDue()).toEqual({
      Morning: '2027-03-22T08:00:00.000Z', // Monday 09:00 CET
      Noon: '2027-03-22T11:00:00.000Z',
    });

    expect(await run(createDigestJob, '2027-03-22T08:00:00Z')).toMatchObject({ checked: 1, sent: 1 });
    // The next Monday is in CEST: 09:00 there is 07:00 UTC.
    expect(await digestDue()).toEqual({
      Morning: '2027-03-29T07:00:00.000Z',
      Noon: '2027-03-22T11:00:00.000Z',
    });
    expect(await run(createDigestJob, '2027-03-22T09:00:00Z')).toMatchObject({ checked: 0 });
    expect(await run(createDigestJob, '2027-03-22T11:00:00Z')).toMatchObject({ checked: 1, sent: 1 });
  });

  it('a digest is due no more once the programme’s last week has had its digest', async () => {
    await h.say(boss, 'cohort create "Short" start:2027-03-22 weeks:1 time:09:00 tz:UTC');
    await run(createDigestJob, '2027-03-19T10:00:00Z');
    expect(await digestDue()).toEqual({ Short: '2027-03-29T09:00:00.000Z' });
    expect(await run(createDigestJob, '2027-03-29T09:00:00Z')).toMatchObject({ checked: 1, sent: 1 });
    expect(await digestDue()).toEqual({ Short: null });
  });

  it('a schedule change has the jobs look again at once, so an earlier time still applies today', async () => {
    await h.say(boss, 'cohort create "Daily" start:2027-03-22 weeks:2 days:daily time:09:00 tz:UTC');
    const ana = member('Ana');
    await h.say(ana, 'cohort join');
    await h.say(ana, 'remind on 18:00');
    await run(createReminderJob, '2027-03-22T10:00:00Z');
    await run(createDigestJob, '2027-03-22T10:00:00Z');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-22T18:00:00.000Z');

    // The channel moves to New York (UTC-4 in March): Ana's 18:00 is now 22:00 UTC, the digest's 09:00 13:00 UTC.
    h.clock.set('2027-03-22T11:00:00Z');
    await h.say(boss, 'schedule set 09:00 daily America/New_York');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-22T11:00:00.000Z');
    await run(createReminderJob, '2027-03-22T11:00:00Z');
    await run(createDigestJob, '2027-03-22T11:00:00Z');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-22T22:00:00.000Z');
    expect(await digestDue()).toEqual({ Daily: '2027-03-29T13:00:00.000Z' });
  });

  it('a reminder due before the drill opens waits for it: at its time, or at once when it opens early', async () => {
    await h.say(boss, 'cohort create "Daily" start:2027-03-22 weeks:2 days:daily time:09:00 tz:UTC');
    const ana = member('Ana');
    await h.say(ana, 'cohort join');
    await h.say(ana, 'remind on 08:00');
    await run(createReminderJob, '2027-03-22T08:00:00Z');
    expect(fake.attempts).toEqual([]);
    expect((await reminderDue())[ana.userId]).toBe('2027-03-22T09:00:00.000Z');
    h.clock.set('2027-03-22T09:00:00Z');
    await h.say(boss, 'today');
    expect(await run(createReminderJob, '2027-03-22T09:00:00Z')).toMatchObject({ checked: 1, sent: 1 });
    expect((await reminderDue())[ana.userId]).toBe('2027-03-23T08:00:00.000Z');

    await run(createReminderJob, '2027-03-23T08:00:00Z');
    expect((await reminderDue())[ana.userId]).toBe('2027-03-23T09:00:00.000Z');
    h.clock.set('2027-03-23T08:30:00Z');
    await h.say(boss, 'drill now');
    expect(await run(createReminderJob, '2027-03-23T08:30:00Z')).toMatchObject({ checked: 1, sent: 1 });
  });
});
