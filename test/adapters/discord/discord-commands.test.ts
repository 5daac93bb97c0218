import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  type SharedSlashCommandOptions,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  applicationCommands,
  autocompleteChoices,
  commandCharacters,
  MAX_COMMAND_CHARS,
  type RoadmapCommandJson,
  roadmapCommand,
} from '../../../src/adapters/discord/discord-commands.ts';
import { commandEntries } from '../../../src/bot/catalog.ts';
import { COMMAND_NAME, type CommandEntry, commandBuilder } from '../../../src/core/commands/define.ts';
import { plain } from '../../../src/core/types.ts';
import { realTrack } from '../../helpers/harness.ts';

/** Rebuilds an option through discord.js builders, whose validators enforce Discord's names and limits. */
function addOption(
  target: SharedSlashCommandOptions<SlashCommandSubcommandBuilder>,
  o: APIApplicationCommandBasicOption,
) {
  const common = <
    T extends { setName(n: string): T; setDescription(d: string): T; setRequired(r: boolean): T },
  >(
    x: T,
  ) =>
    x
      .setName(o.name)
      .setDescription(o.description)
      .setRequired(o.required ?? false);
  switch (o.type) {
    case ApplicationCommandOptionType.String:
      target.addStringOption((x) => {
        common(x);
        if (o.autocomplete) x.setAutocomplete(true);
        if (o.choices) x.addChoices(...o.choices);
        if (o.min_length !== undefined) x.setMinLength(o.min_length);
        if (o.max_length !== undefined) x.setMaxLength(o.max_length);
        return x;
      });
      break;
    case ApplicationCommandOptionType.Integer:
      target.addIntegerOption((x) => {
        common(x);
        if (o.min_value !== undefined) x.setMinValue(o.min_value);
        if (o.max_value !== undefined) x.setMaxValue(o.max_value);
        return x;
      });
      break;
    case ApplicationCommandOptionType.Boolean:
      target.addBooleanOption((x) => common(x));
      break;
    case ApplicationCommandOptionType.User:
      target.addUserOption((x) => common(x));
      break;
    case ApplicationCommandOptionType.Attachment:
      target.addAttachmentOption((x) => common(x));
      break;
    case ApplicationCommandOptionType.Channel:
      target.addChannelOption((x) => common(x).addChannelTypes(...(o.channel_types as never[])));
      break;
    default:
      throw new Error(`unexpected option type ${o.type}`);
  }
}

function subcommand(s: SlashCommandSubcommandBuilder, json: APIApplicationCommandSubcommandOption) {
  s.setName(json.name).setDescription(json.description);
  for (const o of json.options ?? []) addOption(s, o);
  return s;
}

function rebuild(json: RoadmapCommandJson) {
  if (!('options' in json) || !json.options) throw new Error('no options');
  const b = new SlashCommandBuilder()
    .setName(json.name)
    .setDescription('description' in json ? json.description : '')
    .setDefaultMemberPermissions(json.default_member_permissions ?? null)
    .setContexts(...(json.contexts ?? []))
    .setIntegrationTypes(...(json.integration_types ?? []));
  for (const o of json.options) {
    if (o.type === ApplicationCommandOptionType.Subcommand) b.addSubcommand((s) => subcommand(s, o));
    else if (o.type === ApplicationCommandOptionType.SubcommandGroup)
      b.addSubcommandGroup((g) => {
        g.setName(o.name).setDescription(o.description);
        for (const s of o.options ?? []) g.addSubcommand((x) => subcommand(x, s));
        return g;
      });
    else throw new Error('top-level options must be subcommands or groups');
  }
  return b.toJSON();
}

const { subcommand: sub, group } = commandBuilder<unknown>();
const handler = async () => plain('ok');

/** Every option kind, a group, optional-before-required order and more than 25 choices. */
const synthetic: CommandEntry<unknown>[] = [
  sub({
    name: 'today',
    description: 'Today.',
    options: [],
    access: 'all',
    visibility: 'ephemeral',
    handler,
  }),
  group({
    name: 'schedule',
    description: "The channel's drill.",
    subcommands: [
      sub({
        name: 'set',
        description: 'x'.repeat(140),
        options: [
          { name: 'days', type: 'days', description: 'Study days' },
          { name: 'time', type: 'time', description: 'Local time', required: true },
          { name: 'tz', type: 'timezone', description: 'Time zone' },
          { name: 'start', type: 'date', description: 'First day' },
          { name: 'weeks', type: 'integer', min: 1, max: 52, description: 'Length' },
          { name: 'module', type: 'module', description: 'Module' },
          { name: 'late', type: 'boolean', description: 'Late posts' },
          { name: 'who', type: 'user', description: 'A member' },
          { name: 'members', type: 'users', description: 'Members' },
          { name: 'where', type: 'channel', description: 'Channel' },
          { name: 'title', type: 'string', maxLength: 80, description: 'Title' },
          { name: 'mode', type: 'choice', choices: ['a', 'b'], description: 'Mode' },
          {
            name: 'many',
            type: 'choice',
            choices: Array.from({ length: 30 }, (_, i) => `c${i}`),
            description: 'Many',
          },
        ],
        access: 'manager',
        visibility: 'ephemeral',
        handler,
      }),
    ],
  }),
];

describe('the /roadmap application command', () => {
  it('from the real catalog validates through discord.js builders unchanged', () => {
    const json = roadmapCommand(COMMAND_NAME, commandEntries() as CommandEntry<unknown>[]);
    expect(rebuild(json)).toEqual(json);
    expect(json.name).toBe('roadmap');
    expect(commandCharacters(json)).toBeLessThanOrEqual(MAX_COMMAND_CHARS);
    const names = ('options' in json ? (json.options ?? []) : []).map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['today', 'quiz', 'answer', 'leaderboard', 'help']));
  });

  it('puts required options before optional ones everywhere, as Discord requires (builders do not check it)', () => {
    const check = (opts: readonly { required?: boolean; options?: unknown; type: number }[]) => {
      const firstOptional = opts.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(opts.slice(firstOptional).every((o) => !o.required)).toBe(true);
    };
    const walk = (opts: readonly { type: number; options?: unknown; required?: boolean }[]) => {
      for (const o of opts) {
        const inner = (o.options ?? []) as typeof opts;
        if (o.type === ApplicationCommandOptionType.Subcommand) check(inner);
        else walk(inner);
      }
    };
    for (const entries of [commandEntries() as CommandEntry<unknown>[], synthetic]) {
      const json = roadmapCommand(COMMAND_NAME, entries);
      walk('options' in json ? (json.options ?? []) : []);
    }
  });

  it('splits members’ commands from managers’: /roadmap for everyone, /roadmap-manage shown to Manage Server', () => {
    const [members, managers] = applicationCommands(commandEntries() as CommandEntry<unknown>[]) as [
      RoadmapCommandJson,
      RoadmapCommandJson,
    ];
    expect(members.name).toBe('roadmap');
    expect(members.default_member_permissions).toBeNull();
    expect(managers.name).toBe('roadmap-manage');
    expect(managers.default_member_permissions).toBe('32');
    for (const json of [members, managers]) {
      expect(json.contexts).toEqual([0]);
      expect(rebuild(json)).toEqual(json);
    }
    const paths = (json: RoadmapCommandJson) =>
      (json.options ?? []).flatMap((o) =>
        o.type === ApplicationCommandOptionType.SubcommandGroup
          ? (o.options ?? []).map((s) => `${o.name} ${s.name}`)
          : [o.name],
      );
    expect(paths(members)).toEqual(expect.arrayContaining(['today', 'cohort join', 'team join', 'help']));
    expect(
      paths(members).filter((p) => ['schedule set', 'cohort create', 'team create'].includes(p)),
    ).toEqual([]);
    expect(paths(managers)).toEqual(
      expect.arrayContaining(['schedule set', 'cohort create', 'team create', 'managers add', 'drill now']),
    );
    expect(paths(managers).filter((p) => ['today', 'cohort join', 'team join', 'help'].includes(p))).toEqual(
      [],
    );
  });

  it('maps every option kind, groups, and puts required options first', () => {
    const json = roadmapCommand('roadmap', synthetic);
    expect(rebuild(json)).toEqual(json);
    const scheduleGroup = ('options' in json ? json.options : [])?.[1];
    expect(scheduleGroup?.type).toBe(ApplicationCommandOptionType.SubcommandGroup);
    const set = scheduleGroup && 'options' in scheduleGroup ? scheduleGroup.options?.[0] : undefined;
    if (!set || set.type !== ApplicationCommandOptionType.Subcommand) throw new Error('no schedule set');
    expect(set.description).toHaveLength(100);
    const opts = set.options ?? [];
    expect(opts[0]).toMatchObject({ name: 'time', required: true });
    const byName = Object.fromEntries(opts.map((o) => [o.name, o]));
    expect(byName.tz).toMatchObject({ type: ApplicationCommandOptionType.String, autocomplete: true });
    expect(byName.module).toMatchObject({ autocomplete: true });
    expect(byName.many).toMatchObject({ autocomplete: true });
    expect(byName.mode).toMatchObject({
      choices: [
        { name: 'a', value: 'a' },
        { name: 'b', value: 'b' },
      ],
    });
    expect(byName.weeks).toMatchObject({
      type: ApplicationCommandOptionType.Integer,
      min_value: 1,
      max_value: 52,
    });
    expect(byName.who?.type).toBe(ApplicationCommandOptionType.User);
    expect(byName.members?.type).toBe(ApplicationCommandOptionType.String);
    expect(byName.where?.type).toBe(ApplicationCommandOptionType.Channel);
    expect(byName.late?.type).toBe(ApplicationCommandOptionType.Boolean);
    expect(byName.title).toMatchObject({ max_length: 80 });
  });

  it('refuses names Discord would reject, and more than 25 subcommands', () => {
    const bad = sub({
      name: 'Today',
      description: 'd',
      options: [],
      access: 'all',
      visibility: 'ephemeral',
      handler,
    });
    expect(() => roadmapCommand('roadmap', [bad])).toThrow(/not a valid Discord/);
    const many = Array.from({ length: 26 }, (_, i) =>
      sub({ name: `c${i}`, description: 'd', options: [], access: 'all', visibility: 'ephemeral', handler }),
    );
    expect(() => roadmapCommand('roadmap', many.slice(0, 25))).not.toThrow();
    expect(() => roadmapCommand('roadmap', many)).toThrow(/Discord allows 25/);
  });
});

describe('autocomplete', () => {
  const modules = realTrack().modules.map((m) => ({ id: m.id, title: m.title }));

  it('suggests IANA time zones as the member types, at most 25', () => {
    const zones = autocompleteChoices({ name: 'tz', type: 'timezone', description: '' }, 'berl', modules);
    expect(zones[0]).toEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
    expect(
      autocompleteChoices({ name: 'tz', type: 'timezone', description: '' }, 'america', modules).length,
    ).toBe(25);
    expect(
      autocompleteChoices({ name: 'tz', type: 'timezone', description: '' }, '', modules)[0]?.value,
    ).toBe('UTC');
  });

  it('suggests modules by id or title, with the id as the value', () => {
    const first = modules[0]!;
    const hits = autocompleteChoices(
      { name: 'module', type: 'module', description: '' },
      first.title.slice(0, 5),
      modules,
    );
    expect(hits.map((h) => h.value)).toContain(first.id);
    expect(
      autocompleteChoices({ name: 'module', type: 'module', description: '' }, '', modules),
    ).toHaveLength(Math.min(25, modules.length));
  });
});
