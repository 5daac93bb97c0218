/** The cohort report's pictures: participation per study day and accuracy per module. */
import type { TopLevelSpec } from 'vega-lite';
import { pct } from '../core/render/text.ts';
import { cleanLabel, config, dayLabel, emptySpec, FIGURED_BARS, uniqueLabels, WIDTH } from './charts.ts';
import { PALETTE } from './palette.ts';
import { type ChartImage, type RenderOptions, renderChart } from './render.ts';

export interface ParticipationDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Members who answered that day's drill. */
  answered: number;
  /** Members enrolled that day. */
  members: number;
}
export interface ModuleFigures {
  module: string;
  correct: number;
  answered: number;
}

/** The most recent study days a participation chart shows (and its alt text lists). */
const MAX_PARTICIPATION_DAYS = 21;
const MAX_MODULES = 15;

function participationRows(days: readonly ParticipationDay[]) {
  return days.map((d) => ({
    label: dayLabel(d.date),
    share: d.members > 0 ? d.answered / d.members : 0,
    figure: `${d.answered}/${d.members}`,
  }));
}
export function participationWords(days: readonly ParticipationDay[]): string {
  return days
    .map((d) => `${dayLabel(d.date)} ${d.answered} of ${d.members} (${pct(d.answered, d.members)})`)
    .join(', ');
}

/** Bars of the share of members who answered, per study day; the label on each bar is "answered/members". */
export function participationLayer(days: readonly ParticipationDay[], height: number) {
  return {
    height,
    data: { values: participationRows(days) },
    encoding: {
      x: {
        field: 'label',
        type: 'ordinal',
        sort: null,
        title: null,
        axis: { labelAngle: days.length > 10 ? -45 : 0 },
      },
      y: {
        field: 'share',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { format: '%', title: 'members who answered', tickCount: 5 },
      },
    },
    layer: [
      { mark: { type: 'bar', color: PALETTE.primary } },
      {
        mark: { type: 'text', dy: -6, baseline: 'bottom' },
        encoding: { text: { field: 'figure', type: 'nominal' } },
      },
    ],
  };
}

/** The participation panel and its words: the latest MAX_PARTICIPATION_DAYS study days. */
function participationPanel(days: readonly ParticipationDay[]) {
  const title = 'Participation per study day';
  const shown = days.slice(-MAX_PARTICIPATION_DAYS);
  const subtitle =
    shown.length < days.length
      ? `Latest ${shown.length} of ${days.length} study days`
      : `${days.length} study days`;
  const spec = { width: WIDTH, title: { text: title, subtitle }, ...participationLayer(shown, 320) };
  return { spec, words: `${title} (${subtitle.toLowerCase()}): ${participationWords(shown)}.` };
}

/** Cohort report: the share of enrolled members who answered, per study day (the latest MAX_PARTICIPATION_DAYS). */
export async function participationChart(
  days: readonly ParticipationDay[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const title = 'Participation per study day';
  if (!days.length) {
    return renderChart(emptySpec(title, 'No study days yet'), `${title}: no study days yet.`, options);
  }
  const { spec, words } = participationPanel(days);
  const full = { ...spec, autosize: { type: 'fit', contains: 'padding' }, config } as TopLevelSpec;
  return renderChart(full, words, options);
}

/** The module accuracy panel and its words: the first MAX_MODULES modules, in the order given. */
function accuracyPanel(modules: readonly ModuleFigures[]) {
  const title = 'Accuracy by module';
  const shown = modules.slice(0, MAX_MODULES);
  const labels = uniqueLabels(shown.map((m) => cleanLabel(m.module)));
  const rows = shown.map((m, i) => ({
    label: labels[i],
    share: m.answered > 0 ? m.correct / m.answered : 0,
    figure: m.answered > 0 ? `${pct(m.correct, m.answered)} (${m.correct}/${m.answered})` : 'no answers',
  }));
  const subtitle =
    shown.length < modules.length
      ? `First ${shown.length} of ${modules.length} modules`
      : 'Share of answers correct';
  const spec = {
    width: WIDTH,
    height: 110 + 28 * shown.length,
    title: { text: title, subtitle },
    data: { values: rows },
    encoding: {
      y: { field: 'label', type: 'ordinal', sort: null, title: null, axis: { labelLimit: 220 } },
      x: {
        field: 'share',
        type: 'quantitative',
        scale: { domain: [0, 1.15] },
        axis: { format: '%', title: 'correct', values: [0, 0.25, 0.5, 0.75, 1] },
      },
    },
    layer: FIGURED_BARS,
  };
  const words = shown
    .map((m, i) =>
      m.answered > 0
        ? `${labels[i]} ${pct(m.correct, m.answered)} (${m.correct} of ${m.answered} correct)`
        : `${labels[i]} no answers yet`,
    )
    .join(', ');
  const more = shown.length < modules.length ? ` (first ${shown.length} of ${modules.length} modules)` : '';
  return { spec, words: `${title}${more}: ${words}.` };
}

/** Cohort report: the share of answers that were correct, per module, in the order given (weakest first in reports). */
export async function moduleAccuracyChart(
  modules: readonly ModuleFigures[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const title = 'Accuracy by module';
  if (!modules.length) {
    return renderChart(emptySpec(title, 'No answers yet'), `${title}: no answers yet.`, options);
  }
  const { spec, words } = accuracyPanel(modules);
  const full = { ...spec, autosize: { type: 'fit', contains: 'padding' }, config } as TopLevelSpec;
  return renderChart(full, words, options);
}

/**
 * The cohort report's one picture: participation per study day above accuracy by module, with both panels'
 * figures in its text alternative. A panel with nothing to show yet is left out.
 */
export async function cohortReportChart(
  cohort: string,
  days: readonly ParticipationDay[],
  modules: readonly ModuleFigures[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const title = `Cohort report · ${cleanLabel(cohort)}`;
  const panels = [
    ...(days.length ? [participationPanel(days)] : []),
    ...(modules.length ? [accuracyPanel(modules)] : []),
  ];
  if (!panels.length)
    return renderChart(emptySpec(title, 'No study days yet'), `${title}: no study days yet.`, options);
  const spec = { title: { text: title }, vconcat: panels.map((p) => p.spec), spacing: 28, config };
  return renderChart(spec as TopLevelSpec, `${title}. ${panels.map((p) => p.words).join(' ')}`, options);
}
