/**
 * The pictures where members and managers get them: the cohort report, `me`, `streak history` and the weekly
 * digest each carry a PNG (decoded here: its size, and pixels that are not background) whose text
 * alternative states the same figures as the reply's text, which stays complete without it.
 */
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/charts/palette.ts';
import { createDigestJob } from '../../src/cohorts/digest.ts';
import { LETTERS } from '../../src/content/track.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';

const boss = member('Boss', { isPlatformAdmin: true });
const [ana, ben] = [member('Ana'), member('Ben')];
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

/** The reply's picture, decoded: its PNG and how many of its pixels differ from the chart background. */
function picture(message: OutboundMessage) {
  const file = message.attachment!;
  expect(file.contentType).toBe('image/png');
  const png = PNG.sync.read(Buffer.from(file.content as Uint8Array));
  const bg = [1, 3, 5].map((i) => Number.parseInt(PALETTE.background.slice(i, i + 2), 16));
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (
      Math.abs(png.data[i]! - bg[0]!) +
        Math.abs(png.data[i + 1]! - bg[1]!) +
        Math.abs(png.data[i + 2]! - bg[2]!) >
      30
    )
      inked++;
  return { png, inked, alt: file.description ?? '', filename: file.filename };
}

describe.each(backends)('pictures in replies on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    await h.say(boss, 'cohort create "Backend Q1" start:2026-11-23 weeks:2 time:09:00 tz:UTC');
    for (const p of [ana, ben]) await h.say(p, 'cohort join');
    for (const [d, date] of DATES.entries()) {
      h.clock.set(`${date}T09:30:00Z`);
      const q = h.track.cards[d]!.questions[0]!;
      const drill = await h.say(ana, 'today');
      await h.click(ana, button(drill, LETTERS[q.correctIndex]!));
      if (d % 2 === 0) await h.click(ben, button(drill, LETTERS[(q.correctIndex + 1) % 4]!));
    }
  }, 120_000);

  it('the cohort report: participation per study day and accuracy by module, figures in the alt text', async () => {
    h.clock.set('2026-11-27T12:00:00Z');
    const reply = await h.say(boss, 'cohort report');
    const { png, inked, alt, filename } = picture(reply);
    expect(filename).toBe('cohort-backend-q1-2026-11-27.png');
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBeGreaterThan(400);
    expect(inked).toBeGreaterThan(png.width * png.height * 0.02);
    // The same figures as the text: each day's "answered of enrolled", the module's accuracy.
    expect(alt).toContain('Tue 24 Nov 1 of 2 (50%)');
    expect(alt).toContain('Wed 25 Nov 2 of 2 (100%)');
    expect(reply.text).toContain('Day 2 (2026-11-24): 1/2 · 50%');
    const module = h.track.module(h.track.cards[0]!.moduleId)!.title;
    expect(alt).toContain(`${module} 63% (5 of 8 correct)`);
    expect(reply.text).toContain(`${module}: 63% (5/8)`);
  });

  it('streak history: a study-day calendar beside the list', async () => {
    h.clock.set('2026-11-27T12:00:00Z');
    const reply = await h.say(ben, 'streak history');
    const { png, inked, alt } = picture(reply);
    expect(png.width).toBeGreaterThan(100);
    expect(inked).toBeGreaterThan(500);
    expect(alt).toMatch(/Answered[^.]*Mon 23 Nov/);
    expect(alt).toMatch(/Missed[^.]*Tue 24 Nov/);
    expect(reply.text).toContain('2026-11-24 missed');
  });

  it('me: the same calendar beside the summary, its figures in the alt text and in the words', async () => {
    h.clock.set('2026-11-27T12:00:00Z');
    const reply = await h.say(ben, 'me');
    const { png, inked, alt, filename } = picture(reply);
    expect(filename).toBe('study-days-2026-11-27.png');
    expect(png.width).toBeGreaterThan(100);
    expect(inked).toBeGreaterThan(500);
    expect(alt).toContain('Mon 23 Nov to Fri 27 Nov: 3 answered, 0 frozen, 2 missed');
    expect(alt).toContain('Missed: Tue 24 Nov, Thu 26 Nov.');
    // The reply reads whole without the picture: the same figures, in its text and its card.
    expect(reply.text).toContain('Study days: 3 answered · 0 frozen · 2 missed.');
    expect(reply.card!.fields).toContainEqual(
      expect.objectContaining({ label: 'Study days', value: '3 answered · 0 frozen · 2 missed' }),
    );
    // A channel without a drill has no study days to draw: the summary comes alone.
    const elsewhere = await h.say(ben, 'me', { ...ben, channelId: 'C-no-drill' });
    expect(elsewhere.attachment).toBeUndefined();
    expect(elsewhere.text).toContain('No drill in this channel');
  });

  it('the weekly digest: the week’s participation and the top movers', async () => {
    const recording = createRecordingPublisher('slack');
    h.clock.set('2026-11-30T09:00:05Z');
    await createDigestJob(h.study.deps).run(h.clock.now(), recording.publishers);
    const digest = recording.directs[0]!.message;
    const { png, inked, alt } = picture(digest);
    expect(png.height).toBeGreaterThan(300);
    expect(inked).toBeGreaterThan(png.width * png.height * 0.02);
    expect(alt).toContain('participation 8 of 10 member-days (80%)');
    expect(digest.text).toContain('participation 80% (8 of 10 member-days)');
  });
});
