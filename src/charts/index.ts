/** Pictures for reports, digests and `me`: one definition each, rendered as SVG (dashboard) and PNG (chat). */
export {
  type BoardEntry,
  boardCard,
  type CalendarDay,
  type CalendarStatus,
  cleanLabel,
  dayLabel,
  type ModuleFigures,
  type Mover,
  moduleAccuracyChart,
  type ParticipationDay,
  participationChart,
  studyCalendar,
  type WeeklyDigestFigures,
  weeklyDigestChart,
} from './charts.ts';
export { PALETTE } from './palette.ts';
export {
  ALT_TEXT_MAX,
  type ChartImage,
  chartSvg,
  type RenderOptions,
  renderChart,
  svgToPng,
} from './render.ts';
