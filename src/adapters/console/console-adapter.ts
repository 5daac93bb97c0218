/** The terminal adapter: the terminal is one channel, you are a member, `/as` switches who you are. */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Bot } from '../../core/bot.ts';
import type { Clock } from '../../core/clock.ts';
import type { MentionResolver } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { Button, ChannelRef, OutboundMessage, UserRef } from '../../core/types.ts';
import { COLOR, NO_COLOR, renderForTerminal } from './console-render.ts';

export const CONSOLE_CHANNEL: ChannelRef = {
  platform: 'console',
  workspaceId: 'local',
  channelId: 'terminal',
};

export interface ConsoleAdapterOptions {
  bot: Bot;
  clock: Clock;
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
}

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

export function createConsoleAdapter(opts: ConsoleAdapterOptions) {
  const style = opts.color ? COLOR : NO_COLOR;
  const owner = opts.user;
  let user: UserRef = memberRef(opts.user);
  /** Buttons of the last question shown, so typing a letter is clicking it. */
  let lastButtons: readonly Button[] = [];
  let rl: readline.Interface | undefined;

  function memberRef(name: string): UserRef {
    return {
      ...CONSOLE_CHANNEL,
      userId: userIdFor(name),
      displayName: name,
      isPlatformAdmin: name === owner,
    };
  }

  const write = (text: string) => opts.output.write(`${text}\n`);

  function show(msg: OutboundMessage): void {
    if (msg.card?.buttons?.length) lastButtons = msg.card.buttons;
    write(`${renderForTerminal(msg, style)}\n`);
    if (msg.attachment) {
      // The terminal has no uploads: the file goes to disk and the path is shown.
      fs.mkdirSync(opts.filesDir, { recursive: true });
      const file = path.join(opts.filesDir, path.basename(msg.attachment.filename));
      fs.writeFileSync(file, msg.attachment.content);
      write(style.dim(`Saved ${msg.attachment.filename} to ${file}`));
    }
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
      lastButtons = [];
      write(style.dim(`You are now ${name}.`));
      return undefined;
    }
    if (/^[a-d]$/i.test(line)) {
      const button = lastButtons.find((b) => b.label.toLowerCase() === line.toLowerCase());
      if (!button) {
        write('No question is on screen. Type /roadmap today for the drill or /roadmap quiz for practice.');
        return undefined;
      }
      const result = await opts.bot.handleAction({
        channel: CONSOLE_CHANNEL,
        user,
        actionId: button.actionId,
        value: button.value,
        requestId,
        receivedAt: opts.clock.now(),
      });
      show(result.reply);
      return undefined;
    }
    const command = /^\/?roadmap(?:\s+([\s\S]*))?$/i.exec(line);
    if (!command) {
      write(
        'Type /roadmap help for the commands, a letter A–D to answer, /as <name> to switch member, /quit to leave.',
      );
      return undefined;
    }
    const reply = await opts.bot.handleCommand({
      channel: CONSOLE_CHANNEL,
      user,
      input: { kind: 'text', text: command[1] ?? '', resolveMention },
      requestId,
      receivedAt: opts.clock.now(),
    });
    show(reply);
    return undefined;
  }

  return {
    channel: CONSOLE_CHANNEL,
    currentUser: () => user,
    /** Reads lines until end of input or /quit; each line is handled before the next is read. */
    async run(): Promise<void> {
      rl = readline.createInterface({
        input: opts.input,
        output: opts.interactive ? opts.output : undefined,
        terminal: opts.interactive,
      });
      const prompt = () => {
        if (opts.interactive) {
          rl!.setPrompt(`${user.displayName}> `);
          rl!.prompt();
        }
      };
      write(
        `${style.title('roadmap-bot')} · terminal chat as ${style.bold(user.displayName)}. ` +
          `Try ${style.code('/roadmap today')}, answer with a letter, ${style.code('/as <name>')} to switch member, ${style.code('/quit')} to leave.\n`,
      );
      prompt();
      for await (const line of rl) {
        if (!opts.interactive && line.trim()) write(style.dim(`${user.displayName}> ${line.trim()}`));
        try {
          if ((await handleLine(line)) === 'quit') break;
        } catch (err) {
          opts.log.error({ err }, 'terminal input failed');
          write('Something went wrong; it has been logged.');
        }
        prompt();
      }
      rl.close();
    },
    stop(): void {
      rl?.close();
    },
  };
}

export type ConsoleAdapter = ReturnType<typeof createConsoleAdapter>;
