/**
 * Entry point: `npm start`. With Slack or Discord configured it runs the service (src/service.ts); with no
 * platform credentials it opens the terminal chat on embedded PGlite.
 */
import os from 'node:os';
import path from 'node:path';
import { createConsoleAdapter } from './adapters/console/console-adapter.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ContentError } from './content/load.ts';
import { systemClock } from './core/clock.ts';
import { ALL_DAYS } from './core/commands/options.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<number | undefined> {
  const config = loadConfig(process.env);
  if (config.slack || config.discord) {
    // The service owns the process from here: its own logging, signals and exit code.
    await import('./service.ts');
    return undefined;
  }
  // The terminal chat owns stdout, so logs go to stderr and only warnings show unless LOG_LEVEL says otherwise.
  const log = createLogger(config, { fd: 2, defaultLevel: 'warn' });
  const app = await createApp(config, { log, clock: systemClock });

  const interactive = process.stdin.isTTY === true;
  const name = config.terminalUser ?? (os.userInfo().username || 'you');
  const terminal = createConsoleAdapter({
    bot: app.bot,
    clock: systemClock,
    log: log.child({ platform: 'console' }),
    input: process.stdin,
    output: process.stdout,
    user: name,
    color: process.stdout.isTTY === true && !('NO_COLOR' in process.env),
    interactive,
    filesDir: path.resolve('exports'),
  });
  // The terminal is a channel with a daily drill that opens at midnight, so there is always a card today.
  await app.study.touch(terminal.currentUser());
  await app.study.ensureDrill(
    terminal.channel,
    { timeOfDay: '00:00', days: ALL_DAYS, timezone: config.defaultTimezone },
    null,
    new Date(0),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    log.info({ signal }, 'shutting down');
    terminal.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  await terminal.run();
  await app.close();
  log.flush();
  return 0;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err) => {
    // No logger exists yet when configuration or content is wrong: say it plainly on stderr.
    if (err instanceof ConfigError || err instanceof ContentError) process.stderr.write(`${err.message}\n`);
    else
      process.stderr.write(
        `roadmap-bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    process.exitCode = 1;
  },
);
