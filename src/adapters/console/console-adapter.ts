/**
 * The terminal adapter: the terminal is one channel, you are a member, `/as` switches who you are. It is also
 * the channel's platform: the scheduler posts drills, reveals, reminders and digests into the chat through its
 * publisher, and `/clock` moves the bot's clock forward, running the scheduler at each step.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { addDays, localDateOf, slotFor, weekdayIndex } from '../../core/calendar.ts';
import type { Clock, SettableClock } from '../../core/clock.ts';
import type { MentionResolver } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { FileUpload, Publisher } from '../../core/outbound.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type {
  Button,
  ChannelRef,
  MessageRef,
  OutboundMessage,
  UserRef,
  WorkspaceRef,
} from '../../core/types.ts';
import { buttonKey, COLOR, NO_COLOR, renderForTerminal } from './console-render.ts';

export const CONSOLE_CHANNEL: ChannelRef = {
  platform: 'console',
  workspaceId: 'local',
  channelId: 'terminal',
};

/** The scheduler's ticker as the terminal uses it: one full run (posts, reveals, jobs) at the clock's time. */
export interface ConsoleScheduler {
  runNow(): Promise<unknown>;
}

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
}

/** `/clock` ticks at least this often, so reminders and digests at any minute appear near their time. */
export const CLOCK_STEP_MS = 10 * 60_000;
/** How far one `/clock` may move. */
export const CLOCK_MAX_MS = 31 * 24 * 3_600_000;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CLOCK_USAGE =
  'Usage: /clock shows the time; /clock +1d, +2h, +30m or +1d2h moves it forward; /clock 09:00 (or mon 09:00) moves it to the next 09:00.';

export function userIdFor(name: string): string {
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

const settable = (clock: Clock | SettableClock): clock is SettableClock => 'set' in clock;

/** Buttons on screen, newest last: drill answers and cohort joins are anyone's, practice answers one member's. */
interface Pressable {
  seq: number;
  buttons: readonly Button[];
}

/** How many of the channel's newest button sets stay pressable in the terminal. */
const SHARED_ON_SCREEN = 5;

function isPersonal(buttons: readonly Button[]): boolean {
  return buttons.some((b) => b.personal === true);
}

function sameButtons(a: OutboundMessage | undefined, b: OutboundMessage): boolean {
  const ids = (m: OutboundMessage | undefined) => (m?.card?.buttons ?? []).map((x) => x.value).join('|');
  return a !== undefined && ids(a) === ids(b);
}

/**
 * The instant `/clock <arg>` moves to, an error line, or undefined for "show the time". `+1d2h30m` moves by
 * that much; `HH:MM` (optionally after a weekday) moves to the next time the local clock shows it.
 */
export function clockTarget(arg: string, now: Date, timezone: string): Date | string | undefined {
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

export function createConsoleAdapter(opts: ConsoleAdapterOptions) {
  const style = opts.color ? COLOR : NO_COLOR;
  const owner = opts.user;
  const timezone = opts.timezone ?? 'UTC';
  let user: UserRef = memberRef(opts.user);
  const names = new Map<string, string>([[user.userId, user.displayName]]);
  let seq = 0;
  /**
   * The newest button sets anyone in the channel may press (a drill, a cohort announcement), newest last: a
   * drill posted under a cohort announcement must not hide its Join button.
   */
  const shared: Pressable[] = [];
  /** The newest buttons only one member may press (their practice question), by member. */
  const personal = new Map<string, Pressable>();
  /** What each posted message shows now, so an update that changes nothing visible is not printed again. */
  const posted = new Map<string, OutboundMessage>();
  let nextMessageId = 0;
  let rl: readline.Interface | undefined;
  let prompting = false;
  /** The time a `/clock` step ran at, printed once above the first thing that step posts. */
  let stepHeader: string | undefined;

  function memberRef(name: string): UserRef {
    return {
      ...CONSOLE_CHANNEL,
      userId: userIdFor(name),
      displayName: name,
      isPlatformAdmin: name === owner,
    };
  }

  /** Writes a block; while the prompt waits (a post from the running scheduler), redraws the prompt after it. */
  const write = (text: string) => {
    const redraw = prompting && opts.interactive && rl !== undefined;
    if (redraw) {
      readline.clearLine(opts.output, 0);
      readline.cursorTo(opts.output, 0);
    }
    opts.output.write(`${text}\n`);
    if (redraw) rl!.prompt(true);
  };

  const formatTime = (at: Date) =>
    `${DateTime.fromJSDate(at, { zone: timezone }).toFormat('ccc yyyy-MM-dd HH:mm')} ${timezone}`;

  function remember(msg: OutboundMessage, to?: string): void {
    const buttons = msg.card?.buttons;
    if (!buttons?.length) return;
    const entry = { seq: ++seq, buttons };
    if (to !== undefined && isPersonal(buttons)) personal.set(to, entry);
    else {
      shared.push(entry);
      if (shared.length > SHARED_ON_SCREEN) shared.shift();
    }
  }

  function show(msg: OutboundMessage, to?: string): void {
    remember(msg, to);
    write(`${renderForTerminal(msg, style)}\n`);
    if (msg.attachment) saveFile(msg.attachment);
  }

  function saveFile(file: { filename: string; content: string }): void {
    // The terminal has no uploads: the file goes to disk and the path is shown.
    fs.mkdirSync(opts.filesDir, { recursive: true });
    const target = path.join(opts.filesDir, path.basename(file.filename));
    fs.writeFileSync(target, file.content);
    write(style.dim(`Saved ${file.filename} to ${target}`));
  }

  /** Printed before what the scheduler sends, so the chat reads like a channel's history. */
  function fromScheduler(what: string): void {
    if (stepHeader !== undefined) {
      write(style.dim(`── ${stepHeader} ──`));
      stepHeader = undefined;
    }
    write(style.dim(what));
  }

  /** The scheduler's way into the chat: what it posts in a channel shows here as it would there. */
  const publisher: Publisher = {
    platform: 'console',
    async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
      const messageId = `terminal-${++nextMessageId}`;
      posted.set(messageId, message);
      fromScheduler(
        channel.channelId === CONSOLE_CHANNEL.channelId
          ? 'roadmap-bot posted:'
          : `roadmap-bot posted in #${channel.channelId}:`,
      );
      show(message);
      return { channel, messageId };
    },
    async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
      const before = posted.get(ref.messageId);
      posted.set(ref.messageId, message);
      // A terminal cannot edit what it printed: a message is shown again only when what one can do with it
      // changes (the reveal takes the buttons away), not for every new answer count.
      if (sameButtons(before, message)) return;
      fromScheduler('roadmap-bot updated its post:');
      show(message);
    },
    async sendDirect(to: WorkspaceRef & { userId: string }, message: OutboundMessage): Promise<void> {
      fromScheduler(`Direct message to ${names.get(to.userId) ?? to.userId}:`);
      show(message, to.userId);
    },
    async sendFile(target: ChannelRef | (WorkspaceRef & { userId: string }), file: FileUpload) {
      fromScheduler(
        'userId' in target ? `File for ${names.get(target.userId) ?? target.userId}:` : file.comment,
      );
      saveFile(file);
    },
  };

  /** One scheduler run at the clock's time; its failure is logged, never shown as a chat error. */
  async function tick(): Promise<void> {
    if (!opts.scheduler) return;
    try {
      await opts.scheduler.runNow();
    } catch (err) {
      opts.log.error({ err }, 'terminal scheduler run failed');
    }
  }

  /** Moves the clock to `target`, running the scheduler at every due time and every CLOCK_STEP_MS between. */
  async function advanceTo(clock: SettableClock, target: Date): Promise<void> {
    for (let step = 0; step < 100_000; step++) {
      const now = clock.now().getTime();
      if (now >= target.getTime()) break;
      const stops = [target.getTime(), (Math.floor(now / CLOCK_STEP_MS) + 1) * CLOCK_STEP_MS];
      for (const due of (await opts.nextDue?.(new Date(now))) ?? [])
        if (due.getTime() > now) stops.push(due.getTime());
      const next = new Date(Math.min(...stops));
      clock.set(next);
      stepHeader = formatTime(next);
      await tick();
    }
    stepHeader = undefined;
  }

  async function clockCommand(arg: string): Promise<void> {
    const clock = opts.clock;
    if (!settable(clock) || !opts.scheduler) {
      write("This terminal's clock cannot be moved.");
      return;
    }
    const target = clockTarget(arg, clock.now(), timezone);
    if (target === undefined) {
      write(`The bot's clock: ${formatTime(clock.now())}. ${CLOCK_USAGE}`);
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
    write(style.dim(`Moving the bot's clock to ${formatTime(target)}; the scheduler runs on the way…`));
    await advanceTo(clock, target);
    write(style.dim(`The bot's clock is now ${formatTime(clock.now())}.`));
  }

  /** The button a typed key presses: the newest on screen for this member with that key or first word. */
  function buttonFor(key: string): Button | undefined {
    const want = key.toLowerCase();
    const onScreen = [personal.get(user.userId), ...shared]
      .filter((p): p is Pressable => p !== undefined)
      .sort((a, b) => b.seq - a.seq);
    for (const p of onScreen)
      for (const b of p.buttons)
        if (
          buttonKey(b).toLowerCase() === want ||
          b.label.toLowerCase() === want ||
          b.label.split(/\s+/)[0]!.toLowerCase() === want
        )
          return b;
    return undefined;
  }

  async function handleLine(raw: string): Promise<'quit' | undefined> {
    const line = raw.trim();
    if (!line) return undefined;
    const requestId = randomUUID();
    if (line === '/quit' || line === '/exit') return 'quit';
    const as = /^\/as(?:\s+(.*))?$/.exec(line);
    if (as) {
      const name = as[1]?.trim();
      if (!name || name.length > 40) {
        write('Usage: /as <name> (1 to 40 characters), e.g. /as Ana');
        return undefined;
      }
      user = memberRef(name);
      names.set(user.userId, name);
      // The channel's drill stays on screen for the new member; a practice question stays with its member.
      write(style.dim(`You are now ${name}.`));
      return undefined;
    }
    const clock = /^\/clock(?:\s+(.*))?$/i.exec(line);
    if (clock) {
      await clockCommand(clock[1] ?? '');
      return undefined;
    }
    const command = /^\/?roadmap(?:\s+([\s\S]*))?$/i.exec(line);
    if (!command) {
      const button = line.startsWith('/') ? undefined : buttonFor(line);
      if (button) {
        const result = await opts.bot.handleAction({
          channel: CONSOLE_CHANNEL,
          user,
          actionId: button.actionId,
          value: button.value,
          requestId,
          receivedAt: opts.clock.now(),
        });
        show(result.reply, user.userId);
      } else if (/^[a-d]$/i.test(line)) {
        write('No question is on screen. Type /roadmap today for the drill or /roadmap quiz for practice.');
        return undefined;
      } else {
        write(
          'Type /roadmap help for the commands, a letter A–D to answer, /as <name> to switch member, /clock +1d to move time, /quit to leave.',
        );
        return undefined;
      }
    } else {
      const reply = await opts.bot.handleCommand({
        channel: CONSOLE_CHANNEL,
        user,
        input: { kind: 'text', text: command[1] ?? '', resolveMention },
        requestId,
        receivedAt: opts.clock.now(),
      });
      show(reply, user.userId);
    }
    // What the command scheduled (drill now, a schedule due now) posts before the next line, as in a channel.
    await tick();
    return undefined;
  }

  return {
    channel: CONSOLE_CHANNEL,
    publisher,
    currentUser: () => user,
    /** Reads lines until end of input or /quit; each line is handled before the next is read. */
    async run(): Promise<void> {
      const prompt = () => {
        if (opts.interactive) {
          rl!.setPrompt(`${user.displayName}> `);
          rl!.prompt();
          prompting = true;
        }
      };
      write(
        `${style.title('roadmap-bot')} · terminal chat as ${style.bold(user.displayName)}. ` +
          `Try ${style.code('/roadmap today')}, answer with a letter, ${style.code('/as <name>')} to switch member, ` +
          `${style.code('/clock +1d')} to move the bot's clock, ${style.code('/quit')} to leave.` +
          (opts.logDestination ? `\n${style.dim(`Logs go to ${opts.logDestination}.`)}` : '') +
          '\n',
      );
      // Whatever is due now (a drill that opened while the terminal was closed) posts first. Lines are read
      // only after it: readline drops lines that arrive before the loop below iterates.
      await tick();
      rl = readline.createInterface({
        input: opts.input,
        output: opts.interactive ? opts.output : undefined,
        terminal: opts.interactive,
      });
      prompt();
      for await (const line of rl) {
        prompting = false;
        if (!opts.interactive && line.trim()) write(style.dim(`${user.displayName}> ${line.trim()}`));
        try {
          if ((await handleLine(line)) === 'quit') break;
        } catch (err) {
          opts.log.error({ err }, 'terminal input failed');
          write(
            `Something went wrong; it has been logged${opts.logDestination ? ` to ${opts.logDestination}` : ''}.`,
          );
        }
        prompt();
      }
      prompting = false;
      rl.close();
    },
    stop(): void {
      rl?.close();
    },
  };
}

export type ConsoleAdapter = ReturnType<typeof createConsoleAdapter>;
