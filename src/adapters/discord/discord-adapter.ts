/**
 * The Discord gateway transport: a discord.js client with the Guilds intent only. Interactions arrive as
 * INTERACTION_CREATE and are answered by REST calls on their token; discord-http.ts is the other mode.
 */
import {
  type APIInteraction,
  Client,
  Events,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayIntentBits,
  type Guild,
  Options,
  PermissionFlagsBits,
} from 'discord.js';
import type { DiscordConfig } from '../../config/discord.ts';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { Publisher } from '../../core/outbound.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { PlatformAdapter } from '../adapter.ts';
import { handleInteraction, type InteractionDeps } from './discord-interactions.ts';
import { createDiscordPublisher } from './discord-publisher.ts';
import { restResponder } from './discord-responders.ts';
import { restOptions } from './discord-rest.ts';
import { type GuildFacts, guildAdminLookup, guildFactsLookup } from './discord-roles.ts';
import { welcomeChannels, welcomeGuild } from './discord-welcome.ts';

export interface DiscordAdapterDeps {
  config: Omit<DiscordConfig, 'publicKey'>;
  bot: Bot;
  log: Log;
  metrics: Metrics;
  clock: Clock;
}

export interface DiscordAdapter extends PlatformAdapter {
  readonly client: Client;
}

/** What the shared flows need, with role names from the gateway's cache (the Guilds intent keeps it). */
function interactionDeps(
  deps: DiscordAdapterDeps,
  client: Client,
  log: Log,
  guildFacts: InteractionDeps['guildFacts'],
): InteractionDeps {
  return {
    rest: client.rest,
    config: deps.config,
    bot: deps.bot,
    clock: deps.clock,
    log,
    welcomed: new Set<string>(),
    guildFacts,
  };
}

/** The gateway client: Guilds intent only, REST through our own agent, no message cache. */
function gatewayClient(config: DiscordAdapterDeps['config']) {
  const rest = restOptions(config);
  const client = new Client({
    // INTERACTION_CREATE needs no intent; Guilds keeps guilds, channels and roles cached (for the manager
    // role). No privileged intents, so no verification is ever needed.
    intents: [GatewayIntentBits.Guilds],
    // Test seam: REST elsewhere; the gateway URL then comes from that server's GET /gateway/bot.
    rest,
    allowedMentions: { parse: [] },
    // Nothing reads cached messages: buttons carry their own state, so messages are not kept.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
  return { client, agent: rest.agent };
}

export function createDiscordAdapter(deps: DiscordAdapterDeps): DiscordAdapter {
  const { config, bot, metrics } = deps;
  const log = deps.log.child({ platform: 'discord' });
  const { client, agent } = gatewayClient(config);
  // The publisher may be used (by the scheduler) before the gateway is up; REST only needs the token.
  client.rest.setToken(config.token);
  const publisher: Publisher = createDiscordPublisher({ rest: client.rest, log, metrics });
  const inflight = new Set<Promise<void>>();
  let stopping = false;

  const guildFacts = guildFactsLookup({
    rest: client.rest,
    clock: deps.clock,
    cachedGuild: (guildId) => cachedGuild(client, guildId),
  });
  const interactions = interactionDeps(deps, client, log, guildFacts);

  // The interaction's own JSON, as the Interactions Endpoint receives it, so both modes share one reading.
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (stopping || packet.t !== GatewayDispatchEvents.InteractionCreate) return;
    const i: APIInteraction = packet.d;
    const p = handleInteraction(interactions, i, restResponder(client.rest, i)).finally(() =>
      inflight.delete(p),
    );
    inflight.add(p);
  });
  // A server that adds the bot gets one welcome, in its system channel or the first it can post in.
  client.on(Events.GuildCreate, (guild) => {
    if (stopping) return;
    const p = welcomeGuild({ bot, publisher, log }, guild.id, guildWelcomeChannels(guild)).finally(() =>
      inflight.delete(p),
    );
    inflight.add(p);
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) =>
    log.warn({ shard, code: event.code }, 'discord gateway disconnected'),
  );

  return {
    platform: 'discord',
    publisher,
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord connected');
    },
    isReady: () => !stopping && client.isReady(),
    isPlatformAdmin: guildAdminLookup({
      rest: client.rest,
      managerRole: config.managerRole,
      clock: deps.clock,
      log,
      guildFacts,
    }),
    async stop() {
      stopping = true;
      await Promise.allSettled([...inflight]);
      await client.destroy();
      await agent.close();
    },
  };
}

/** A server's owner and roles from the gateway's cache, which the Guilds intent keeps current. */
function cachedGuild(client: Client, guildId: string): GuildFacts | undefined {
  const guild = client.guilds.cache.get(guildId);
  return (
    guild && {
      ownerId: guild.ownerId,
      roles: new Map(
        guild.roles.cache.map((r) => [r.id, { name: r.name, permissions: r.permissions.bitfield }]),
      ),
    }
  );
}

/** The welcome rule over the gateway's cache, where the bot may view and send by discord.js's own reckoning. */
function guildWelcomeChannels(guild: Guild): string[] {
  const me = guild.members.me;
  const channels = [...guild.channels.cache.values()].map((c) => ({
    id: c.id,
    type: c.type,
    ...('position' in c ? { position: c.position } : {}),
  }));
  return welcomeChannels({ systemChannelId: guild.systemChannelId, channels }, (id) => {
    const channel = guild.channels.cache.get(id);
    return !me || !channel
      ? true
      : channel.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
  });
}
