/** Pictures for reports, digests and `me`: one definition each, rendered as SVG (dashboard) and PNG (chat). */
export { boardCard } from './board-card.ts';
export { type CalendarDay, type CalendarStatus, studyCalendar } from './calendar-chart.ts';
export { cleanLabel, dayLabel } from './charts.ts';
export { weeklyDigestChart } from './digest-chart.ts';
export { PALETTE } from './palette.ts';
export { ALT_TEXT_MAX, type ChartImage, renderChart, withChart, withPicture } from './render.ts';
export {
  cohortReportChart,
  type ModuleFigures,
  moduleAccuracyChart,
  type ParticipationDay,
  participationChart,
} from './report-charts.ts';
