/**
 * `/clock`: the terminal moves the bot's clock forward, running the scheduler at every due time and every
 * CLOCK_STEP_MS on the way, so what a channel would see over days shows in minutes.
 */
import { DateTime } from 'luxon';
import { addDays, localDateOf, slotFor, weekdayIndex } from '../../core/calendar.ts';
import type { Clock, SettableClock } from '../../core/clock.ts';
import type { Screen } from './console-screen.ts';

/** The scheduler's ticker as the terminal uses it: one full run (posts, reveals, jobs) at the clock's time. */
export interface ConsoleScheduler {
  runNow(): Promise<unknown>;
}

/** `/clock` ticks at least this often, so reminders and digests at any minute appear near their time. */
const CLOCK_STEP_MS = 10 * 60_000;
/** How far one `/clock` may move. */
const CLOCK_MAX_MS = 31 * 24 * 3_600_000;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLOCK_USAGE =
  'Usage: /clock shows the time; /clock +1d, +2h, +30m or +1d2h moves it forward; /clock 09:00 (or mon 09:00) moves it to the next 09:00.';

const settable = (clock: Clock | SettableClock): clock is SettableClock => 'set' in clock;

export interface ClockCommandDeps {
  /** The bot's clock; `/clock` moves it when it can be set. */
  clock: Clock | SettableClock;
  scheduler: ConsoleScheduler | undefined;
  /** Instants after `after` at which something is scheduled (the drill's next post or reveal): `/clock` stops there. */
  nextDue: ((after: Date) => Promise<Date[]>) | undefined;
  /** The zone `/clock` reads and shows times in. */
  timezone: string;
  screen: Screen;
  /** One scheduler run at the clock's time. */
  tick(): Promise<void>;
}

/**
 * The instant `/clock <arg>` moves to, an error line, or undefined for "show the time". `+1d2h30m` moves by
 * that much; `HH:MM` (optionally after a weekday) moves to the next time the local clock shows it.
 */
function clockTarget(arg: string, now: Date, timezone: string): Date | string | undefined {
  const text = arg.trim().toLowerCase();
  if (!text) return undefined;
  const by = /^\+(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,6})m)?$/.exec(text);
  if (by && (by[1] || by[2] || by[3])) {
    const ms = (Number(by[1] ?? 0) * 24 * 60 + Number(by[2] ?? 0) * 60 + Number(by[3] ?? 0)) * 60_000;
    return new Date(now.getTime() + ms);
  }
  const at = /^(?:([a-z]{3})[a-z]*\s+)?([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (at) {
    const weekday = at[1] === undefined ? undefined : WEEKDAYS.indexOf(at[1]);
    if (weekday === -1) return `"${at[1]}" is not a weekday (mon … sun). ${CLOCK_USAGE}`;
    const timeOfDay = `${at[2]!.padStart(2, '0')}:${at[3]}`;
    const today = localDateOf(now, timezone);
    for (let i = 0; i <= 7; i++) {
      const date = addDays(today, i);
      if (weekday !== undefined && weekdayIndex(date) !== weekday) continue;
      const instant = slotFor({ timeOfDay, timezone }, date);
      if (instant.getTime() > now.getTime()) return instant;
    }
  }
  if (/^-/.test(text)) return "The bot's clock only moves forward: what it posted cannot be taken back.";
  return CLOCK_USAGE;
}

const formatTime = (at: Date, timezone: string) =>
  `${DateTime.fromJSDate(at, { zone: timezone }).toFormat('ccc yyyy-MM-dd HH:mm')} ${timezone}`;

/** Moves the clock to `target`, running the scheduler at every due time and every CLOCK_STEP_MS between. */
async function advanceTo(deps: ClockCommandDeps, clock: SettableClock, target: Date): Promise<void> {
  for (let step = 0; step < 100_000; step++) {
    const now = clock.now().getTime();
    if (now >= target.getTime()) break;
    const stops = [target.getTime(), (Math.floor(now / CLOCK_STEP_MS) + 1) * CLOCK_STEP_MS];
    for (const due of (await deps.nextDue?.(new Date(now))) ?? [])
      if (due.getTime() > now) stops.push(due.getTime());
    const next = new Date(Math.min(...stops));
    clock.set(next);
    deps.screen.setStepHeader(formatTime(next, deps.timezone));
    await deps.tick();
  }
  deps.screen.setStepHeader(undefined);
}

export async function clockCommand(deps: ClockCommandDeps, arg: string): Promise<void> {
  const { clock, timezone, screen } = deps;
  const { write, style } = screen;
  if (!settable(clock) || !deps.scheduler) {
    write("This terminal's clock cannot be moved.");
    return;
  }
  const target = clockTarget(arg, clock.now(), timezone);
  if (target === undefined) {
    write(`The bot's clock: ${formatTime(clock.now(), timezone)}. ${CLOCK_USAGE}`);
    return;
  }
  if (typeof target === 'string') {
    write(target);
    return;
  }
  if (target.getTime() - clock.now().getTime() > CLOCK_MAX_MS) {
    write('The clock moves at most 31 days at a time.');
    return;
  }
  write(
    style.dim(`Moving the bot's clock to ${formatTime(target, timezone)}; the scheduler runs on the way…`),
  );
  await advanceTo(deps, clock, target);
  write(style.dim(`The bot's clock is now ${formatTime(clock.now(), timezone)}.`));
}
