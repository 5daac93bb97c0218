import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createManualClock } from '../../src/core/clock.ts';
import { openTerminal } from '../../src/runtime/terminal.ts';
import { migratedDataDir } from '../helpers/databases.ts';

/**
 * Runs a scripted terminal session against a PGlite data directory, wired as `npm start` wires it (the real
 * app, ticker and console publisher), with piped input and a clock that starts at `at`.
 */
async function session(
  dataDir: string,
  script: string[],
  at = '2026-11-20T10:00:00Z',
  env: Record<string, string> = {},
): Promise<string> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    CONTENT_DIR: path.resolve(import.meta.dirname, '../../content'),
    DEFAULT_TIMEZONE: 'UTC',
    ...env,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const terminal = await openTerminal({
    config,
    input,
    output,
    interactive: false,
    color: false,
    user: 'Sam',
    filesDir: path.join(dataDir, 'exports'),
    clock: createManualClock(at),
  });
  const done = terminal.run();
  input.end(`${script.join('\n')}\n`);
  await done;
  await terminal.close();
  return text;
}

describe('terminal chat', { timeout: 180_000 }, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roadmap-terminal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  // The first test starts on an empty data directory, as a first `npm start` does (the database is created and
  // migrated); the others start where a first start leaves it (migratedDataDir), which saves creating it again.

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
    // `me` brings the study-day calendar; a terminal draws no pictures, so it is saved and its path shown.
    const saved = /Ana> \/roadmap me\n[\s\S]*?Saved (study-days-\S+\.png) to (\S+)/.exec(first)!;
    expect(saved[2]).toBe(path.join(dir, 'exports', saved[1]!));
    const png = PNG.sync.read(readFileSync(saved[2]!));
    expect(png.width).toBeGreaterThan(100);
    // Medals, streaks and arrows in words: a terminal may not draw emoji.
    expect(first).toMatch(/Leaderboard · this week \(since 2026-11-16\)\n\n1st \S+ streak 1 · \d+ pts/);
    expect(first).toMatch(/2nd \S+ streak 1 · \d+ pts/);

    const second = await session(
      dir,
      ['/roadmap leaderboard all', '/as Ana', '/roadmap streak history'],
      '2026-11-21T10:00:00Z',
    );
    expect(second).toMatch(
      /1st \S+ streak 1 · \d+ pts · \d\/1 correct\n2nd \S+ streak 1 · \d+ pts · \d\/1 correct/,
    );
    expect(second).toContain('✅ 2026-11-20 answered');
  });

  it('explains what it accepts and refuses bad input with a usage line', async () => {
    await migratedDataDir(dir);
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
    expect(out).toContain('Unknown command frobnicate.\nUsage: /roadmap');
    expect(out).toContain('That command is 10,000 characters long; the limit is 1,000.');
    // /quit ends the session: the last command is never run.
    expect(out).not.toContain('Day 1 ·');
  });

  it('mentions in the terminal are @names', async () => {
    await migratedDataDir(dir);
    const out = await session(dir, ['/roadmap help', '/roadmap quiz', 'D']);
    expect(out).toContain('/roadmap today');
    // The terminal's drill will show every card, so a first-day quiz has nothing it may give away yet.
    expect(out).toContain('Nothing to practise right now');
  });

  it('writes a cohort export to disk, since a terminal has no uploads', async () => {
    await migratedDataDir(dir);
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

  it('keeps logs out of the chat: warnings go to the file the banner names', async () => {
    await migratedDataDir(dir);
    // Today's drill, opened by `today` long after its 00:00 slot, expires unposted: the scheduler warns.
    const out = await session(dir, ['/roadmap today', 'A']);
    const logFile = path.join(dir, 'terminal.log');
    expect(out).toContain(`Logs go to ${logFile}.`);
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    const warning = lines.find((l) => l.level === 40);
    expect(warning?.msg).toBe('drill day expired unposted: the catch-up window closed');
    expect(lines.some((l) => l.msg === 'command handled')).toBe(true);
    expect(out).not.toContain(warning!.msg);
    expect(out).not.toContain('"level"');
    expect(out).not.toContain('command handled');
  });

  it("after /as the drill on screen is the new member's to answer; a practice question stays with its member", async () => {
    await migratedDataDir(dir);
    const out = await session(dir, [
      '/roadmap today',
      '/as Ana',
      'B',
      // Practice never gives a drill away: a day on, day 1 is revealed and its card may be practised.
      '/clock +1d',
      '/roadmap quiz',
      '/as Ben',
      'C',
      '/as Ana',
      'D',
      '/roadmap leaderboard',
    ]);
    expect(out).toMatch(/Ana> B\n(✅ Correct: B|❌ Not quite: the answer is [ACD])[\s\S]*?\+(10|2) points/);
    expect(out).not.toContain('No question is on screen');
    // Ana's practice question is not Ben's: his C answers the drill (points), and Ana's D her practice.
    expect(out).toMatch(/Ben> C\n(✅ Correct: C|❌ Not quite: the answer is [ABD])[\s\S]*?\+(10|2) points/);
    expect(out).toMatch(
      /Ana> D\n(✅ Correct: D|❌ Not quite: the answer is [ABC])[\s\S]*?Practice: \/roadmap quiz/,
    );
    expect(out).toMatch(/1st (Ana|Ben) streak 1 · \d+ pts[\s\S]*2nd (Ana|Ben) streak 1 · \d+ pts/);
  });

  it('presses the cohort Join button by its letter or its name', async () => {
    await migratedDataDir(dir);
    const out = await session(dir, [
      '/roadmap cohort create "Backend Q1" start:2026-11-16',
      '/as Ana',
      'J',
      '/as Ben',
      'join',
      '/as Sam',
      '/roadmap cohort show',
    ]);
    expect(out).toContain('[J] Join the cohort  type J or "join" to press');
    expect(out).toMatch(/Ana> J\nYou joined Backend Q1\./);
    expect(out).toMatch(/Ben> join\nYou joined Backend Q1\./);
    expect(out).not.toContain('Type /roadmap help for the commands');
    const show = out.slice(out.lastIndexOf('Sam> /roadmap cohort show'));
    expect(show).toContain('Ana');
    expect(show).toContain('Ben');
  });

  it('/clock moves the bot through its days: the real scheduler posts, reminds, reveals and sends digests', async () => {
    await migratedDataDir(dir);
    // Sunday 10:00 UTC; the terminal's drill is daily at 00:00.
    const out = await session(
      dir,
      [
        '/clock',
        '/roadmap cohort create Q1 start:2026-11-16',
        '/roadmap cohort join',
        '/roadmap remind on 18:00',
        '/clock mon 09:00',
        '/clock 18:00',
        'B',
        '/clock +1d',
        '/clock -1d',
        '/clock 25:00',
        '/clock',
      ],
      '2026-11-22T10:00:00Z',
    );
    expect(out).toContain(
      "Sam> /clock\nThe bot's clock: Sun 2026-11-22 10:00 UTC. Usage: /clock shows the time",
    );
    const from = (time: string) => {
      const i = out.indexOf(`── ${time} UTC ──`);
      expect(i, time).toBeGreaterThan(0);
      return out.slice(i);
    };
    // Monday midnight: the drill posts in the channel, and the cohort's weekly digest goes to its creator.
    const monday = from('Mon 2026-11-23 00:00');
    expect(monday).toMatch(/^── Mon 2026-11-23 00:00 UTC ──\nroadmap-bot posted:\nDay \d+ · /);
    expect(monday).toContain('Direct message to Sam:\nWeekly digest · Q1 · 2026-11-16 to 2026-11-22');
    expect(out).toContain("The bot's clock is now Mon 2026-11-23 09:00 UTC.");
    // 18:00: the drill is still unanswered, so the reminder arrives as a direct message.
    expect(from('Mon 2026-11-23 18:00')).toMatch(
      /^── Mon 2026-11-23 18:00 UTC ──\nDirect message to Sam:\n🔥 Your daily drill is open/,
    );
    // The posted drill is on screen: B answers it.
    expect(out).toMatch(/Sam> B\n(✅ Correct: B|❌ Not quite: the answer is [ACD])[\s\S]*?\+(10|2) points/);
    // Tuesday midnight: Monday's post is revealed in place and Tuesday's drill posts.
    const tuesday = from('Tue 2026-11-24 00:00');
    expect(tuesday).toMatch(/roadmap-bot updated its post:\nDay \d+ · .* · answer: [ABCD]/);
    expect(tuesday).toMatch(/roadmap-bot posted:\nDay \d+ · /);
    expect(out).toContain("The bot's clock is now Tue 2026-11-24 18:00 UTC.");
    expect(out).toContain("Sam> /clock -1d\nThe bot's clock only moves forward");
    expect(out).toContain('Sam> /clock 25:00\nUsage: /clock');
    expect(out).toMatch(/Sam> \/clock\nThe bot's clock: Tue 2026-11-24 18:00 UTC\./);
  });
});
