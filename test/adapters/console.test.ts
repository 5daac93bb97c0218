import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../src/adapters/console/console-adapter.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createManualClock } from '../../src/core/clock.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';

/** Runs a scripted terminal session against a PGlite data directory, as `npm start` does with piped input. */
async function session(dataDir: string, script: string[], at = '2026-11-20T10:00:00Z'): Promise<string> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    CONTENT_DIR: path.resolve(import.meta.dirname, '../../content'),
    DEFAULT_TIMEZONE: 'UTC',
  });
  const clock = createManualClock(at);
  const app = await createApp(config, { log: silentLog, clock });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const terminal = createConsoleAdapter({
    bot: app.bot,
    clock,
    log: silentLog,
    input,
    output,
    user: 'Sam',
    color: false,
    interactive: false,
    filesDir: path.join(dataDir, 'exports'),
  });
  await app.study.touch(terminal.currentUser());
  await app.study.ensureDrill(
    terminal.channel,
    { timeOfDay: '00:00', days: ALL_DAYS, timezone: 'UTC' },
    null,
    new Date(0),
  );
  const done = terminal.run();
  input.end(`${script.join('\n')}\n`);
  await done;
  await app.close();
  return text;
}

describe('terminal chat', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roadmap-terminal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two members study from piped input, and the data survives a restart', async () => {
    const first = await session(dir, [
      '/roadmap today',
      'A',
      'A',
      '/as Ana',
      '/roadmap today',
      'B',
      '/roadmap me',
      '/roadmap leaderboard',
    ]);
    expect(first).toContain('terminal chat as Sam');
    expect(first).toMatch(/Sam> \/roadmap today\nDay 1 · /);
    expect(first).toMatch(/Sam> A\n(✅ Correct: A|❌ Not quite: the answer is [BCD])/);
    expect(first).toContain('Sam> A\nYou already answered A');
    expect(first).toContain('You are now Ana.');
    expect(first).toMatch(/Ana> B\n(✅ Correct: B|❌ Not quite: the answer is [ACD])/);
    expect(first).toContain("Ana's progress");
    expect(first).toMatch(/Leaderboard · this week \(since 2026-11-16\)\n\n1\. \w+ · \d+ pts/);
    expect(first).toMatch(/2\. \w+ · \d+ pts/);

    const second = await session(
      dir,
      ['/roadmap leaderboard all', '/as Ana', '/roadmap streak history'],
      '2026-11-21T10:00:00Z',
    );
    expect(second).toMatch(/1\. \w+ · \d+ pts · \d\/1 correct\n2\. \w+ · \d+ pts · \d\/1 correct/);
    expect(second).toContain('✅ 2026-11-20 answered');
  });

  it('explains what it accepts and refuses bad input with a usage line', async () => {
    const out = await session(dir, [
      'hello',
      'C',
      '/as',
      '/roadmap frobnicate',
      `/roadmap ${'x'.repeat(10_000)}`,
      '/quit',
      '/roadmap today',
    ]);
    expect(out).toContain('Type /roadmap help for the commands, a letter A–D to answer');
    expect(out).toContain('No question is on screen.');
    expect(out).toContain('Usage: /as <name>');
    expect(out).toContain('Unknown command "frobnicate".\nUsage: /roadmap');
    expect(out).toContain('That command is 10,000 characters long; the limit is 1,000.');
    // /quit ends the session: the last command is never run.
    expect(out).not.toContain('Day 1 ·');
  });

  it('mentions in the terminal are @names', async () => {
    const out = await session(dir, ['/roadmap help', '/roadmap quiz', 'D']);
    expect(out).toContain('/roadmap today');
    // The terminal's drill will show every card, so a first-day quiz has nothing it may give away yet.
    expect(out).toContain('Nothing to practise right now');
  });

  it('writes a cohort export to disk, since a terminal has no uploads', async () => {
    const out = await session(dir, [
      '/roadmap cohort create "Backend Q1" start:2026-11-16',
      '/roadmap cohort join',
      '/roadmap drill now',
      '/roadmap today',
      'B',
      '/roadmap cohort export',
    ]);
    const file = path.join(dir, 'exports', /Saved (\S+\.csv)/.exec(out)![1]!);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({ member: 'Sam', study_day: '5', answered: '1', points: '2' }),
    ]);
  });
});
