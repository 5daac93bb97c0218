/**
 * The welcome a server gets when it adds the bot, in both transports: which of its channels to try (one rule
 * over plain channel data), and the claimed post with its fall-back to the next channel. The gateway reads the
 * server from GUILD_CREATE; HTTP mode from an APPLICATION_AUTHORIZED webhook event and REST.
 */
import {
  type APIGuildChannel,
  type APIGuildMember,
  ChannelType,
  type GuildChannelType,
  OverwriteType,
  PermissionFlagsBits,
  type REST,
  Routes,
} from 'discord.js';
import type { Log } from '../../core/log.ts';
import type { Publisher } from '../../core/outbound.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import { type GuildFacts, guildPermissions } from './discord-roles.ts';

/** A server's channels tried for the welcome before giving up (the first command there still brings it). */
const WELCOME_TRIES = 3;

/** Channels a welcome can be posted in: text and announcement channels (not threads, voice or forums). */
const TEXT_TYPES: ReadonlySet<number> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/** What the welcome rule reads of a server, from the gateway's cache or from REST alike. */
export interface WelcomeGuild {
  systemChannelId: string | null;
  channels: readonly { id: string; type: number; position?: number }[];
}

/**
 * Where to welcome a server the bot just joined: its system channel, then its text channels in order, each
 * only where `canSend` says the bot may view and send.
 */
export function welcomeChannels(guild: WelcomeGuild, canSend: (channelId: string) => boolean): string[] {
  const text = guild.channels
    .filter((c) => TEXT_TYPES.has(c.type))
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((c) => c.id);
  const ordered = [...new Set([...(guild.systemChannelId ? [guild.systemChannelId] : []), ...text])];
  return ordered.filter((id) => text.includes(id) && canSend(id));
}

/** Tries the server's channels in order until the welcome lands; each channel is claimed before its post. */
export async function welcomeGuild(
  deps: { bot: Bot; publisher: Publisher; log: Log },
  guildId: string,
  channelIds: readonly string[],
): Promise<void> {
  for (const channelId of channelIds.slice(0, WELCOME_TRIES)) {
    const channel = { platform: 'discord' as const, workspaceId: guildId, channelId };
    const welcome = await deps.bot.welcome(channel);
    if (!welcome) {
      // Welcomed before: a rejoin, a repeated delivery, or another instance got there first.
      deps.log.info({ guild: guildId, channel: channelId }, 'discord server already welcomed');
      return;
    }
    try {
      await deps.publisher.post(channel, welcome);
      deps.log.info({ guild: guildId, channel: channelId }, 'discord welcome posted');
      return;
    } catch (err) {
      await deps.bot.welcomeFailed(channel);
      deps.log.warn(
        { err, guild: guildId, channel: channelId },
        'discord welcome failed; trying the next channel',
      );
    }
  }
}

const VIEW_AND_SEND = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

/**
 * The bot's permissions in a channel from REST data (topics/permissions.mdx, "Permission Overwrites"): its
 * server-wide bits, then the channel's @everyone, role and member overwrites in that order.
 */
function channelPermissions(
  guildId: string,
  facts: GuildFacts,
  member: { userId: string; roleIds: readonly string[] },
  channel: Pick<APIGuildChannel<GuildChannelType>, 'permission_overwrites'>,
): bigint {
  let bits = guildPermissions(guildId, facts, member);
  if ((bits & PermissionFlagsBits.Administrator) !== 0n) return VIEW_AND_SEND;
  const overwrites = channel.permission_overwrites ?? [];
  const apply = (list: typeof overwrites) => {
    let allow = 0n;
    let deny = 0n;
    for (const o of list) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
    bits = (bits & ~deny) | allow;
  };
  apply(overwrites.filter((o) => o.type === OverwriteType.Role && o.id === guildId));
  apply(overwrites.filter((o) => o.type === OverwriteType.Role && member.roleIds.includes(o.id)));
  apply(overwrites.filter((o) => o.type === OverwriteType.Member && o.id === member.userId));
  return bits;
}

/**
 * The welcome channels of a server that installed the bot, over REST (HTTP mode has no gateway cache): its
 * channels (GET /guilds/{guild.id}/channels), the bot's member (its id is the application's) and the server's
 * roles. Without the member, every text channel is tried, as the gateway does when its own member is unknown.
 */
export async function installedGuildChannels(
  deps: { rest: REST; applicationId: string; guildFacts: (guildId: string) => Promise<GuildFacts> },
  guild: { id: string; systemChannelId: string | null },
): Promise<string[]> {
  const channels = (await deps.rest.get(
    Routes.guildChannels(guild.id),
  )) as APIGuildChannel<GuildChannelType>[];
  const member = (await deps.rest
    .get(Routes.guildMember(guild.id, deps.applicationId))
    .catch(() => undefined)) as APIGuildMember | undefined;
  const facts = member && (await deps.guildFacts(guild.id));
  const byId = new Map(channels.map((c) => [c.id, c]));
  const me = member && { userId: deps.applicationId, roleIds: member.roles };
  return welcomeChannels({ systemChannelId: guild.systemChannelId, channels }, (id) =>
    !me || !facts
      ? true
      : (channelPermissions(guild.id, facts, me, byId.get(id)!) & VIEW_AND_SEND) === VIEW_AND_SEND,
  );
}
