/**
 * The /roadmap and /roadmap-manage application commands, generated from the core's command definitions, and
 * autocomplete answers for their options.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_NAME, type CommandEntry, type SubcommandDef } from '../../core/commands/define.ts';
import { maxOptionLength, nearest, type OptionDef, timezoneNames } from '../../core/commands/options.ts';
import { COMMON_ZONES } from '../../core/forms.ts';

// Limits from discord/discord-api-docs interactions/application-commands.mdx (platform-facts.md §2.5).

/** CHAT_INPUT names: `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase where a lowercase exists (L18, L29-33). */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Descriptions are 1–100 characters (L76-77). */
const MAX_DESCRIPTION = 100;
/** At most 25 options (subcommands and groups count as options) per level (L122). */
const MAX_OPTIONS = 25;
/** At most 25 choices per option, and 25 autocomplete results (L450; receiving-and-responding.mdx). */
const MAX_CHOICES = 25;
/** Choice names are 1–100 characters, string choice values ≤ 100 (L450). */
const MAX_CHOICE_NAME = 100;
/** Name + description + choice values of the whole command ≤ 8000 characters (L122). */
export const MAX_COMMAND_CHARS = 8000;
/** String option max_length may be at most 6000 (application-commands.mdx option structure). */
const MAX_STRING_OPTION = 6000;

const TOP_DESCRIPTION = 'Study the backend roadmap: daily drills, practice questions, streaks and boards.';
const MANAGE_DESCRIPTION =
  'Run roadmap-bot here: drills, cohorts, teams, managers, tracks and question reports.';

/**
 * Discord sets who sees a command only on a top-level command (application-commands.mdx, permissions), so
 * the manager subcommands live under a command of their own that members do not see by default.
 */
export const MANAGE_COMMAND_NAME = `${COMMAND_NAME}-manage`;

/** Who sees the manager command unless a server changes it: members with Manage Server (0x20). */
const MANAGE_DEFAULT_PERMISSIONS = PermissionFlagsBits.ManageGuild.toString();

type SubOption = APIApplicationCommandSubcommandOption;
type GroupOption = APIApplicationCommandSubcommandGroupOption;
export type RoadmapCommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

function checkName(name: string, where: string): string {
  if (!NAME_PATTERN.test(name) || name !== name.toLowerCase())
    throw new Error(`${where}: "${name}" is not a valid Discord command or option name`);
  return name;
}

/** Descriptions are for people; a long one is shortened rather than failing registration. */
function description(text: string): string {
  const t = text.trim() || '-';
  return t.length <= MAX_DESCRIPTION ? t : `${t.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** Which option kinds are answered by autocomplete instead of fixed choices. */
function usesAutocomplete(o: OptionDef): boolean {
  return (
    o.type === 'timezone' ||
    o.type === 'module' ||
    (o.type === 'choice' && o.choices.length > MAX_CHOICES) ||
    (o.type === 'string' && o.suggest !== undefined)
  );
}

function basicOption(o: OptionDef, where: string): APIApplicationCommandBasicOption {
  const base = {
    name: checkName(o.name, where),
    description: description(o.description),
    required: o.required === true,
  };
  switch (o.type) {
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.max !== undefined ? { max_value: o.max } : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
    case 'channel':
      // Drills post into text channels; offering voice or category channels would only produce errors.
      return {
        ...base,
        type: ApplicationCommandOptionType.Channel,
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      };
    case 'choice':
      if (usesAutocomplete(o))
        return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: o.choices.map((c) => ({ name: c.slice(0, MAX_CHOICE_NAME), value: c })),
      };
    case 'timezone':
    case 'module':
      return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
    case 'string':
      // Mirrors the core's validation (options.ts: 1–200 unless the definition says otherwise).
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        min_length: o.minLength ?? 1,
        max_length: Math.min(o.maxLength ?? 200, MAX_STRING_OPTION),
        // Teams and cohorts: the names come from this channel's data, completed as the member types.
        ...(usesAutocomplete(o) ? { autocomplete: true } : {}),
      };
    case 'time':
      // "9:30" to "12:30 pm" (options.ts parseTime), or "none" where the option is clearable.
      return { ...base, type: ApplicationCommandOptionType.String, min_length: 3, max_length: 8 };
    case 'date':
      return { ...base, type: ApplicationCommandOptionType.String, min_length: 10, max_length: 10 };
    case 'days':
      return { ...base, type: ApplicationCommandOptionType.String, min_length: 3, max_length: 60 };
    case 'users':
      // Discord has no multi-member option. A string option turns typed @names into <@id> mentions,
      // which the adapter reads back into members.
      return { ...base, type: ApplicationCommandOptionType.String, min_length: 1, max_length: 1000 };
  }
}

function subcommandOption(def: SubcommandDef<unknown>, where: string): SubOption {
  const here = `${where} ${def.name}`;
  if (def.options.length > MAX_OPTIONS)
    throw new Error(`${here}: ${def.options.length} options; Discord allows 25`);
  // Discord requires every required option before the optional ones; values arrive by name, so order is free.
  const ordered = [...def.options.filter((o) => o.required), ...def.options.filter((o) => !o.required)];
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: checkName(def.name, here),
    description: description(def.description),
    options: ordered.map((o) => basicOption(o, here)),
  };
}

function entryOption(entry: CommandEntry<unknown>, where: string): SubOption | GroupOption {
  if (entry.kind === 'subcommand') return subcommandOption(entry, where);
  const here = `${where} ${entry.name}`;
  if (entry.subcommands.length > MAX_OPTIONS)
    throw new Error(`${here}: ${entry.subcommands.length} subcommands; Discord allows 25`);
  return {
    type: ApplicationCommandOptionType.SubcommandGroup,
    name: checkName(entry.name, here),
    description: description(entry.description),
    options: entry.subcommands.map((s) => subcommandOption(s, here)),
  };
}

/** What the name+description+values budget counts (application-commands.mdx L122). */
export function commandCharacters(json: { name: string; description: string; options?: unknown[] }): number {
  const walk = (o: Record<string, unknown>): number =>
    String(o.name ?? '').length +
    String(o.description ?? '').length +
    ((o.choices as { name: string; value: unknown }[] | undefined) ?? []).reduce(
      (n, c) => n + c.name.length + String(c.value).length,
      0,
    ) +
    ((o.options as Record<string, unknown>[] | undefined) ?? []).reduce((n, c) => n + walk(c), 0);
  return walk(json as Record<string, unknown>);
}

/**
 * One application command from these entries. Aliases are a text convenience and are not registered: Discord
 * shows the typed options instead.
 */
export function roadmapCommand(
  commandName: string,
  entries: readonly CommandEntry<unknown>[],
  who: { description: string; defaultPermissions: string | null } = {
    description: TOP_DESCRIPTION,
    defaultPermissions: null,
  },
): RoadmapCommandJson {
  const where = `/${commandName}`;
  if (entries.length > MAX_OPTIONS)
    throw new Error(`${where}: ${entries.length} subcommands; Discord allows 25`);
  const json = {
    type: ApplicationCommandType.ChatInput,
    name: checkName(commandName, where),
    description: description(who.description),
    options: entries.map((e) => entryOption(e, where)),
    // Only a hint of who sees it: a server may change it, so every manager subcommand is checked for real on
    // every run (Manage Server, the manager role, or a granted member).
    default_member_permissions: who.defaultPermissions,
    // A workspace is a guild: the bot keeps no state for DMs or for user installs.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  } satisfies RoadmapCommandJson;
  const chars = commandCharacters(json);
  if (chars > MAX_COMMAND_CHARS)
    throw new Error(`${where}: ${chars} characters of names and descriptions; Discord allows 8000`);
  return json;
}

/** The entries for one audience: its subcommands, and each group with the subcommands it may run. */
function entriesFor(
  entries: readonly CommandEntry<unknown>[],
  access: 'all' | 'manager',
): CommandEntry<unknown>[] {
  return entries.flatMap((e): CommandEntry<unknown>[] => {
    if (e.kind === 'subcommand') return e.access === access ? [e] : [];
    const subcommands = e.subcommands.filter((s) => s.access === access);
    return subcommands.length ? [{ ...e, subcommands }] : [];
  });
}

/**
 * Every command the bot registers, for the bulk overwrite: /roadmap with what every member may run, open
 * to everyone, and /roadmap-manage with the manager subcommands, shown by default to Manage Server only.
 * A group with both kinds (`cohort`, `team`) appears in each with its own subcommands.
 */
export function applicationCommands(
  entries: readonly CommandEntry<unknown>[],
): RESTPutAPIApplicationCommandsJSONBody {
  return [
    roadmapCommand(COMMAND_NAME, entriesFor(entries, 'all')),
    roadmapCommand(MANAGE_COMMAND_NAME, entriesFor(entries, 'manager'), {
      description: MANAGE_DESCRIPTION,
      defaultPermissions: MANAGE_DEFAULT_PERMISSIONS,
    }),
  ];
}

export interface ModuleChoice {
  id: string;
  title: string;
}

/** Best matches first: exact, then prefix, then substring, then near misses for typos. */
function rank(
  query: string,
  candidates: readonly string[],
  text: (c: string) => string = (c) => c,
): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return candidates.slice(0, MAX_CHOICES);
  const score = (c: string) => {
    const t = text(c).toLowerCase();
    if (t === q) return 0;
    if (t.startsWith(q) || t.split(/[/ _-]/).some((w) => w.startsWith(q))) return 1;
    return t.includes(q) ? 2 : 3;
  };
  const hits = candidates
    .map((c) => ({ c, s: score(c) }))
    .filter((x) => x.s < 3)
    .sort((a, b) => a.s - b.s)
    .map((x) => x.c);
  const near =
    hits.length < MAX_CHOICES ? nearest(q, candidates, MAX_CHOICES).filter((c) => !hits.includes(c)) : [];
  return [...hits, ...near].slice(0, MAX_CHOICES);
}

const choice = (name: string, value: string): APIApplicationCommandOptionChoice<string> => ({
  name: name.length > MAX_CHOICE_NAME ? `${name.slice(0, MAX_CHOICE_NAME - 1)}…` : name,
  value,
});

/** Autocomplete results for an option as the member types (≤ 25). Empty for kinds without autocomplete. */
export function autocompleteChoices(
  option: OptionDef,
  typed: string,
  modules: readonly ModuleChoice[],
  /** For an option whose values come from data: those values (team or cohort names). */
  suggested: readonly string[] = [],
): APIApplicationCommandOptionChoice<string>[] {
  // A value longer than the option can hold gets no suggestions: fuzzy matching is not done on it.
  if (typed.trim().length > maxOptionLength(option)) return [];
  switch (option.type) {
    case 'timezone':
      return (typed.trim() ? rank(typed, timezoneNames()) : COMMON_ZONES).map((z) => choice(z, z));
    case 'module': {
      const titles = new Map(modules.map((m) => [m.id, m.title]));
      return rank(typed, [...titles.keys()], (id) => `${id} ${titles.get(id)}`).map((id) =>
        choice(`${titles.get(id)} (${id})`, id),
      );
    }
    case 'choice':
      return rank(typed, option.choices).map((c) => choice(c, c));
    case 'string':
      return rank(typed, suggested).map((c) => choice(c, c));
    default:
      return [];
  }
}
