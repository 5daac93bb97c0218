import { describe, expect, it } from 'vitest';
import { commandBuilder } from '../../src/core/commands/define.ts';
import { parseDays } from '../../src/core/commands/options.ts';
import { createCommandRouter, MAX_INPUT_LENGTH } from '../../src/core/commands/router.ts';
import { tokenize } from '../../src/core/commands/tokenize.ts';
import { UserFacingError } from '../../src/core/errors.ts';
import type { MentionResolver } from '../../src/core/invocation.ts';
import { managerCommand, refsAsPlainText } from '../../src/core/render/text.ts';

const { subcommand, group } = commandBuilder<unknown>();
const reply = async () => ({ text: 'ok' });

const router = createCommandRouter<unknown>({
  commandName: 'roadmap',
  moduleIds: ['internet', 'apis'],
  entries: [
    subcommand({
      name: 'leaderboard',
      description: 'Board.',
      options: [
        { name: 'period', type: 'choice', choices: ['week', 'month', 'all'], description: 'Period' },
        { name: 'scope', type: 'choice', choices: ['members', 'teams'], description: 'Scope' },
      ],
      access: 'all',
      visibility: 'public',
      handler: reply,
    }),
    subcommand({
      name: 'quiz',
      description: 'Quiz.',
      options: [{ name: 'module', type: 'module', description: 'Module' }],
      access: 'all',
      visibility: 'ephemeral',
      handler: reply,
    }),
    group({
      name: 'schedule',
      description: 'Schedules.',
      subcommands: [
        subcommand({
          name: 'set',
          description: 'Set.',
          options: [
            { name: 'time', type: 'time', required: true, description: 'Local time' },
            { name: 'days', type: 'days', description: 'Days' },
            { name: 'tz', type: 'timezone', description: 'Zone' },
          ],
          access: 'manager',
          visibility: 'ephemeral',
          handler: reply,
        }),
        subcommand({
          name: 'show',
          description: 'Show.',
          options: [],
          access: 'all',
          visibility: 'ephemeral',
          handler: reply,
        }),
      ],
    }),
    group({
      name: 'cohort',
      description: 'Cohorts.',
      subcommands: [
        subcommand({
          name: 'create',
          description: 'Create.',
          options: [
            { name: 'name', type: 'string', required: true, maxLength: 60, description: 'Name' },
            { name: 'start', type: 'date', required: true, description: 'Start' },
            { name: 'weeks', type: 'integer', min: 1, max: 52, description: 'Weeks' },
          ],
          access: 'manager',
          visibility: 'ephemeral',
          handler: reply,
        }),
        subcommand({
          name: 'add',
          description: 'Add.',
          options: [
            { name: 'members', type: 'users', required: true, description: 'Members' },
            { name: 'channel', type: 'channel', description: 'Channel' },
          ],
          access: 'manager',
          visibility: 'ephemeral',
          handler: reply,
        }),
      ],
    }),
  ],
});

const mentions: MentionResolver = (t) => {
  const u = /^<@(U\w+)(?:\|(\w+))?>$/.exec(t);
  if (u) return { userId: u[1]!, ...(u[2] ? { displayName: u[2] } : {}) };
  const c = /^<#(C\w+)(?:\|(\w*))?>$/.exec(t);
  return c ? { channelId: c[1]!, name: c[2] ?? '' } : undefined;
};

const parse = (text: string) => router.parse({ kind: 'text', text, resolveMention: mentions });

function failure(text: string): UserFacingError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof UserFacingError) return err;
    throw err;
  }
  throw new Error(`expected "${text}" to fail`);
}

describe('tokenize', () => {
  it('keeps quoted values together, straight or typographic, and apostrophes inside words', () => {
    expect(tokenize('cohort create "Backend Q1" start:2026-12-01')).toEqual([
      'cohort',
      'create',
      'Backend Q1',
      'start:2026-12-01',
    ]);
    expect(tokenize('cohort create “Backend Q1” name:"a b"')).toEqual([
      'cohort',
      'create',
      'Backend Q1',
      'name:a b',
    ]);
    expect(tokenize("cohort create don't")).toEqual(['cohort', 'create', "don't"]);
    expect(tokenize('  a \t b\nc ')).toEqual(['a', 'b', 'c']);
  });
});

describe('parsing text against the definitions', () => {
  it('takes options in order or as name:value pairs', () => {
    expect(parse('cohort create "Backend Q1" 2026-12-01 12').args).toEqual({
      name: 'Backend Q1',
      start: '2026-12-01',
      weeks: 12,
    });
    expect(parse('cohort create "Backend Q1" start:2026-12-01 weeks:12').args).toEqual({
      name: 'Backend Q1',
      start: '2026-12-01',
      weeks: 12,
    });
    expect(parse('cohort create start:2026-12-01 name:"Backend Q1"').args).toMatchObject({
      name: 'Backend Q1',
      start: '2026-12-01',
    });
  });

  it('skips optional options a word cannot belong to', () => {
    expect(parse('leaderboard teams').args).toEqual({ scope: 'teams' });
    expect(parse('leaderboard month teams').args).toEqual({ period: 'month', scope: 'teams' });
    expect(parse('schedule set 9:30 Europe/Berlin').args).toEqual({ time: '09:30', tz: 'Europe/Berlin' });
    expect(parse('schedule set 09:00 mon,wed,fri').args).toEqual({ time: '09:00', days: 0b10101 });
  });

  it('resolves member and channel mentions', () => {
    expect(parse('cohort add <@U1|ana> <@U2> <#C9|study>').args).toEqual({
      members: [{ userId: 'U1', displayName: 'ana' }, { userId: 'U2' }],
      channel: { channelId: 'C9', name: 'study' },
    });
  });

  it('is case-insensitive for command words and choices', () => {
    expect(parse('LeaderBoard WEEK').args).toEqual({ period: 'week' });
  });

  it('treats empty input as help and accepts structured input', () => {
    expect(() => parse('')).toThrow(/Unknown command `help`/);
    expect(
      router.parse({
        kind: 'structured',
        path: ['schedule', 'set'],
        args: { time: '7:05', days: 'weekdays' },
      }).args,
    ).toEqual({
      time: '07:05',
      days: 0b11111,
    });
  });
});

describe('bad input gets one line and the usage', () => {
  const oneLine = (e: UserFacingError) => {
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(200);
    expect(refsAsPlainText(e.usage ?? '')).toMatch(/^\/roadmap/);
  };

  it('unknown subcommand, with a suggestion', () => {
    const e = failure('leaderbord');
    expect(e.code).toBe('UNKNOWN_COMMAND');
    expect(e.message).toBe('Unknown command `leaderbord`. Did you mean `leaderboard`?');
    expect(e.usage).toBe('/roadmap leaderboard [week|month|all] [members|teams]');
    oneLine(e);
    const g = failure('schedule sett 09:00');
    expect(g.message).toContain('Did you mean `set`?');
    oneLine(g);
  });

  it('missing group subcommand or required argument', () => {
    const g = failure('schedule');
    expect(g.code).toBe('MISSING_ARGUMENT');
    expect(g.usage).toBe('/roadmap schedule <set|show>');
    const e = failure('schedule set');
    expect(e.code).toBe('MISSING_ARGUMENT');
    expect(e.message).toBe('`time` is required: Local time.');
    // A manager command is marked, for each platform to name (/roadmap-manage on Discord).
    expect(e.usage).toBe(`${managerCommand('schedule set')} <time:HH:MM> [days] [tz]`);
    expect(refsAsPlainText(e.usage!)).toBe('/roadmap schedule set <time:HH:MM> [days] [tz]');
    oneLine(e);
  });

  it('malformed arguments say what was expected', () => {
    expect(failure('schedule set 25:00').message).toBe(
      '`time`: `25:00` is not a time of day; use HH:MM (24-hour), e.g. 09:00.',
    );
    expect(failure('schedule set 09:00 tz:Europe/Berln').message).toContain('did you mean Europe/Berlin');
    expect(failure('cohort create Q1 2026-02-30').message).toBe(
      '`start`: `2026-02-30` is not a date; use YYYY-MM-DD, e.g. 2026-12-01.',
    );
    expect(failure('cohort create Q1 2026-12-01 weeks:0').message).toMatch(
      /^`weeks`: `0` is too small; use a whole number from 1 to 52, e.g. 4\.$/,
    );
    expect(failure('cohort create Q1 2026-12-01 weeks:abc').message).toMatch(
      /^`weeks`: `abc` is not a whole number; use a whole number/,
    );
    expect(failure('leaderboard yearly').message).toBe(
      '`period`: `yearly` is not one of week, month, all; e.g. week.',
    );
    expect(failure('quiz nosql').message).toContain('`module`: `nosql` is not a module id');
    expect(failure('cohort add ana').message).toContain('`members`: `ana` is not a member; mention one');
    for (const e of [failure('schedule set 25:00'), failure('quiz nosql')]) oneLine(e);
  });

  it('a subcommand without options reads nothing: {} typed or structured, and a word after it is refused', () => {
    expect(router.parse({ kind: 'text', text: 'schedule show' }).args).toEqual({});
    expect(router.parse({ kind: 'structured', path: ['schedule', 'show'], args: {} }).args).toEqual({});
    expect(failure('schedule show extra').code).toBe('TOO_MANY_ARGUMENTS');
    const structured = () =>
      router.parse({ kind: 'structured', path: ['schedule', 'show'], args: { period: 'week' } });
    expect(structured).toThrow('`schedule show` has no option `period`.');
  });

  it('too many arguments, repeated or unknown options', () => {
    expect(failure('schedule show extra').code).toBe('TOO_MANY_ARGUMENTS');
    expect(failure('leaderboard week teams all').code).toBe('TOO_MANY_ARGUMENTS');
    expect(failure('leaderboard week week').message).toBe(
      '`scope`: `week` is not one of members, teams; e.g. members.',
    );
    expect(failure('cohort create a 2026-12-01 weeks:2 weeks:3').message).toBe('`weeks` is given twice.');
  });

  it('10,000 characters are refused before parsing', () => {
    const e = failure(`leaderboard ${'x'.repeat(10_000)}`);
    expect(e.code).toBe('INPUT_TOO_LONG');
    expect(e.message).toBe(
      `That command is 10,012 characters long; the limit is ${MAX_INPUT_LENGTH.toLocaleString('en-US')}.`,
    );
    oneLine(e);
    const long = failure(`cohort create ${'n'.repeat(61)} 2026-12-01`);
    expect(long.message).toBe('`name` is 61 characters long; it can be at most 60.');
  });

  it('control characters are refused', () => {
    const e = failure('leaderboard\u0000 week');
    expect(e.code).toBe('CONTROL_CHARACTERS');
    oneLine(e);
    expect(failure('cohort create "a\u001bb" 2026-12-01').code).toBe('CONTROL_CHARACTERS');
    expect(() =>
      router.parse({
        kind: 'structured',
        path: ['cohort', 'create'],
        args: { name: 'x\u0007', start: '2026-12-01' },
      }),
    ).toThrow(/control characters/);
  });
});

describe('reasons stay on one line', () => {
  it('a value typed across lines is read and echoed on one', () => {
    const e = failure('schedule set 09:00 "tz:Mars/\n\nOlympus"');
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain('Mars/ Olympus');
  });
});

describe('who may run a command is known before its options are read', () => {
  it('resolve finds the subcommand and its audience without reading the options', () => {
    const pending = router.resolve({ kind: 'text', text: `schedule set 99:99 tz:${'x'.repeat(975)}` });
    expect(pending.path).toEqual(['schedule', 'set']);
    expect(pending.def.access).toBe('manager');
    expect(() => pending.parseArgs()).toThrow(UserFacingError);
    const structured = router.resolve({ kind: 'structured', path: ['schedule', 'set'], args: { time: 'x' } });
    expect(structured.def.access).toBe('manager');
    expect(() => router.resolve({ kind: 'text', text: 'nope' })).toThrow(/Unknown command/);
  });

  it('every option is bounded before it is parsed or matched, with the option and its limit named', () => {
    const tz = failure(`schedule set 09:00 tz:${'Europe/Berlin'.repeat(75)}`);
    expect(tz.code).toBe('BAD_ARGUMENT');
    expect(tz.message).toBe('`tz` is 975 characters long; it can be at most 64.');
    expect(failure(`quiz ${'internet'.repeat(20)}`).message).toBe(
      '`module` is 160 characters long; it can be at most 64.',
    );
    expect(failure(`schedule set ${'9'.repeat(40)}`).message).toBe(
      '`time` is 40 characters long; it can be at most 16.',
    );
    const structured = (() => {
      try {
        router.parse({
          kind: 'structured',
          path: ['schedule', 'set'],
          args: { time: '09:00', tz: 'y'.repeat(6000) },
        });
      } catch (err) {
        return err as UserFacingError;
      }
    })();
    expect(structured?.message).toBe('`tz` is 6,000 characters long; it can be at most 64.');
  });
});

describe('day lists', () => {
  it.each([
    ['daily', 0b1111111],
    ['weekdays', 0b0011111],
    ['mon-fri', 0b0011111],
    ['mon,wed,fri', 0b0010101],
    ['Monday,Tuesday', 0b0000011],
    ['fri-mon', 0b1110001],
    ['sat', 0b0100000],
  ])('%s', (text, mask) => expect(parseDays(text)).toBe(mask));
  it.each(['', 'funday', 'mon-', 'mo', 'mon-tue-wed'])('rejects %j', (text) =>
    expect(parseDays(text)).toBeUndefined(),
  );
});
