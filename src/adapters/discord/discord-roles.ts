/**
 * Whether a Discord member is a platform admin now: the server's owner, Administrator or Manage Server from
 * their roles, or the configured manager role. The dashboard asks on every request, in gateway and HTTP mode
 * alike: the member is read over REST (GET /guilds/{guild.id}/members/{user.id}; the Guilds intent never
 * updates a cached member's roles), the server's roles and owner from the gateway's cache when there is one,
 * else over REST (GET /guilds/{guild.id}). Both answers are kept briefly, so a page full of workspaces does
 * not spend Discord's rate limit, and a role taken away counts within a minute.
 */
import {
  type APIGuild,
  type APIGuildMember,
  DiscordAPIError,
  PermissionFlagsBits,
  type REST,
  Routes,
} from 'discord.js';
import type { Clock } from '../../core/clock.ts';
import { ExpiringMap } from '../../core/expiring-map.ts';
import type { Log } from '../../core/log.ts';

/** What a server says about roles: its owner, and each role's name and permission bits (by id). */
export interface GuildFacts {
  ownerId: string;
  roles: Map<string, { name: string; permissions: bigint }>;
}

const GUILD_MS = 60_000;
const MEMBER_MS = 15_000;
const CACHE_MAX = 5_000;
/** topics/opcodes-and-status-codes.mdx: Discord's definite no (no such server or member; the bot was removed). */
const NOT_THERE = new Set([10004, 10007, 50001]);

/** Does one of these roles carry the configured manager role's name (case and spaces aside)? */
export function holdsManagerRole(
  managerRole: string | undefined,
  roleIds: readonly string[],
  nameOf: (roleId: string) => string | undefined,
): boolean {
  const wanted = managerRole?.trim().toLowerCase();
  return !!wanted && roleIds.some((id) => nameOf(id)?.trim().toLowerCase() === wanted);
}

/**
 * A member's server-wide permission bits (topics/permissions.mdx): the @everyone role's (its id is the server's)
 * and each of their roles'; the owner holds every permission, counted here as Administrator.
 */
export function guildPermissions(
  guildId: string,
  facts: GuildFacts,
  member: { userId: string; roleIds: readonly string[] },
): bigint {
  if (facts.ownerId === member.userId) return PermissionFlagsBits.Administrator;
  let bits = facts.roles.get(guildId)?.permissions ?? 0n;
  for (const id of member.roleIds) bits |= facts.roles.get(id)?.permissions ?? 0n;
  return bits;
}

/** Owner, Administrator or Manage Server, or the role. */
function isGuildAdmin(
  guildId: string,
  facts: GuildFacts,
  member: { userId: string; roleIds: readonly string[] },
  managerRole: string | undefined,
): boolean {
  const bits = guildPermissions(guildId, facts, member);
  if ((bits & (PermissionFlagsBits.Administrator | PermissionFlagsBits.ManageGuild)) !== 0n) return true;
  return holdsManagerRole(managerRole, member.roleIds, (id) => facts.roles.get(id)?.name);
}

export interface GuildAdminDeps {
  rest: REST;
  managerRole: string | undefined;
  log: Log;
  /** The server's facts (guildFactsLookup). */
  guildFacts: (guildId: string) => Promise<GuildFacts>;
  clock: Clock;
}

function factsOf(guild: Pick<APIGuild, 'owner_id' | 'roles'>): GuildFacts {
  return {
    ownerId: guild.owner_id,
    roles: new Map(guild.roles.map((r) => [r.id, { name: r.name, permissions: BigInt(r.permissions) }])),
  };
}

/**
 * A server's owner and roles: from the gateway's cache when there is one (the Guilds intent keeps it current),
 * else over REST (GET /guilds/{guild.id}), kept GUILD_MS since nothing tells HTTP mode of a change. Both the
 * manager-role check on each interaction and `isPlatformAdmin` read them here.
 */
export function guildFactsLookup(deps: {
  rest: REST;
  clock: Clock;
  cachedGuild?: (guildId: string) => GuildFacts | undefined;
}): (guildId: string) => Promise<GuildFacts> {
  const guilds = new ExpiringMap<GuildFacts>(deps.clock, CACHE_MAX);
  return async (guildId) => {
    const cached = deps.cachedGuild?.(guildId) ?? guilds.get(guildId);
    if (cached) return cached;
    const facts = factsOf((await deps.rest.get(Routes.guild(guildId))) as APIGuild);
    guilds.set(guildId, facts, GUILD_MS);
    return facts;
  };
}

/**
 * `isPlatformAdmin` for both Discord transports: true or false when Discord says (a member who left the server,
 * or a server the bot left, is no admin there), undefined when it cannot say now (an outage).
 */
export function guildAdminLookup(deps: GuildAdminDeps) {
  const verdicts = new ExpiringMap<boolean>(deps.clock, CACHE_MAX);
  return async (guildId: string, userId: string): Promise<boolean | undefined> => {
    const key = `${guildId}:${userId}`;
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    try {
      const member = (await deps.rest.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
      const admin = isGuildAdmin(
        guildId,
        await deps.guildFacts(guildId),
        { userId, roleIds: member.roles },
        deps.managerRole,
      );
      verdicts.set(key, admin, MEMBER_MS);
      return admin;
    } catch (err) {
      if (err instanceof DiscordAPIError && NOT_THERE.has(Number(err.code))) {
        verdicts.set(key, false, MEMBER_MS);
        return false;
      }
      deps.log.warn({ err, guild: guildId }, 'discord member look-up failed; the sign-in says instead');
      return undefined;
    }
  };
}
