/**
 * Entry point: `npm start`. With Slack or Discord configured it runs the service (src/service.ts); with no
 * platform credentials it opens the terminal chat (src/runtime/terminal.ts) on embedded PGlite.
 */
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config/config.ts';
import { startupFailure } from './runtime/startup-failure.ts';
import { openTerminal } from './runtime/terminal.ts';

async function main(): Promise<number | undefined> {
  const config = loadConfig(process.env);
  if (config.slack || config.discord) {
    // The service owns the process from here: its own logging, signals and exit code.
    await import('./service.ts');
    return undefined;
  }
  // The chat owns the screen: logs go to DATA_DIR/terminal.log (the banner says so), never into the chat.
  const interactive = process.stdin.isTTY === true;
  const terminal = await openTerminal({
    config,
    input: process.stdin,
    output: process.stdout,
    interactive,
    color: process.stdout.isTTY === true && !('NO_COLOR' in process.env),
    user: config.terminalUser ?? (os.userInfo().username || 'you'),
    filesDir: path.resolve('exports'),
    // Left open, the terminal posts on real time like a channel; `/clock` moves time forward on demand.
    realTime: interactive,
  });

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    terminal.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  await terminal.run();
  await terminal.close();
  return 0;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err) => {
    process.stderr.write(startupFailure(err));
    process.exitCode = 1;
  },
);
