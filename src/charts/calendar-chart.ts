/** The `me` and `streak history` picture: a calendar of study days, one square per day. */
import type { TopLevelSpec } from 'vega-lite';
import { addDays, weekdayIndex } from '../core/calendar.ts';
import { config, dayLabel, emptySpec, WEEKDAYS } from './charts.ts';
import { PALETTE } from './palette.ts';
import { type ChartImage, type RenderOptions, renderChart } from './render.ts';

export type CalendarStatus = 'answered' | 'frozen' | 'missed' | 'off';
export interface CalendarDay {
  date: string;
  status: CalendarStatus;
}

const MAX_CALENDAR_WEEKS = 26;

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

/** The calendar's squares and their marks; only the data changes from one member to the next. */
const calendarLayers = () => [
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
];

type Cell = { date: string; status: CalendarStatus };

/** Every day from the first listed (within MAX_CALENDAR_WEEKS) to the last, unlisted days "off". */
function calendarCells(days: readonly CalendarDay[]): { cells: Cell[]; first: string; last: string } {
  const byDate = new Map<string, CalendarStatus>();
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) byDate.set(d.date, d.status);
  const dates = [...byDate.keys()];
  const last = dates[dates.length - 1]!;
  const lastMonday = addDays(last, -weekdayIndex(last));
  const earliest = addDays(lastMonday, -7 * (MAX_CALENDAR_WEEKS - 1));
  const first = dates.find((d) => d >= earliest)!;

  const cells: Cell[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    cells.push({ date, status: byDate.get(date) ?? 'off' });
  }
  return { cells, first, last };
}

function calendarSpec(title: string, cells: readonly Cell[], first: string, last: string): TopLevelSpec {
  const weeks = new Set(cells.map((c) => addDays(c.date, -weekdayIndex(c.date)))).size;
  const rows = cells.map((c) => ({
    week: addDays(c.date, -weekdayIndex(c.date)),
    weekday: WEEKDAYS[weekdayIndex(c.date)],
    status: STATUS_LABEL[c.status],
    mark: c.status,
  }));
  const labelExpr =
    weeks <= 8
      ? "utcFormat(toDate(datum.value), '%-d %b')"
      : "utcdate(toDate(datum.value)) <= 7 ? utcFormat(toDate(datum.value), '%b') : ''";
  return {
    // The dates are a parameter and the rows are data, so every member's calendar shares one compiled shape.
    params: [{ name: 'subtitle', value: `${dayLabel(first)} to ${dayLabel(last)}` }],
    // Vega-Lite hands an expression here on to Vega's title, whose subtitle takes a signal; its types say text.
    title: { text: title, subtitle: { expr: 'subtitle' } as unknown as string },
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
    layer: calendarLayers(),
    config,
  } as TopLevelSpec;
}

function calendarWords(title: string, cells: readonly Cell[], first: string, last: string): string {
  const counts = Object.fromEntries(
    STATUS_ORDER.map((s) => [s, cells.filter((c) => c.status === s).length]),
  ) as Record<CalendarStatus, number>;
  const listOf = (status: CalendarStatus) =>
    dateRuns(cells.filter((c) => c.status === status).map((c) => c.date));
  const parts = [
    `${title}, ${dayLabel(first)} to ${dayLabel(last)}: ${counts.answered} answered, ${counts.frozen} frozen, ${counts.missed} missed, ${counts.off} not a study day.`,
    counts.missed ? `Missed: ${listOf('missed')}.` : '',
    counts.frozen ? `Frozen: ${listOf('frozen')}.` : '',
    counts.answered ? `Answered: ${listOf('answered')}.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

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
  const { cells, first, last } = calendarCells(days);
  return renderChart(
    calendarSpec(title, cells, first, last),
    calendarWords(title, cells, first, last),
    options,
  );
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
