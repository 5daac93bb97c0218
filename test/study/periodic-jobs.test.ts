import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderSlackMessage } from '../../src/adapters/slack/slack-render.ts';
import { createDigestJob } from '../../src/cohorts/digest.ts';
import type { ScheduledJob } from '../../src/core/jobs.ts';
import { createReminderJob } from '../../src/reminders/reminders.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const gail = member('Gail');
const ana = member('Ana');
const ben = member('Ben');
const cy = member('Cy');
const LETTERS = ['A', 'B', 'C', 'D'] as const;

describe.each(backends)('weekly digests and streak reminders on $name', (backend) => {
  let h: Harness;
  let fake: ReturnType<typeof createRecordingPublisher>;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = createRecordingPublisher('slack');
  });
  afterEach(async () => {
    await h.close();
  });

  /** Several instances (fresh job objects on the same database, as after restarts) ticking at the same moment. */
  const tick = async (make: (deps: typeof h.study.deps) => ScheduledJob, at: string, instances = 3) => {
    h.clock.set(at);
    const jobs = Array.from({ length: instances }, () => make(h.study.deps));
    return Promise.all(jobs.map((j) => j.run(h.clock.now(), fake.publishers)));
  };
  const answerToday = async (who: typeof ana, right: boolean) => {
    const drill = await h.say(who, 'today');
    const day = Number(/^Day (\d+)/.exec(drill.card!.title)![1]);
    const q = h.track.cards[day - 1]!.questions[0]!;
    await h.click(who, button(drill, LETTERS[right ? q.correctIndex : (q.correctIndex + 1) % 4]!));
  };

  it('sends each week’s digest once, on Monday at the cohort’s local time, to granted managers and the creator', async () => {
    await h.say(boss, `managers add <@${gail.userId}|Gail>`);
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:4 time:09:00 tz:Europe/Berlin');
    await h.say(ana, 'cohort join');
    await h.say(ben, 'cohort join');
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']) {
      h.clock.set(`${day}T10:00:00Z`);
      await answerToday(ana, true);
      if (day === '2026-11-23') await answerToday(ben, false);
    }

    await tick(createDigestJob, '2026-11-30T07:59:00Z'); // 08:59 in Berlin
    expect(fake.attempts).toEqual([]);
    const reports = await tick(createDigestJob, '2026-11-30T08:00:00Z');
    expect(reports.reduce((s, r) => s + (r.sent ?? 0), 0)).toBe(1);
    expect(fake.directs.map((d) => d.user.userId).sort()).toEqual([boss.userId, gail.userId].sort());
    const digest = fake.directs[0]!.message;
    expect(digest.card?.title).toBe('Weekly digest · Backend Q1 · 2026-11-23 to 2026-11-29');
    expect(digest.text).toContain('Study days: 5 · participation 60% (6 of 10 member-days)');
    expect(digest.text).toContain('Top this week: Ana 50 pts, Ben 2 pts');
    // Friday's drill stays open until Monday's opens, so only four days are finished yet.
    expect(digest.text).toContain('At risk: Ben (missed 3 of 4)');

    await tick(createDigestJob, '2026-11-30T12:00:00Z'); // restarted instances, same Monday
    await tick(createDigestJob, '2026-12-01T08:30:00Z'); // Tuesday
    expect(fake.attempts).toHaveLength(2);

    await tick(createDigestJob, '2026-12-07T08:00:00Z');
    expect(fake.attempts).toHaveLength(4);
    expect(fake.directs.at(-1)!.message.card?.title).toBe(
      'Weekly digest · Backend Q1 · 2026-11-30 to 2026-12-06',
    );

    // A recipient who cannot be reached is recorded; the others still get it; nothing is retried.
    fake.failFor.add(gail.userId);
    await tick(createDigestJob, '2026-12-14T08:00:00Z');
    await tick(createDigestJob, '2026-12-14T09:00:00Z');
    expect(fake.attempts).toHaveLength(6);
    fake.failFor.add(boss.userId);
    await tick(createDigestJob, '2026-12-21T08:00:00Z'); // the last week of the programme
    await tick(createDigestJob, '2026-12-21T10:00:00Z');
    await tick(createDigestJob, '2026-12-28T08:00:00Z'); // after the end: no digest
    expect(fake.attempts).toHaveLength(8);
    const rows = await h.db.handle.db
      .selectFrom('cohort_digests')
      .select(['week_start', 'status', 'recipients', 'delivered', 'last_error'])
      .orderBy('week_start')
      .execute();
    expect(rows).toEqual([
      { week_start: '2026-11-23', status: 'sent', recipients: 2, delivered: 2, last_error: null },
      { week_start: '2026-11-30', status: 'sent', recipients: 2, delivered: 2, last_error: null },
      {
        week_start: '2026-12-07',
        status: 'sent',
        recipients: 2,
        delivered: 1,
        last_error: 'cannot_dm: the member cannot receive DMs',
      },
      {
        week_start: '2026-12-14',
        status: 'failed',
        recipients: 2,
        delivered: 0,
        last_error: 'cannot_dm: the member cannot receive DMs',
      },
    ]);
  });

  it('reminds a member once a day at their time when today’s drill is unanswered', async () => {
    await h.say(boss, 'cohort create "Daily" start:2026-11-23 weeks:2 days:daily time:09:00 tz:UTC');
    for (const who of [ana, ben, cy]) await h.say(who, 'cohort join');
    expect((await h.say(ana, 'remind on')).text).toBe(
      'Reminders on: at 18:00 UTC on days your drill is still unanswered. /roadmap remind off stops them.',
    );
    await h.say(ben, 'remind on 17:00');
    await h.say(cy, 'remind on 18:00');
    fake.failFor.add(cy.userId);

    h.clock.set('2026-11-23T10:00:00Z');
    await answerToday(ben, true);
    await tick(createReminderJob, '2026-11-23T17:59:00Z');
    expect(fake.attempts).toEqual([]);
    await tick(createReminderJob, '2026-11-23T18:00:00Z');
    expect(fake.attempts.sort()).toEqual([ana.userId, cy.userId].sort());
    expect(fake.directs).toHaveLength(1);
    expect(fake.directs[0]!.user.userId).toBe(ana.userId);
    // The channel is a neutral reference the Slack renderer turns into a link (not an escaped `&lt;#C1&gt;`).
    expect(renderSlackMessage(fake.directs[0]!.message).text).toBe(
      "Today's drill is still waiting for you in <#C1>: answer it. /roadmap today shows it.",
    );
    await tick(createReminderJob, '2026-11-23T18:30:00Z'); // restarts later the same day
    await tick(createReminderJob, '2026-11-23T23:59:00Z');
    expect(fake.attempts).toHaveLength(2);

    // Next day: Ana answers before her time (no reminder); Ben does not (one reminder with his streak).
    h.clock.set('2026-11-24T10:00:00Z');
    await answerToday(ana, true);
    await tick(createReminderJob, '2026-11-24T18:05:00Z');
    expect(fake.directs.map((d) => d.user.userId)).toEqual([ana.userId, ben.userId]);
    expect(renderSlackMessage(fake.directs[1]!.message).text).toBe(
      "Today's drill is still waiting for you in <#C1>: answer it to keep your 1-day streak. /roadmap today shows it.",
    );
    expect((await h.say(ana, 'remind off')).text).toBe('Reminders off.');
    await tick(createReminderJob, '2026-11-25T10:00:00Z', 1);
    await h.say(boss, 'today'); // opens the 25th's drill
    await tick(createReminderJob, '2026-11-25T19:00:00Z');
    expect(fake.directs.map((d) => d.user.userId)).toEqual([ana.userId, ben.userId, ben.userId]);

    const rows = await h.db.handle.db
      .selectFrom('member_reminders')
      .select(['user_id', 'local_date', 'status'])
      .orderBy('local_date')
      .orderBy('user_id')
      .execute();
    expect(rows).toEqual([
      { user_id: ana.userId, local_date: '2026-11-23', status: 'sent' },
      { user_id: cy.userId, local_date: '2026-11-23', status: 'failed' },
      { user_id: ben.userId, local_date: '2026-11-24', status: 'sent' },
      { user_id: cy.userId, local_date: '2026-11-24', status: 'failed' },
      { user_id: ben.userId, local_date: '2026-11-25', status: 'sent' },
      { user_id: cy.userId, local_date: '2026-11-25', status: 'failed' },
    ]);
  });
});
