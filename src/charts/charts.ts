/**
 * What the bot's pictures share: labels, the look, the empty state. Each chart (report-charts.ts,
 * calendar-chart.ts, digest-chart.ts, board-card.ts) takes plain figures and returns one chart definition
 * rendered as SVG (dashboard) and PNG (chat), with a text alternative that states the same figures in words,
 * so a reader who never sees the image misses nothing. Names come from users: they are only ever data values (never markup,
 * never Vega expressions), cleaned by `cleanLabel` and escaped by the SVG serialiser.
 */
import type { TopLevelSpec } from 'vega-lite';
import { weekdayIndex } from '../core/calendar.ts';
import { PALETTE } from './palette.ts';
import { CHART_FONT_FAMILY } from './render.ts';

const LABEL_MAX = 28;
export const WIDTH = 640;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Tue 1 Dec" for 2026-12-01; the year is left out (charts cover weeks, not years). */
export function dayLabel(date: string): string {
  return `${WEEKDAYS[weekdayIndex(date)]} ${shortDate(date)}`;
}
function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]}`;
}

/** A user-supplied name as a chart label: one line, no control characters, at most `max` characters. */
export function cleanLabel(name: string, max = LABEL_MAX): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const text = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  const oneLine = text.replace(/\s+/g, ' ').trim() || '?';
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export const config = {
  font: CHART_FONT_FAMILY,
  background: PALETTE.background,
  padding: 12,
  view: { stroke: null },
  axis: {
    labelColor: PALETTE.text,
    titleColor: PALETTE.muted,
    gridColor: PALETTE.grid,
    domainColor: PALETTE.muted,
    tickColor: PALETTE.muted,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
  },
  title: {
    color: PALETTE.text,
    subtitleColor: PALETTE.muted,
    fontSize: 15,
    subtitleFontSize: 11,
    anchor: 'start',
    offset: 10,
  },
  legend: { labelColor: PALETTE.text, titleColor: PALETTE.muted, labelFontSize: 11 },
  text: { color: PALETTE.text, fontSize: 10 },
} as const;

/** Horizontal bars, each with its figure written after its end (module accuracy, boards). */
export const FIGURED_BARS = [
  { mark: { type: 'bar', color: PALETTE.primary, height: { band: 0.7 } } },
  { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'figure', type: 'nominal' } } },
];

/** The picture for a chart with nothing to show yet: its title and a sentence, same size as the real thing. */
export function emptySpec(title: string, message: string, width = WIDTH, height = 200): TopLevelSpec {
  return {
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    title: { text: title },
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 14, color: PALETTE.muted, align: 'center', baseline: 'middle' },
    encoding: {
      text: { field: 'message', type: 'nominal' },
      x: { value: width / 2 - 12 },
      y: { value: height / 2 - 30 },
    },
    config,
  } as TopLevelSpec;
}

/** Two members may share a display name; the second becomes "Sam (2)" so their bars stay apart. */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}
