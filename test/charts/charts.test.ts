import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  ALT_TEXT_MAX,
  boardCard,
  type CalendarDay,
  type CalendarStatus,
  type ChartImage,
  cleanLabel,
  dayLabel,
  moduleAccuracyChart,
  PALETTE,
  type ParticipationDay,
  participationChart,
  renderChart,
  studyCalendar,
  weeklyDigestChart,
} from '../../src/charts/index.ts';
import { addDays } from '../../src/core/calendar.ts';

interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Decodes the PNG and checks it matches the size the chart reports. */
function decode(image: ChartImage): PNG {
  const png = PNG.sync.read(image.png);
  expect(png.width).toBe(image.width);
  expect(png.height).toBe(image.height);
  return png;
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Pixels in the region that are not background white (ink), or that are close to `colour` when given. */
function countPixels(png: PNG, region: Partial<Region> = {}, colour?: string): number {
  const { x0 = 0, y0 = 0, x1 = png.width, y1 = png.height } = region;
  const target = colour ? rgb(colour) : undefined;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (target) {
        if (Math.abs(r - target[0]) + Math.abs(g - target[1]) + Math.abs(b - target[2]) < 12) n++;
      } else if (r + g + b < 3 * 245) n++;
    }
  }
  return n;
}

/** Study days on weekdays from Monday 30 Nov 2026. */
function weekdays(
  n: number,
  figures: (i: number) => { answered: number; members: number },
): ParticipationDay[] {
  const out: ParticipationDay[] = [];
  for (let date = '2026-11-30'; out.length < n; date = addDays(date, 1)) {
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push({ date, ...figures(out.length) });
  }
  return out;
}

describe('dayLabel and cleanLabel', () => {
  it('writes a local date as weekday, day and month', () => {
    expect(dayLabel('2026-11-30')).toBe('Mon 30 Nov');
    expect(dayLabel('2026-12-01')).toBe('Tue 1 Dec');
  });

  it('keeps a user name to one short line without control or direction-override characters', () => {
    expect(cleanLabel('  Ana\n\tBo\u202e  ')).toBe('Ana Bo');
    expect(cleanLabel('x'.repeat(50))).toBe(`${'x'.repeat(27)}…`);
    expect(cleanLabel('\u0000\u200b')).toBe('?');
  });
});

describe('participationChart', () => {
  it('draws a bar per study day and states every figure in the alt text', async () => {
    const days = weekdays(5, (i) => ({ answered: [8, 10, 0, 5, 3][i]!, members: 10 }));
    const image = await participationChart(days);
    const png = decode(image);
    expect([png.width, png.height]).toEqual([640, 320]);
    // The title is drawn with the shipped font (system fonts are off, so no font would mean no ink here).
    expect(countPixels(png, { x0: 0, y0: 0, x1: 300, y1: 30 })).toBeGreaterThan(200);
    // Bars in the plot area.
    expect(countPixels(png, { x0: 60, y0: 50, x1: 640, y1: 260 }, PALETTE.primary)).toBeGreaterThan(5000);
    expect(image.alt).toBe(
      'Participation per study day (5 study days): Mon 30 Nov 8 of 10 (80%), Tue 1 Dec 10 of 10 (100%), ' +
        'Wed 2 Dec 0 of 10 (0%), Thu 3 Dec 5 of 10 (50%), Fri 4 Dec 3 of 10 (30%).',
    );
    // The SVG is the same picture: its labels carry the same figures.
    for (const figure of ['8/10', '10/10', '0/10', 'Mon 30 Nov']) expect(image.svg).toContain(figure);
    expect(image.svg.startsWith('<svg')).toBe(true);
  });

  it('draws taller bars for higher participation', async () => {
    const low = decode(await participationChart(weekdays(5, () => ({ answered: 1, members: 10 }))));
    const high = decode(await participationChart(weekdays(5, () => ({ answered: 9, members: 10 }))));
    const bars = (png: PNG) => countPixels(png, {}, PALETTE.primary);
    expect(bars(high)).toBeGreaterThan(bars(low) * 5);
  });

  it('shows the latest study days when there are many, and says so', async () => {
    const days = weekdays(40, (i) => ({ answered: i % 11, members: 10 }));
    const image = await participationChart(days);
    decode(image);
    expect(image.alt).toContain('latest 21 of 40 study days');
    expect(image.alt).not.toContain(dayLabel(days[18]!.date));
    expect(image.alt).toContain(`${dayLabel(days[39]!.date)} ${days[39]!.answered} of 10`);
    expect(image.alt.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
  });

  it('gives a "no study days yet" picture and alt for an empty data set', async () => {
    const image = await participationChart([]);
    const png = decode(image);
    expect(image.alt).toBe('Participation per study day: no study days yet.');
    expect(image.svg).toContain('No study days yet');
    expect(countPixels(png, { x0: 0, y0: 40, x1: png.width, y1: png.height })).toBeGreaterThan(100);
    expect(countPixels(png, {}, PALETTE.primary)).toBe(0);
  });

  it('treats a day with no members as 0%, written as a dash', async () => {
    const image = await participationChart([{ date: '2026-12-01', answered: 0, members: 0 }]);
    decode(image);
    expect(image.alt).toContain('Tue 1 Dec 0 of 0 (—)');
  });
});

describe('moduleAccuracyChart', () => {
  it('draws a bar per module with its accuracy and says each in words', async () => {
    const image = await moduleAccuracyChart([
      { module: 'Databases', correct: 5, answered: 8 },
      { module: 'APIs', correct: 9, answered: 10 },
      { module: 'Caching', correct: 0, answered: 0 },
    ]);
    const png = decode(image);
    expect(png.width).toBe(640);
    expect(countPixels(png, { x0: 150, y0: 40 }, PALETTE.primary)).toBeGreaterThan(2000);
    expect(image.alt).toBe(
      'Accuracy by module: Databases 63% (5 of 8 correct), APIs 90% (9 of 10 correct), Caching no answers yet.',
    );
    expect(image.svg).toContain('63% (5/8)');
  });

  it('escapes label text in the SVG, so a name is never markup', async () => {
    const image = await moduleAccuracyChart([
      { module: '<script>x</script> & "y"', correct: 1, answered: 2 },
    ]);
    decode(image);
    expect(image.svg).not.toContain('<script');
    expect(image.svg).toContain('&lt;script&gt;');
    expect(image.svg).toContain('&lt;/script&gt; &amp; &quot;y&quot;');
    expect(image.svg).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#x[0-9A-F]+;)/);
    // The alt text is plain text for the platform (Slack alt_text, Discord description), not markup…
    expect(image.alt).toContain('<script>x</script> & "y"');
    // …and labels the SVG as one image for screen readers, escaped as an attribute.
    expect(image.svg).toMatch(
      /^<svg role="img" aria-label="Accuracy by module: &lt;script&gt;x&lt;\/script&gt; &amp; &quot;y&quot; 50% \(1 of 2 correct\)\." /,
    );
  });

  it('keeps two modules with the same title apart', async () => {
    const image = await moduleAccuracyChart([
      { module: 'Basics', correct: 1, answered: 2 },
      { module: 'Basics', correct: 2, answered: 2 },
    ]);
    expect(image.alt).toContain('Basics 50% (1 of 2 correct), Basics (2) 100% (2 of 2 correct)');
  });

  it('gives a "no answers yet" picture and alt for an empty data set', async () => {
    const image = await moduleAccuracyChart([]);
    decode(image);
    expect(image.alt).toBe('Accuracy by module: no answers yet.');
  });

  it('keeps the alt text within the platform limit however many modules there are', async () => {
    const modules = Array.from({ length: 60 }, (_, i) => ({
      module: `A rather long module title ${i}`,
      correct: i,
      answered: 60,
    }));
    const image = await moduleAccuracyChart(modules);
    decode(image);
    expect(image.alt.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    expect(image.alt).toContain('first 15 of 60 modules');
  });
});

describe('studyCalendar', () => {
  const statuses: CalendarStatus[] = ['answered', 'answered', 'missed', 'frozen', 'answered', 'off', 'off'];
  const fourWeeks: CalendarDay[] = Array.from({ length: 28 }, (_, i) => ({
    date: addDays('2026-11-02', i),
    status: statuses[i % 7]!,
  }));

  it('colours each day by its status and counts them in the alt text', async () => {
    const image = await studyCalendar(fourWeeks);
    const png = decode(image);
    expect(image.alt).toBe(
      'Study days, Mon 2 Nov to Sun 29 Nov: 12 answered, 4 frozen, 4 missed, 8 not a study day. ' +
        'Missed: Wed 4 Nov, Wed 11 Nov, Wed 18 Nov, Wed 25 Nov. ' +
        'Frozen: Thu 5 Nov, Thu 12 Nov, Thu 19 Nov, Thu 26 Nov. ' +
        'Answered: Mon 2 Nov to Tue 3 Nov, Fri 6 Nov, Mon 9 Nov to Tue 10 Nov, Fri 13 Nov, Mon 16 Nov to Tue 17 Nov, ' +
        'Fri 20 Nov, Mon 23 Nov to Tue 24 Nov, Fri 27 Nov.',
    );
    for (const status of ['answered', 'missed', 'frozen', 'off'] as const) {
      expect(countPixels(png, {}, PALETTE[status]), status).toBeGreaterThan(200);
    }
  });

  it('draws more of a colour when more days have that status', async () => {
    const noneMissed = fourWeeks.map((d) =>
      d.status === 'missed' ? { ...d, status: 'answered' as const } : d,
    );
    const missed = (days: CalendarDay[]) =>
      studyCalendar(days).then((i) => countPixels(decode(i), {}, PALETTE.missed));
    // The legend's swatch is all that remains when nothing was missed.
    expect(await missed(fourWeeks)).toBeGreaterThan((await missed(noneMissed)) + 4 * 200);
  });

  it('fills unlisted days inside the range as not a study day and keeps the alt within the limit', async () => {
    const sparse: CalendarDay[] = Array.from({ length: 400 }, (_, i) => ({
      date: addDays('2025-10-01', i * 2),
      status: i % 5 === 0 ? 'missed' : 'answered',
    }));
    const image = await studyCalendar(sparse);
    decode(image);
    expect(image.alt.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    expect(image.alt).toMatch(/^Study days, \w{3} \d+ \w{3} to \w{3} \d+ \w{3}: /);
    expect(image.alt).toMatch(/\d+ not a study day/);
  });

  it('draws the same picture from a new View as from one that drew another calendar before', async () => {
    // A shorter calendar of another member: same shape, so it is drawn by the same compiled chart and Views.
    const other: CalendarDay[] = fourWeeks
      .slice(9, 20)
      .map((d, i) => ({ ...d, status: statuses[(i + 3) % 7]! }));
    // Drawn at once, all but one of these need a View of their own; the later ones reuse them.
    const atOnce = await Promise.all([
      studyCalendar(fourWeeks),
      studyCalendar(other),
      studyCalendar(fourWeeks),
    ]);
    const after = [];
    for (const days of [other, fourWeeks, other, fourWeeks]) after.push(await studyCalendar(days));
    const [first, otherFirst] = atOnce;
    expect(first!.svg).toContain('Mon 2 Nov to Sun 29 Nov');
    expect(otherFirst!.svg).toContain('Wed 11 Nov to Sat 21 Nov');
    for (const image of [atOnce[2]!, after[1]!, after[3]!]) {
      expect(image.svg).toBe(first!.svg);
      expect(image.png.equals(first!.png)).toBe(true);
    }
    for (const image of [after[0]!, after[2]!]) expect(image.svg).toBe(otherFirst!.svg);
  });

  it('gives a "no study days yet" picture for an empty history', async () => {
    const image = await studyCalendar([]);
    decode(image);
    expect(image.alt).toBe('Study days: no study days yet.');
    expect(image.svg).toContain('No study days yet');
  });
});

describe('weeklyDigestChart', () => {
  it("draws the week's participation and the top movers, with both in the alt text", async () => {
    const image = await weeklyDigestChart({
      weekStart: '2026-11-23',
      days: [
        { date: '2026-11-23', answered: 6, members: 8 },
        { date: '2026-11-25', answered: 4, members: 8 },
      ],
      movers: [
        { name: 'Ana <b>&</b>', before: 0.5, after: 0.8 },
        { name: 'Bo', before: 0.7, after: 0.6 },
      ],
    });
    const png = decode(image);
    expect(countPixels(png, {}, PALETTE.primary)).toBeGreaterThan(3000);
    expect(countPixels(png, {}, PALETTE.up)).toBeGreaterThan(500);
    expect(countPixels(png, {}, PALETTE.down)).toBeGreaterThan(100);
    expect(image.alt).toBe(
      'Week of Mon 23 Nov to Sun 29 Nov: participation 10 of 16 member-days (63%): ' +
        'Mon 23 Nov 6 of 8 (75%), Wed 25 Nov 4 of 8 (50%). ' +
        'Top movers: Ana <b>&</b> 50% → 80% (+30 points), Bo 70% → 60% (-10 points).',
    );
    expect(image.svg).toContain('Ana &lt;b&gt;&amp;&lt;/b&gt;');
    expect(image.svg).not.toContain('<b>');
  });

  it('says when nobody moved, and when there were no study days', async () => {
    const quiet = await weeklyDigestChart({
      weekStart: '2026-11-23',
      days: [{ date: '2026-11-23', answered: 1, members: 2 }],
      movers: [],
    });
    decode(quiet);
    expect(quiet.alt).toMatch(/No movers this week\.$/);
    const empty = await weeklyDigestChart({ weekStart: '2026-11-23', days: [], movers: [] });
    decode(empty);
    expect(empty.alt).toBe('Week of Mon 23 Nov to Sun 29 Nov: no study days.');
  });
});

describe('boardCard', () => {
  it('draws a bar per member with rank and points, and says them in order', async () => {
    const image = await boardCard('Leaderboard · this week', [
      { rank: 1, name: 'Ana <img src=x>', points: 120 },
      { rank: 2, name: 'Bo', points: 80 },
      { rank: 2, name: 'Chen', points: 80 },
    ]);
    const png = decode(image);
    expect(countPixels(png, {}, PALETTE.primary)).toBeGreaterThan(3000);
    expect(image.alt).toBe(
      'Leaderboard · this week: 1. Ana <img src=x> 120 points, 2. Bo 80 points, 2. Chen 80 points.',
    );
    expect(image.svg).toContain('1. Ana &lt;img src=x&gt;');
    expect(image.svg).not.toContain('<img');
  });

  it('gives a "no points yet" picture for an empty board', async () => {
    const image = await boardCard('Leaderboard', []);
    decode(image);
    expect(image.alt).toBe('Leaderboard: no points yet.');
  });
});

describe('renderChart', () => {
  it('never fetches: a definition pointing at a URL fails instead of downloading', async () => {
    await expect(
      renderChart(
        {
          data: { url: 'https://example.com/data.json' },
          mark: 'bar',
          encoding: { x: { field: 'a', type: 'nominal' } },
        },
        'x',
      ),
    ).rejects.toThrow(/no external resources/);
  });

  it('renders a larger PNG from the same SVG when asked for a scale', async () => {
    const days = weekdays(3, () => ({ answered: 1, members: 2 }));
    const [one, two] = await Promise.all([participationChart(days), participationChart(days, { scale: 2 })]);
    expect(two.svg).toBe(one.svg);
    const png = decode(two);
    expect([png.width, png.height]).toEqual([1280, 640]);
  });
});
