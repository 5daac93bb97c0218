/** Pictures for reports, digests and `me`: one definition each, rendered as SVG (dashboard) and PNG (chat). */
export { type BoardEntry, boardCard } from './board-card.ts';
export { type CalendarDay, type CalendarStatus, studyCalendar } from './calendar-chart.ts';
export { cleanLabel, dayLabel } from './charts.ts';
export { type Mover, type WeeklyDigestFigures, weeklyDigestChart } from './digest-chart.ts';
export { PALETTE } from './palette.ts';
export {
  ALT_TEXT_MAX,
  type ChartImage,
  chartSvg,
  type RenderOptions,
  renderChart,
  svgToPng,
} from './render.ts';
export {
  type ModuleFigures,
  moduleAccuracyChart,
  type ParticipationDay,
  participationChart,
} from './report-charts.ts';
