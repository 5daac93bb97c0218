/**
 * The terminal adapter: the terminal is one channel, you are a member, `/as` switches who you are. It is also
 * the channel's platform: the scheduler posts drills, reveals, reminders and digests into the chat through its
 * publisher, and `/clock` moves the bot's clock forward, running the scheduler at each step.
 */

import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Clock, SettableClock } from '../../core/clock.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { AttachmentReader, MentionResolver } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import { echo } from '../../core/render/text.ts';
import type { ChannelRef, UserRef } from '../../core/types.ts';
import { readLocalAttachment } from '../download.ts';
import { type ClockCommandDeps, type ConsoleScheduler, clockCommand } from './console-clock.ts';
import { createConsolePublisher } from './console-publisher.ts';
import { createScreen, type Screen } from './console-screen.ts';

/** In the terminal a file is a path on this machine (`/roadmap track import ./my-track.yaml`). */
const localFile: AttachmentReader = async ({ maxBytes, hint }) => {
  if (!hint) return undefined;
  try {
    return await readLocalAttachment(hint, maxBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UserFacingError('NOT_FOUND', `Cannot read ${echo(hint, 80)} (${code}).`);
  }
};

export const CONSOLE_CHANNEL: ChannelRef = {
  platform: 'console',
  workspaceId: 'local',
  channelId: 'terminal',
};

export interface ConsoleAdapterOptions {
  bot: Bot;
  /** The bot's clock; `/clock` moves it when it can be set. */
  clock: Clock | SettableClock;
  log: Log;
  input: Readable;
  output: Writable;
  /** The first simulated member; the terminal's owner, so a workspace admin. */
  user: string;
  color: boolean;
  /** Show a prompt (interactive); otherwise echo each input line so piped transcripts read well. */
  interactive: boolean;
  /** Where files the bot sends (CSV exports) are written. */
  filesDir: string;
  /** Runs after every command, so what it scheduled shows at once, and at every step of `/clock`. */
  scheduler?: ConsoleScheduler;
  /** Instants after `after` at which something is scheduled (the drill's next post or reveal): `/clock` stops there. */
  nextDue?: (after: Date) => Promise<Date[]>;
  /** The zone `/clock` reads and shows times in. */
  timezone?: string;
  /** Where the logs go, shown in the banner (they never print into the chat). */
  logDestination?: string;
  /** `/dashboard`: a one-time link signing this member in to the web dashboard on this machine. */
  dashboardLink?: (user: UserRef) => Promise<string>;
}

function userIdFor(name: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'member'
  );
}

const resolveMention: MentionResolver = (token) => {
  const user = /^@([\p{L}\p{N}._-]{1,40})$/u.exec(token);
  if (user) return { userId: userIdFor(user[1]!), displayName: user[1]! };
  const channel = /^#([a-z0-9._-]{1,80})$/i.exec(token);
  if (channel) return { channelId: channel[1]!.toLowerCase(), name: channel[1]! };
  return undefined;
};

/** A member of the terminal channel; the terminal's owner (the first member) is a workspace admin. */
function memberRef(name: string, owner: string): UserRef {
  return {
    ...CONSOLE_CHANNEL,
    userId: userIdFor(name),
    displayName: name,
    isPlatformAdmin: name === owner,
  };
}

/** One terminal chat: who is typing now, the names seen so far, what the screen shows. */
interface Session {
  opts: ConsoleAdapterOptions;
  screen: Screen;
  user: UserRef;
  names: Map<string, string>;
  clock: ClockCommandDeps;
  rl: readline.Interface | undefined;
  tick(): Promise<void>;
}

/** One scheduler run at the clock's time; its failure is logged, never shown as a chat error. */
async function tick(opts: ConsoleAdapterOptions): Promise<void> {
  if (!opts.scheduler) return;
  try {
    await opts.scheduler.runNow();
  } catch (err) {
    opts.log.error({ err }, 'terminal scheduler run failed');
  }
}

/** `/as <name>`: later lines are typed by that member. */
function switchMember(session: Session, arg: string | undefined): void {
  const { write, style } = session.screen;
  const name = arg?.trim();
  if (!name || name.length > 40) {
    write('Usage: /as <name> (1 to 40 characters), e.g. /as Ana');
    return;
  }
  session.user = memberRef(name, session.opts.user);
  session.names.set(session.user.userId, name);
  // The channel's drill stays on screen for the new member; a practice question stays with its member.
  write(style.dim(`You are now ${name}.`));
}

/** `/dashboard`: prints a one-time login link to the dashboard for the member typing. */
async function dashboardLink(session: Session): Promise<void> {
  const { write, style } = session.screen;
  if (!session.opts.dashboardLink) {
    write('The web dashboard is not available in this chat.');
    return;
  }
  const link = await session.opts.dashboardLink(session.user);
  write(`Open the dashboard (this link works once, for 15 minutes): ${style.code(link)}`);
}

/** A line that is not a command presses the button it names; otherwise a hint. False when nothing ran. */
async function pressButton(session: Session, line: string, requestId: string): Promise<boolean> {
  const { opts, screen, user } = session;
  const button = line.startsWith('/') ? undefined : screen.buttonFor(user.userId, line);
  if (button) {
    const result = await opts.bot.handleAction({
      channel: CONSOLE_CHANNEL,
      user,
      actionId: button.actionId,
      value: button.value,
      requestId,
      receivedAt: opts.clock.now(),
    });
    screen.show(result.reply, user.userId);
    return true;
  }
  if (/^[a-d]$/i.test(line)) {
    screen.write(
      'No question is on screen. Type /roadmap today for the drill or /roadmap quiz for practice.',
    );
    return false;
  }
  screen.write(
    'Type /roadmap help for the commands, a letter A–D to answer, /as <name> to switch member, /clock +1d to move time, /quit to leave.',
  );
  return false;
}

async function handleLine(session: Session, raw: string): Promise<'quit' | undefined> {
  const line = raw.trim();
  if (!line) return undefined;
  const requestId = randomUUID();
  if (line === '/quit' || line === '/exit') return 'quit';
  const as = /^\/as(?:\s+(.*))?$/.exec(line);
  if (as) {
    switchMember(session, as[1]);
    return undefined;
  }
  if (/^\/dashboard$/i.test(line)) {
    await dashboardLink(session);
    return undefined;
  }
  const clock = /^\/clock(?:\s+(.*))?$/i.exec(line);
  if (clock) {
    await clockCommand(session.clock, clock[1] ?? '');
    return undefined;
  }
  const command = /^\/?roadmap(?:\s+([\s\S]*))?$/i.exec(line);
  if (!command) {
    if (!(await pressButton(session, line, requestId))) return undefined;
  } else {
    const { opts, user } = session;
    const reply = await opts.bot.handleCommand({
      channel: CONSOLE_CHANNEL,
      user,
      input: { kind: 'text', text: command[1] ?? '', resolveMention },
      attachment: localFile,
      requestId,
      receivedAt: opts.clock.now(),
    });
    session.screen.show(reply, user.userId);
  }
  // What the command scheduled (drill now, a schedule due now) posts before the next line, as in a channel.
  await session.tick();
  return undefined;
}

/** Reads lines until end of input or /quit; each line is handled before the next is read. */
async function runChat(session: Session): Promise<void> {
  const { opts, screen } = session;
  const { write, style } = screen;
  write(
    `${style.title('roadmap-bot')} · terminal chat as ${style.bold(session.user.displayName)}. ` +
      `Try ${style.code('/roadmap today')}, answer with a letter, ${style.code('/as <name>')} to switch member, ` +
      `${style.code('/clock +1d')} to move the bot's clock, ${style.code('/quit')} to leave.` +
      (opts.logDestination ? `\n${style.dim(`Logs go to ${opts.logDestination}.`)}` : '') +
      '\n',
  );
  // Whatever is due now (a drill that opened while the terminal was closed) posts first. Lines are read
  // only after it: readline drops lines that arrive before the loop below iterates.
  await session.tick();
  const rl = readline.createInterface({
    input: opts.input,
    output: opts.interactive ? opts.output : undefined,
    terminal: opts.interactive,
  });
  session.rl = rl;
  screen.attach(rl);
  screen.prompt(session.user.displayName);
  for await (const line of rl) {
    screen.lineRead();
    if (!opts.interactive && line.trim()) write(style.dim(`${session.user.displayName}> ${line.trim()}`));
    try {
      if ((await handleLine(session, line)) === 'quit') break;
    } catch (err) {
      opts.log.error({ err }, 'terminal input failed');
      write(
        `Something went wrong; it has been logged${opts.logDestination ? ` to ${opts.logDestination}` : ''}.`,
      );
    }
    screen.prompt(session.user.displayName);
  }
  screen.lineRead();
  rl.close();
}

export function createConsoleAdapter(opts: ConsoleAdapterOptions) {
  const screen = createScreen(opts);
  const user = memberRef(opts.user, opts.user);
  const names = new Map<string, string>([[user.userId, user.displayName]]);
  const runScheduler = () => tick(opts);
  const session: Session = {
    opts,
    screen,
    user,
    names,
    rl: undefined,
    tick: runScheduler,
    clock: {
      clock: opts.clock,
      scheduler: opts.scheduler,
      nextDue: opts.nextDue,
      timezone: opts.timezone ?? 'UTC',
      screen,
      tick: runScheduler,
    },
  };
  return {
    channel: CONSOLE_CHANNEL,
    /** The scheduler's way into the chat: what it posts in a channel shows here as it would there. */
    publisher: createConsolePublisher({ channel: CONSOLE_CHANNEL, screen, names }),
    currentUser: () => session.user,
    /** Reads lines until end of input or /quit; each line is handled before the next is read. */
    run: (): Promise<void> => runChat(session),
    stop(): void {
      session.rl?.close();
    },
  };
}

export type ConsoleAdapter = ReturnType<typeof createConsoleAdapter>;
