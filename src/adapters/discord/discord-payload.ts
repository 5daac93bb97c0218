/**
 * Reading Discord's interaction payloads (the JSON the gateway dispatches and the Interactions Endpoint
 * receives alike) into what the core takes: the command path and its options, the member and the channel
 * (a modal's values are read back beside the modal, in discord-forms.ts).
 */
import {
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import type { ResolvedCommand } from '../../core/commands/define.ts';
import type { MemberMention, RawArgs, RawValue } from '../../core/commands/options.ts';
import type { AttachmentReader } from '../../core/invocation.ts';
import type { ChannelRef } from '../../core/types.ts';
import { downloadAttachment } from '../download.ts';

type Option = APIApplicationCommandInteractionDataOption;
/** An interaction in a server: every interaction the bot acts on. */
export type GuildInteraction = APIInteraction & { guild_id: string; member: APIInteractionGuildMember };

/** Commands are registered for servers only; anything else gets a short pointer. */
export const inGuild = (i: APIInteraction): i is GuildInteraction => !!i.guild_id && !!i.member;

/** The command's options, for a slash command or an autocomplete (empty for anything else). */
function optionsOf(i: APIInteraction): readonly Option[] {
  const data = i.data as { options?: Option[] } | undefined;
  return data && 'options' in data ? (data.options ?? []) : [];
}

function subcommandPath(options: readonly Option[]): string[] {
  const first = options[0];
  if (!first) return [];
  if (first.type === ApplicationCommandOptionType.SubcommandGroup)
    return [first.name, ...subcommandPath(first.options)];
  if (first.type === ApplicationCommandOptionType.Subcommand) return [first.name];
  return [];
}

/** The leaf options, below the subcommand group and subcommand. */
function leafOptions(options: readonly Option[]): readonly Option[] {
  const first = options[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) return leafOptions(first.options);
  if (first?.type === ApplicationCommandOptionType.Subcommand) return first.options ?? [];
  return options;
}

/** `/roadmap schedule set` → ['schedule', 'set']. */
export const commandPath = (i: APIInteraction): string[] => subcommandPath(optionsOf(i));

/** A slash command's options by name, as Discord typed them (leaves only). */
const leaves = (i: APIInteraction) =>
  leafOptions(optionsOf(i)) as readonly (Option & { value?: unknown; focused?: boolean })[];

/** The option the member is typing into, for autocomplete. */
export function focusedOption(i: APIInteraction): { name: string; value: string } | undefined {
  const o = leaves(i).find((l) => l.focused);
  return o ? { name: o.name, value: String(o.value ?? '') } : undefined;
}

/** Mentions typed into a string option arrive as `<@123>` / `<@!123>`. */
function mentionsIn(text: string): MemberMention[] {
  return [...text.matchAll(/<@!?(\d{15,22})>/g)].map((m) => ({ userId: m[1]! }));
}

const resolvedOf = (i: APIInteraction): APIInteractionDataResolved | undefined =>
  (i.data as { resolved?: APIInteractionDataResolved } | undefined)?.resolved;

/** A member's name in this server: nickname, then global name, then username. */
export function memberName(member: APIInteractionGuildMember): string {
  return member.nick ?? member.user.global_name ?? member.user.username;
}

function userOption(i: APIInteraction, userId: string): RawValue {
  const resolved = resolvedOf(i);
  const user = resolved?.users?.[userId];
  const name = resolved?.members?.[userId]?.nick ?? user?.global_name ?? user?.username;
  return { userId, ...(name ? { displayName: name } : {}) };
}

function channelOption(i: APIInteraction, channelId: string): RawValue {
  const name = resolvedOf(i)?.channels?.[channelId]?.name;
  return { channelId, ...(name ? { name } : {}) };
}

/** Discord's typed option values to the core's raw arguments; the router validates them like typed text. */
export function argsFrom(i: APIInteraction, resolved: ResolvedCommand | undefined): RawArgs {
  const args: RawArgs = {};
  for (const o of leaves(i)) {
    const def = resolved?.def.options.find((d) => d.name === o.name);
    const raw = o.value as RawValue | undefined;
    let value: RawValue | undefined = raw;
    if (def?.type === 'user' && typeof raw === 'string') value = userOption(i, raw);
    else if (def?.type === 'channel' && typeof raw === 'string') value = channelOption(i, raw);
    else if (def?.type === 'users' && typeof raw === 'string') {
      const list = mentionsIn(raw);
      value = list.length ? list : raw;
    }
    args[o.name] = value;
  }
  return args;
}

/** The file attached to the command's attachment option, downloaded from Discord's CDN when a command asks. */
export function attachmentOf(i: APIInteraction): AttachmentReader {
  return async ({ maxBytes }) => {
    const option = leaves(i).find((o) => o.type === ApplicationCommandOptionType.Attachment);
    const file = option ? resolvedOf(i)?.attachments?.[String(option.value)] : undefined;
    return file ? downloadAttachment({ name: file.filename, url: file.url }, maxBytes) : undefined;
  };
}

/** Manage Server (or Administrator) in the channel the interaction came from. */
export function canManageGuild(member: APIInteractionGuildMember): boolean {
  return new PermissionsBitField(BigInt(member.permissions)).has(PermissionFlagsBits.ManageGuild);
}

export const channelOf = (i: GuildInteraction): ChannelRef => ({
  platform: 'discord',
  workspaceId: i.guild_id,
  channelId: i.channel?.id ?? i.guild_id,
});
