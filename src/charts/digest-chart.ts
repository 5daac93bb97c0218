/** The weekly digest's picture: the week's participation above its top movers. */
import type { TopLevelSpec } from 'vega-lite';
import { addDays } from '../core/calendar.ts';
import { pct } from '../core/render/text.ts';
import { cleanLabel, config, dayLabel, emptySpec, uniqueLabels, WIDTH } from './charts.ts';
import { PALETTE } from './palette.ts';
import { type ChartImage, type RenderOptions, renderChart } from './render.ts';
import { type ParticipationDay, participationLayer, participationWords } from './report-charts.ts';

interface Mover {
  name: string;
  /** Accuracy before and after, 0..1. */
  before: number;
  after: number;
}
export interface WeeklyDigestFigures {
  /** The Monday the week starts on, YYYY-MM-DD. */
  weekStart: string;
  days: ParticipationDay[];
  /** Best first; the chart shows the first MAX_MOVERS. */
  movers: Mover[];
}

const MAX_MOVERS = 5;

const points = (m: Mover) => Math.round((m.after - m.before) * 100);
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** Each top mover's change in accuracy as a bar, up or down, with "before → after" beside it. */
function moverPanel(movers: readonly Mover[], names: readonly string[], width: number) {
  if (!movers.length)
    return {
      width,
      height: 30,
      title: { text: 'Top movers', fontSize: 12 },
      data: { values: [{ message: 'No movers this week' }] },
      mark: { type: 'text', align: 'left', color: PALETTE.muted, fontSize: 12 },
      encoding: { text: { field: 'message', type: 'nominal' }, x: { value: 0 }, y: { value: 15 } },
    };
  const moverRows = movers.map((m, i) => ({
    name: names[i],
    delta: points(m),
    direction: points(m) >= 0 ? 'up' : 'down',
    labelAt: Math.max(points(m), 0),
    figure: `${pct(m.before, 1)} → ${pct(m.after, 1)} (${signed(points(m))})`,
  }));
  return {
    width,
    height: 30 * movers.length,
    title: { text: 'Top movers: change in accuracy (points)', fontSize: 12 },
    data: { values: moverRows },
    encoding: {
      y: { field: 'name', type: 'ordinal', sort: null, title: null, axis: { labelLimit: 200 } },
      x: {
        field: 'delta',
        type: 'quantitative',
        title: null,
        scale: { domain: moverDomain(moverRows.map((r) => r.delta)), nice: false },
        axis: { tickCount: 6 },
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          color: {
            field: 'direction',
            type: 'nominal',
            scale: { domain: ['up', 'down'], range: [PALETTE.up, PALETTE.down] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: {
          text: { field: 'figure', type: 'nominal' },
          x: { field: 'labelAt', type: 'quantitative' },
        },
      },
    ],
  };
}

/** Weekly digest: the week's participation per study day above the top movers' change in accuracy. */
export async function weeklyDigestChart(
  figures: WeeklyDigestFigures,
  options: RenderOptions = {},
): Promise<ChartImage> {
  const week = `Week of ${dayLabel(figures.weekStart)} to ${dayLabel(addDays(figures.weekStart, 6))}`;
  if (!figures.days.length) {
    return renderChart(emptySpec(week, 'No study days this week'), `${week}: no study days.`, options);
  }
  const answered = figures.days.reduce((n, d) => n + d.answered, 0);
  const members = figures.days.reduce((n, d) => n + d.members, 0);
  const total = `participation ${answered} of ${members} member-days (${pct(answered, members)})`;
  const movers = figures.movers.slice(0, MAX_MOVERS);
  const names = uniqueLabels(movers.map((m) => cleanLabel(m.name)));
  const panelWidth = WIDTH - 40;
  const participation = {
    ...participationLayer(figures.days, 180),
    width: panelWidth,
    title: {
      text: `Participation: ${answered} of ${members} member-days (${pct(answered, members)})`,
      fontSize: 12,
    },
  };
  const spec = {
    title: { text: week },
    vconcat: [participation, moverPanel(movers, names, panelWidth)],
    spacing: 24,
    config,
  } as TopLevelSpec;
  const moverWords = movers.length
    ? `Top movers: ${movers
        .map((m, i) => `${names[i]} ${pct(m.before, 1)} → ${pct(m.after, 1)} (${signed(points(m))} points)`)
        .join(', ')}.`
    : 'No movers this week.';
  return renderChart(spec, `${week}: ${total}: ${participationWords(figures.days)}. ${moverWords}`, options);
}

/** Room for the bars on both sides of zero, and on the right for the "62% → 85% (+23)" labels. */
function moverDomain(deltas: readonly number[]): [number, number] {
  const low = Math.min(0, ...deltas);
  const high = Math.max(0, ...deltas);
  const span = Math.max(high - low, 10);
  return [low, high + span * 0.6];
}
