/**
 * The terminal chat wired up (`npm start` with no platform configured): the app on its database, the console
 * adapter as the terminal channel's platform, the real scheduler ticker posting into the chat, and the logs in
 * a file so that they never print into the conversation.
 */

import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  CONSOLE_CHANNEL,
  type ConsoleAdapter,
  createConsoleAdapter,
} from '../adapters/console/console-adapter.ts';
import type { Config } from '../config/config.ts';
import { createLogger } from '../config/logger.ts';
import { addDays, localDateOf, nextSlotAfter, slotFor } from '../core/calendar.ts';
import { createShiftedClock, type SettableClock } from '../core/clock.ts';
import { ALL_DAYS } from '../core/commands/options.ts';
import { ensureDrill, getDrill } from '../deliveries/deliveries.ts';
import { createTouch } from '../members/touch.ts';
import { type App, createApp } from './app.ts';
import { terminalDashboard } from './terminal-dashboard.ts';

export interface TerminalOptions {
  config: Config;
  input: Readable;
  output: Writable;
  interactive: boolean;
  color: boolean;
  /** The first member's name. */
  user: string;
  filesDir: string;
  /** The bot's clock; by default real time, which `/clock` shifts forward. */
  clock?: SettableClock;
  /** Also run the scheduler every minute of real time, as the service does (an interactive terminal). */
  realTime?: boolean;
  /** Default: terminal.log in DATA_DIR. */
  logFile?: string;
}

export interface Terminal {
  app: App;
  adapter: ConsoleAdapter;
  logFile: string;
  /** Runs the chat until end of input or /quit. */
  run(): Promise<void>;
  stop(): void;
  /** Stops the scheduler and closes the database. */
  close(): Promise<void>;
}

/** A path as short as it can be said from here: `data/terminal.log` rather than an absolute path. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export async function openTerminal(opts: TerminalOptions): Promise<Terminal> {
  const { config } = opts;
  const logFile = opts.logFile ?? path.join(config.dataDir, 'terminal.log');
  const log = createLogger(config, { file: logFile, defaultLevel: 'info' });
  const clock = opts.clock ?? createShiftedClock();
  // The chat runs the scheduler itself after every command, so a command's own kick (`drill now`) would only
  // race it: the post would print before or after the reply by chance.
  const app = await createApp(
    { ...config, scheduler: { ...config.scheduler, enabled: false } },
    { log, clock },
  );
  const timezone = config.defaultTimezone;
  let owner = '';
  const web = terminalDashboard(app.study, { port: config.http.port, ownerId: () => owner, log });
  const adapter = createConsoleAdapter({
    bot: app.bot,
    clock,
    log: log.child({ platform: 'console' }),
    input: opts.input,
    output: opts.output,
    user: opts.user,
    color: opts.color,
    interactive: opts.interactive,
    filesDir: opts.filesDir,
    scheduler: app.ticker,
    timezone,
    logDestination: shown(logFile),
    dashboardLink: (user) => web.loginLink(user.userId),
    // `/clock` stops exactly at the terminal drill's next post and reveal, so they run on the minute.
    async nextDue(after) {
      const drill = await getDrill(app.study, CONSOLE_CHANNEL);
      if (drill?.status !== 'active') return [];
      const due = [nextSlotAfter(drill.schedule, after).at];
      if (drill.revealTime) {
        const today = localDateOf(after, drill.schedule.timezone);
        for (const date of [today, addDays(today, 1)])
          due.push(slotFor({ timeOfDay: drill.revealTime, timezone: drill.schedule.timezone }, date));
      }
      return due;
    },
  });
  owner = adapter.currentUser().userId;
  app.publishers.set('console', adapter.publisher);
  // The terminal is a channel with a daily drill that opens at midnight, so there is always a card today.
  await createTouch(app.study)(adapter.currentUser());
  await ensureDrill(
    app.study,
    CONSOLE_CHANNEL,
    { timeOfDay: '00:00', days: ALL_DAYS, timezone },
    null,
    new Date(0),
  );
  return {
    app,
    adapter,
    logFile,
    async run() {
      if (opts.realTime) app.ticker.start();
      await adapter.run();
    },
    stop: () => adapter.stop(),
    async close() {
      await web.close();
      await app.ticker.stop();
      await app.close();
      log.flush();
    },
  };
}
