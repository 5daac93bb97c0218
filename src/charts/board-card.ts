/** The leaderboard card. */
import type { TopLevelSpec } from 'vega-lite';
import { cleanLabel, config, emptySpec, FIGURED_BARS, uniqueLabels, WIDTH } from './charts.ts';
import { type ChartImage, type RenderOptions, renderChart } from './render.ts';

export interface BoardEntry {
  rank: number;
  name: string;
  points: number;
}
const MAX_BOARD_ROWS = 10;

/** Leaderboard card: points per member, best first, with the rank beside each name. */
export async function boardCard(
  title: string,
  entries: readonly BoardEntry[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const heading = cleanLabel(title, 60);
  if (!entries.length) {
    return renderChart(
      emptySpec(heading, 'No points yet', WIDTH, 160),
      `${heading}: no points yet.`,
      options,
    );
  }
  const shown = entries.slice(0, MAX_BOARD_ROWS);
  const labels = uniqueLabels(shown.map((e) => `${e.rank}. ${cleanLabel(e.name)}`));
  const rows = shown.map((e, i) => ({ label: labels[i], points: e.points, figure: `${e.points} pts` }));
  const most = Math.max(1, ...shown.map((e) => e.points));
  const spec = {
    width: WIDTH,
    height: 90 + 28 * shown.length,
    autosize: { type: 'fit', contains: 'padding' },
    title: { text: heading },
    data: { values: rows },
    encoding: {
      y: { field: 'label', type: 'ordinal', sort: null, title: null, axis: { labelLimit: 240 } },
      x: { field: 'points', type: 'quantitative', title: 'points', scale: { domain: [0, most * 1.2] } },
    },
    layer: FIGURED_BARS,
    config,
  } as TopLevelSpec;
  const more = shown.length < entries.length ? ` (top ${shown.length} of ${entries.length})` : '';
  const words = shown.map((e, i) => `${labels[i]} ${e.points} points`).join(', ');
  return renderChart(spec, `${heading}${more}: ${words}.`, options);
}
