/**
 * The bot's pictures. Each function takes plain figures and returns one chart definition rendered as SVG
 * (dashboard) and PNG (chat), with a text alternative that states the same figures in words, so a reader who
 * never sees the image misses nothing. Names come from users: they are only ever data values (never markup,
 * never Vega expressions), cleaned by `cleanLabel` and escaped by the SVG serialiser.
 */
import type { TopLevelSpec } from 'vega-lite';
import { addDays, weekdayIndex } from '../core/calendar.ts';
import { pct } from '../core/render/text.ts';
import { PALETTE } from './palette.ts';
import { CHART_FONT_FAMILY, type ChartImage, type RenderOptions, renderChart } from './render.ts';

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
export type CalendarStatus = 'answered' | 'frozen' | 'missed' | 'off';
export interface CalendarDay {
  date: string;
  status: CalendarStatus;
}
export interface Mover {
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

/** The most recent study days a participation chart shows (and its alt text lists). */
export const MAX_PARTICIPATION_DAYS = 21;
export const MAX_MODULES = 15;
export const MAX_CALENDAR_WEEKS = 26;
export const MAX_MOVERS = 5;
const LABEL_MAX = 28;
const WIDTH = 640;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

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

const config = {
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

/** The picture for a chart with nothing to show yet: its title and a sentence, same size as the real thing. */
function emptySpec(title: string, message: string, width = WIDTH, height = 200): TopLevelSpec {
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

function participationRows(days: readonly ParticipationDay[]) {
  return days.map((d) => ({
    label: dayLabel(d.date),
    share: d.members > 0 ? d.answered / d.members : 0,
    figure: `${d.answered}/${d.members}`,
  }));
}
function participationWords(days: readonly ParticipationDay[]): string {
  return days
    .map((d) => `${dayLabel(d.date)} ${d.answered} of ${d.members} (${pct(d.answered, d.members)})`)
    .join(', ');
}

/** Bars of the share of members who answered, per study day; the label on each bar is "answered/members". */
function participationLayer(days: readonly ParticipationDay[], height: number) {
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

/** Cohort report: the share of enrolled members who answered, per study day (the latest MAX_PARTICIPATION_DAYS). */
export async function participationChart(
  days: readonly ParticipationDay[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const title = 'Participation per study day';
  if (!days.length) {
    return renderChart(emptySpec(title, 'No study days yet'), `${title}: no study days yet.`, options);
  }
  const shown = days.slice(-MAX_PARTICIPATION_DAYS);
  const subtitle =
    shown.length < days.length
      ? `Latest ${shown.length} of ${days.length} study days`
      : `${days.length} study days`;
  const spec = {
    width: WIDTH,
    autosize: { type: 'fit', contains: 'padding' },
    title: { text: title, subtitle },
    ...participationLayer(shown, 320),
    config,
  } as TopLevelSpec;
  return renderChart(spec, `${title} (${subtitle.toLowerCase()}): ${participationWords(shown)}.`, options);
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
    autosize: { type: 'fit', contains: 'padding' },
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
    layer: [
      { mark: { type: 'bar', color: PALETTE.primary, height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { text: { field: 'figure', type: 'nominal' } },
      },
    ],
    config,
  } as TopLevelSpec;
  const words = shown
    .map((m, i) =>
      m.answered > 0
        ? `${labels[i]} ${pct(m.correct, m.answered)} (${m.correct} of ${m.answered} correct)`
        : `${labels[i]} no answers yet`,
    )
    .join(', ');
  const more = shown.length < modules.length ? ` (first ${shown.length} of ${modules.length} modules)` : '';
  return renderChart(spec, `${title}${more}: ${words}.`, options);
}

const STATUS_LABEL: Record<CalendarStatus, string> = {
  answered: 'Answered',
  frozen: 'Frozen',
  missed: 'Missed',
  off: 'Not a study day',
};
/**
 * The mark inside each study day's square, so status never rests on colour alone: a tick, a snowflake, a
 * cross. Drawn as paths (Vega symbol shapes in a -1..1 box), which rasterise far faster than text glyphs.
 */
const STATUS_MARK: Record<Exclude<CalendarStatus, 'off'>, string> = {
  answered: 'M-0.6,0.05L-0.2,0.45L0.6,-0.45',
  frozen: 'M0,-0.65V0.65M-0.56,-0.33L0.56,0.33M-0.56,0.33L0.56,-0.33',
  missed: 'M-0.5,-0.5L0.5,0.5M0.5,-0.5L-0.5,0.5',
};
const STATUS_ORDER: CalendarStatus[] = ['answered', 'frozen', 'missed', 'off'];
const marked = ['answered', 'frozen', 'missed'] as const;

/**
 * `me` / `streak history`: one square per day, a column per week (Monday on top), coloured and marked by
 * status. Days between the first and last given that are not listed count as "not a study day".
 */
export async function studyCalendar(
  days: readonly CalendarDay[],
  options: RenderOptions = {},
): Promise<ChartImage> {
  const title = 'Study days';
  if (!days.length) {
    return renderChart(
      emptySpec(title, 'No study days yet', 360, 160),
      `${title}: no study days yet.`,
      options,
    );
  }
  const byDate = new Map<string, CalendarStatus>();
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) byDate.set(d.date, d.status);
  const dates = [...byDate.keys()];
  const last = dates[dates.length - 1]!;
  const lastMonday = addDays(last, -weekdayIndex(last));
  const earliest = addDays(lastMonday, -7 * (MAX_CALENDAR_WEEKS - 1));
  const first = dates.find((d) => d >= earliest)!;

  const cells: { date: string; status: CalendarStatus }[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    cells.push({ date, status: byDate.get(date) ?? 'off' });
  }
  const weeks = new Set(cells.map((c) => addDays(c.date, -weekdayIndex(c.date)))).size;
  const rows = cells.map((c) => ({
    week: addDays(c.date, -weekdayIndex(c.date)),
    weekday: WEEKDAYS[weekdayIndex(c.date)],
    status: STATUS_LABEL[c.status],
    mark: c.status,
  }));
  const counts = Object.fromEntries(
    STATUS_ORDER.map((s) => [s, cells.filter((c) => c.status === s).length]),
  ) as Record<CalendarStatus, number>;

  const labelExpr =
    weeks <= 8
      ? "utcFormat(toDate(datum.value), '%-d %b')"
      : "utcdate(toDate(datum.value)) <= 7 ? utcFormat(toDate(datum.value), '%b') : ''";
  const spec = {
    title: { text: title, subtitle: `${dayLabel(first)} to ${dayLabel(last)}` },
    width: { step: 22 },
    height: { step: 22 },
    data: { values: rows },
    encoding: {
      x: {
        field: 'week',
        type: 'ordinal',
        sort: 'ascending',
        title: null,
        axis: { labelExpr, labelAngle: 0, ticks: false, domain: false, labelOverlap: false },
      },
      y: {
        field: 'weekday',
        type: 'ordinal',
        sort: WEEKDAYS,
        title: null,
        axis: { ticks: false, domain: false },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: PALETTE.background, strokeWidth: 2, cornerRadius: 3 },
        encoding: {
          color: {
            field: 'status',
            type: 'nominal',
            scale: {
              domain: STATUS_ORDER.map((s) => STATUS_LABEL[s]),
              range: STATUS_ORDER.map((s) => PALETTE[s]),
            },
            legend: { title: null, orient: 'bottom', direction: 'horizontal', symbolType: 'square' },
          },
        },
      },
      {
        transform: [{ filter: { field: 'mark', oneOf: [...marked] } }],
        mark: {
          type: 'point',
          filled: false,
          stroke: PALETTE.background,
          strokeWidth: 2,
          size: 110,
          opacity: 1,
        },
        encoding: {
          shape: {
            field: 'mark',
            type: 'nominal',
            scale: { domain: [...marked], range: marked.map((s) => STATUS_MARK[s]) },
            legend: null,
          },
        },
      },
    ],
    config,
  } as TopLevelSpec;

  const listOf = (status: CalendarStatus) =>
    dateRuns(cells.filter((c) => c.status === status).map((c) => c.date));
  const parts = [
    `${title}, ${dayLabel(first)} to ${dayLabel(last)}: ${counts.answered} answered, ${counts.frozen} frozen, ${counts.missed} missed, ${counts.off} not a study day.`,
    counts.missed ? `Missed: ${listOf('missed')}.` : '',
    counts.frozen ? `Frozen: ${listOf('frozen')}.` : '',
    counts.answered ? `Answered: ${listOf('answered')}.` : '',
  ];
  return renderChart(spec, parts.filter(Boolean).join(' '), options);
}

/** "Mon 1 Dec to Wed 3 Dec, Fri 5 Dec": consecutive dates folded into runs. */
function dateRuns(dates: readonly string[]): string {
  const runs: string[] = [];
  let start: string | undefined;
  let prev: string | undefined;
  const flush = () => {
    if (start && prev)
      runs.push(start === prev ? dayLabel(start) : `${dayLabel(start)} to ${dayLabel(prev)}`);
  };
  for (const d of dates) {
    if (prev && addDays(prev, 1) === d) {
      prev = d;
      continue;
    }
    flush();
    start = prev = d;
  }
  flush();
  return runs.join(', ');
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
  const points = (m: Mover) => Math.round((m.after - m.before) * 100);
  const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);
  const moverRows = movers.map((m, i) => ({
    name: names[i],
    delta: points(m),
    direction: points(m) >= 0 ? 'up' : 'down',
    labelAt: Math.max(points(m), 0),
    figure: `${Math.round(m.before * 100)}% → ${Math.round(m.after * 100)}% (${signed(points(m))})`,
  }));
  const panelWidth = WIDTH - 40;
  const participation = {
    ...participationLayer(figures.days, 180),
    width: panelWidth,
    title: {
      text: `Participation: ${answered} of ${members} member-days (${pct(answered, members)})`,
      fontSize: 12,
    },
  };
  const moverPanel = movers.length
    ? {
        width: panelWidth,
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
      }
    : {
        width: panelWidth,
        height: 30,
        title: { text: 'Top movers', fontSize: 12 },
        data: { values: [{ message: 'No movers this week' }] },
        mark: { type: 'text', align: 'left', color: PALETTE.muted, fontSize: 12 },
        encoding: { text: { field: 'message', type: 'nominal' }, x: { value: 0 }, y: { value: 15 } },
      };
  const spec = {
    title: { text: week },
    vconcat: [participation, moverPanel],
    spacing: 24,
    config,
  } as TopLevelSpec;
  const moverWords = movers.length
    ? `Top movers: ${movers
        .map(
          (m, i) =>
            `${names[i]} ${Math.round(m.before * 100)}% → ${Math.round(m.after * 100)}% (${signed(points(m))} points)`,
        )
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

/** Two members may share a display name; the second becomes "Sam (2)" so their bars stay apart. */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

export interface BoardEntry {
  rank: number;
  name: string;
  points: number;
}
export const MAX_BOARD_ROWS = 10;

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
    layer: [
      { mark: { type: 'bar', color: PALETTE.primary, height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { text: { field: 'figure', type: 'nominal' } },
      },
    ],
    config,
  } as TopLevelSpec;
  const more = shown.length < entries.length ? ` (top ${shown.length} of ${entries.length})` : '';
  const words = shown.map((e, i) => `${labels[i]} ${e.points} points`).join(', ');
  return renderChart(spec, `${heading}${more}: ${words}.`, options);
}
