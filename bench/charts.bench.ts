/**
 * Charts: render time per chart (definition → SVG → PNG) and memory, beside a blank picture of the same size
 * pushed through the same rasteriser in the same run. Each chart is rendered `renders` times (200 by default)
 * after a warm-up; then 1,000 more renders of all four in turn show whether RSS keeps growing.
 *
 * `npm run bench -- charts [renders] [leakRenders]`
 */
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type ChartImage,
  cohortReportChart,
  moduleAccuracyChart,
  participationChart,
  studyCalendar,
  weeklyDigestChart,
} from '../src/charts/index.ts';
import { blankPng } from '../src/charts/render.ts';
import { addDays } from '../src/core/calendar.ts';

const WARMUP = 20;
const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const days = Array.from({ length: 21 }, (_, i) => ({
  date: addDays('2026-11-02', i),
  answered: (i * 7) % 31,
  members: 30,
}));
const modules = Array.from({ length: 12 }, (_, i) => ({
  module: `Module ${i + 1}: ${['Databases', 'APIs', 'Caching', 'Security'][i % 4]}`,
  correct: (i * 13) % 40,
  answered: 40,
}));
const calendar = Array.from({ length: 26 * 7 }, (_, i) => ({
  date: addDays('2026-06-01', i),
  status: (['answered', 'answered', 'answered', 'missed', 'frozen', 'off', 'off'] as const)[i % 7]!,
}));
const digest = {
  weekStart: '2026-11-23',
  days: days.slice(0, 5),
  movers: ['Ana', 'Bo', 'Chen', 'Dita', 'Eli'].map((name, i) => ({
    name,
    before: 0.4 + i * 0.05,
    after: 0.8 - i * 0.1,
  })),
};

const charts: { name: string; render: () => Promise<ChartImage> }[] = [
  { name: 'participation (21 study days)', render: () => participationChart(days) },
  { name: 'module accuracy (12 modules)', render: () => moduleAccuracyChart(modules) },
  { name: 'study calendar (26 weeks)', render: () => studyCalendar(calendar) },
  { name: 'weekly digest (5 days, 5 movers)', render: () => weeklyDigestChart(digest) },
  {
    name: 'cohort report, as sent (21 days + 12 modules)',
    render: () => cohortReportChart('Backend Q1', days, modules),
  },
];

// resvg's native image buffers are freed by finalisers that run on the turn after a collection.
async function settle(): Promise<void> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(render: () => unknown, count: number) {
  for (let i = 0; i < WARMUP; i++) await render();
  await settle();
  const startRss = process.memoryUsage.rss();
  const times: number[] = [];
  let peakRss = startRss;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await render();
    times.push(performance.now() - start);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), startRss, peakRss };
}

export default async function chartsBench(args: string[]): Promise<void> {
  const renders = Number(args[0] ?? 200);
  const leakRenders = Number(args[1] ?? 1000);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(
    `charts bench: ${renders} renders per chart after ${WARMUP} warm-up; ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? 'cpu'}, ` +
      `${os.arch()}, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  out(
    '| chart | size (px) | PNG bytes | p50 ms | p95 ms | RSS MB start → peak | blank same size p50 / p95 ms | blank RSS MB start → peak |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const mb = (m: { startRss: number; peakRss: number }) =>
    `${(m.startRss / MB).toFixed(0)} → ${(m.peakRss / MB).toFixed(0)}`;
  for (const chart of charts) {
    const sample = await chart.render();
    await settle();
    const timed = await measure(chart.render, renders);
    const blank = await measure(() => blankPng(sample.width, sample.height), renders);
    out(
      `| ${chart.name} | ${sample.width}×${sample.height} | ${sample.png.length} | ${timed.p50.toFixed(1)} | ${timed.p95.toFixed(1)} | ` +
        `${mb(timed)} | ${blank.p50.toFixed(1)} / ${blank.p95.toFixed(1)} | ${mb(blank)} |`,
    );
  }

  out(`\nRSS over ${leakRenders} more renders (the charts in turn; after a full GC at each checkpoint):`);
  out('| renders | RSS MB | heap used MB | external MB |');
  out('| --- | --- | --- | --- |');
  const step = Math.max(1, Math.floor(leakRenders / 5));
  const row = async (n: number) => {
    await settle();
    const m = process.memoryUsage();
    out(
      `| ${n} | ${(m.rss / MB).toFixed(0)} | ${(m.heapUsed / MB).toFixed(1)} | ${(m.external / MB).toFixed(1)} |`,
    );
    return m.rss;
  };
  await row(0);
  let settled = 0;
  let last = 0;
  for (let i = 1; i <= leakRenders; i++) {
    await charts[i % charts.length]!.render();
    if (i % step === 0) {
      last = await row(i);
      if (i === step) settled = last;
    }
  }
  out(
    `\nRSS growth from render ${step} to ${leakRenders} (the allocator has settled by the first checkpoint): ` +
      `${((last - settled) / MB).toFixed(1)} MB`,
  );
  out(`Peak RSS of the whole run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
