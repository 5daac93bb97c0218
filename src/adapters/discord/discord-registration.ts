/** Registers /roadmap and /roadmap-manage with Discord (bulk overwrite, global or one server) and builds the invite URL with the least permissions. */
import { PermissionFlagsBits, REST, Routes } from 'discord.js';
import type { DiscordConfig } from '../../config/discord.ts';
import type { CommandEntry } from '../../core/commands/define.ts';
import { applicationCommands } from './discord-commands.ts';

/**
 * What the bot asks for when invited, each with the reason an operator reads. Interaction replies and
 * follow-ups travel over the interaction webhook and need no channel permission, so this is only what
 * posting drills into a channel takes.
 */
export const BOT_PERMISSIONS = [
  {
    name: 'View Channel',
    flag: PermissionFlagsBits.ViewChannel,
    why: 'see the study channel to post into it (else 50001 Missing Access)',
  },
  {
    name: 'Send Messages',
    flag: PermissionFlagsBits.SendMessages,
    why: 'post the daily drill, reveals and notices',
  },
  {
    name: 'Embed Links',
    flag: PermissionFlagsBits.EmbedLinks,
    why: 'drills are embeds; without it Discord drops them',
  },
  {
    name: 'Attach Files',
    flag: PermissionFlagsBits.AttachFiles,
    why: 'post CSV exports and charts of cohort reports into a channel',
  },
  {
    name: 'Read Message History',
    flag: PermissionFlagsBits.ReadMessageHistory,
    why: 'reply to a revealed drill with its results (Discord requires it for a reply)',
  },
] as const;

/** Considered and left out, so nobody adds them "just in case". */
export const NOT_REQUESTED = [
  'Use Application Commands: a member permission, not the bot’s; /roadmap is open to everyone, /roadmap-manage shown to Manage Server',
  'Manage Messages, Mention Everyone and every privileged intent: the bot never needs them',
] as const;

export function botPermissions(): bigint {
  return BOT_PERMISSIONS.reduce((bits, p) => bits | p.flag, 0n);
}

/** The OAuth2 URL a server admin opens to add the bot: the `bot` scope (which brings `applications.commands`). */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: botPermissions().toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

export interface Registered {
  scope: 'global' | 'guild';
  /** Each command registered, with its subcommands and groups. */
  commands: { name: string; options: string[] }[];
}

/**
 * One idempotent PUT that replaces every command of the application (application-commands.mdx, bulk
 * overwrite). Run it on deploy, not on every boot: new global commands count against 200 creates a day.
 */
export async function registerCommands(
  config: Pick<DiscordConfig, 'token' | 'applicationId' | 'guildId' | 'apiUrl'>,
  entries: readonly CommandEntry<unknown>[],
): Promise<Registered> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = applicationCommands(entries);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  await rest.put(route, { body });
  const commands = body.map((c) => ({
    name: c.name,
    options: 'options' in c ? (c.options ?? []).map((o) => o.name) : [],
  }));
  return { scope: config.guildId ? 'guild' : 'global', commands };
}
