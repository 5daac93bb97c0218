/**
 * What the terminal shows: the chat's output (with the prompt redrawn under a scheduler's post) and the
 * buttons on screen, which a typed key presses.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Writable } from 'node:stream';
import type { Button, OutboundMessage } from '../../core/types.ts';
import { buttonKey, COLOR, NO_COLOR, renderForTerminal } from './console-render.ts';

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

/** The buttons on screen, and the one a typed key presses. */
function createPressables() {
  let seq = 0;
  /**
   * The newest button sets anyone in the channel may press (a drill, a cohort announcement), newest last: a
   * drill posted under a cohort announcement must not hide its Join button.
   */
  const shared: Pressable[] = [];
  /** The newest buttons only one member may press (their practice question), by member. */
  const personal = new Map<string, Pressable>();

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

  /** The button a typed key presses: the newest on screen for this member with that key or first word. */
  function buttonFor(userId: string, key: string): Button | undefined {
    const want = key.toLowerCase();
    const onScreen = [personal.get(userId), ...shared]
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

  return { remember, buttonFor };
}

export interface ScreenOptions {
  output: Writable;
  color: boolean;
  /** Show a prompt (interactive); otherwise echo each input line so piped transcripts read well. */
  interactive: boolean;
  /** Where files the bot sends (CSV exports) are written. */
  filesDir: string;
}

export function createScreen(opts: ScreenOptions) {
  const style = opts.color ? COLOR : NO_COLOR;
  const pressables = createPressables();
  let rl: readline.Interface | undefined;
  let prompting = false;
  /** The time a `/clock` step ran at, printed once above the first thing that step posts. */
  let stepHeader: string | undefined;

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

  function show(msg: OutboundMessage, to?: string): void {
    pressables.remember(msg, to);
    write(`${renderForTerminal(msg, style)}\n`);
    if (msg.attachment) saveFile(msg.attachment);
  }

  function saveFile(file: { filename: string; content: string | Uint8Array }): void {
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

  return {
    style,
    write,
    show,
    fromScheduler,
    buttonFor: pressables.buttonFor,
    setStepHeader(header: string | undefined) {
      stepHeader = header;
    },
    /** Lines are read through `reader` from now on; the prompt is drawn there. */
    attach(reader: readline.Interface) {
      rl = reader;
    },
    prompt(name: string) {
      if (opts.interactive) {
        rl!.setPrompt(`${name}> `);
        rl!.prompt();
        prompting = true;
      }
    },
    /** A line was read: no prompt waits until the next `prompt`. */
    lineRead() {
      prompting = false;
    },
  };
}

export type Screen = ReturnType<typeof createScreen>;
