/**
 * Discord over HTTP: the Interactions Endpoint and the Webhook Events URL. Discord POSTs each interaction,
 * signed with Ed25519, to POST /discord/interactions on the shared HTTP server; the answer is the HTTP response
 * while Discord's 3 s last, and everything later (edits of deferred answers, follow-ups, scheduled drills) goes
 * over REST. No gateway session is opened, so any number of processes behind a load balancer serve the same bot
 * (interactions/overview.mdx: "Receiving interactions", "Setting up an endpoint"). Webhook events, signed the
 * same way, arrive at POST /discord/events (events/webhook-events.mdx): a server that installs the bot is
 * welcomed from its APPLICATION_AUTHORIZED event, as GUILD_CREATE welcomes it in gateway mode.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type APIInteraction,
  type APIWebhookEvent,
  ApplicationIntegrationType,
  ApplicationWebhookEventType,
  ApplicationWebhookType,
  InteractionResponseType,
  InteractionType,
} from 'discord.js';
import type { DiscordConfig } from '../../config/discord.ts';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { HttpMount, PlatformAdapter } from '../adapter.ts';
import { header, readBody, timestampProblem, tooLarge, type VerifyResult } from '../signed-requests.ts';
import { handleInteraction, type InteractionDeps } from './discord-interactions.ts';
import { createDiscordPublisher } from './discord-publisher.ts';
import { httpResponder, writeJson } from './discord-responders.ts';
import { createDiscordRest } from './discord-rest.ts';
import { guildAdminLookup, guildFactsLookup } from './discord-roles.ts';
import { installedGuildChannels, welcomeGuild } from './discord-welcome.ts';

/** The path to paste into the Developer Portal's Interactions Endpoint URL, after the service's public URL. */
export const INTERACTIONS_PATH = '/discord/interactions';
/** The path to paste into the Developer Portal's Webhooks → Endpoint URL, after the service's public URL. */
export const EVENTS_PATH = '/discord/events';

/**
 * Discord allows 3 s from sending to the first answer (receiving-and-responding.mdx); what is not ready
 * this long after receipt is deferred, leaving the rest for the network both ways.
 */
const ACK_WITHIN_MS = 2500;

/** An Ed25519 signature is 64 bytes, sent as 128 hex characters. */
const SIGNATURE_HEX = /^[0-9a-f]{128}$/i;

export interface DiscordHttpAdapterDeps {
  config: Pick<DiscordConfig, 'token' | 'applicationId' | 'managerRole' | 'apiUrl'> & { publicKey: string };
  bot: Bot;
  log: Log;
  metrics: Metrics;
  clock: Clock;
  /** Test seam: how long an answer may take before the interaction is deferred (default 2.5 s). */
  ackWithinMs?: number;
}

/** The application's public key (32 bytes as hex) as a key object, through its JWK form. */
function discordPublicKey(hex: string): KeyObject {
  const x = Buffer.from(hex, 'hex').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Ed25519 over timestamp + raw body (overview.mdx, "Security and authorization"), with our clock's window. */
function verifyDiscordSignature(opts: {
  key: KeyObject;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
}): VerifyResult {
  if (!opts.signature || !SIGNATURE_HEX.test(opts.signature))
    return { ok: false, reason: 'missing or malformed signature headers' };
  const problem = timestampProblem(opts.timestamp, opts.now);
  if (problem) return { ok: false, reason: problem };
  const message = Buffer.concat([Buffer.from(opts.timestamp!, 'utf8'), opts.rawBody]);
  return verify(null, message, opts.key, Buffer.from(opts.signature, 'hex'))
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

interface Endpoint {
  key: KeyObject;
  clock: Clock;
  log: Log;
  /** False while stopping: interactions and events are refused with 503 (Discord retries an event). */
  isReady(): boolean;
  /** Handles a verified interaction; the responder owns the HTTP response from here. */
  handle(i: APIInteraction, res: ServerResponse): void;
  /** Takes a verified webhook event after it has been acknowledged; never throws. */
  event(e: APIWebhookEvent): void;
}

/**
 * The request's JSON once its signature holds, or undefined when it has been answered already: 413 for a
 * body too large, 401 for a bad or stale signature, 400 for a body that is not JSON.
 */
async function verifiedJson(e: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const raw = await readBody(req);
  if (raw === 'too_large')
    return tooLarge(
      req,
      res,
      { 'content-type': 'application/json' },
      JSON.stringify({ error: 'body too large' }),
    );
  const verdict = verifyDiscordSignature({
    key: e.key,
    rawBody: raw,
    signature: header(req, 'x-signature-ed25519'),
    timestamp: header(req, 'x-signature-timestamp'),
    now: e.clock.now(),
  });
  if (!verdict.ok) {
    // Discord checks this on purpose, with bad signatures, and removes an endpoint that accepts them.
    e.log.warn({ reason: verdict.reason }, 'discord request refused');
    return writeJson(res, 401, { error: 'invalid request signature' });
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return writeJson(res, 400, { error: 'body is not JSON' });
  }
}

async function serveInteraction(e: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const interaction = (await verifiedJson(e, req, res)) as APIInteraction | undefined;
  if (!interaction) return;
  if (interaction.type === InteractionType.Ping)
    return writeJson(res, 200, { type: InteractionResponseType.Pong });
  if (!e.isReady()) return writeJson(res, 503, { error: 'shutting down' });
  e.handle(interaction, res);
}

/** 204 with no body: the acknowledgement of a webhook PING or event (within 3 s, or Discord retries). */
function noContent(res: ServerResponse): void {
  res.writeHead(204, { 'content-type': 'application/json' });
  res.end();
}

async function serveEvent(e: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const event = (await verifiedJson(e, req, res)) as APIWebhookEvent | undefined;
  if (!event) return;
  if (event.type === ApplicationWebhookType.Ping) return noContent(res);
  if (!e.isReady()) return writeJson(res, 503, { error: 'shutting down' });
  noContent(res);
  e.event(event);
}

const ROUTES = new Map([
  [INTERACTIONS_PATH, serveInteraction],
  [EVENTS_PATH, serveEvent],
]);

function endpointMount(e: Endpoint): HttpMount {
  return {
    prefix: '/discord/',
    listener(req, res) {
      const serve = ROUTES.get(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (!serve) return writeJson(res, 404, { error: 'not found' });
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return writeJson(res, 405, { error: 'method not allowed' });
      }
      serve(e, req, res).catch((err: unknown) => {
        e.log.error({ err }, 'discord request failed');
        if (!res.headersSent) writeJson(res, 500, { error: 'internal error' });
      });
    },
  };
}

/** A server that installed the bot (not a user install, not another event), with its system channel if sent. */
function installedGuild(event: APIWebhookEvent): { id: string; systemChannelId: string | null } | undefined {
  if (event.type !== ApplicationWebhookType.Event) return undefined;
  // Signed by Discord, yet checked for shape: a body without an event (an interaction sent here) is ignored.
  const body = event.event as typeof event.event | undefined;
  if (body?.type !== ApplicationWebhookEventType.ApplicationAuthorized || !body.data) return undefined;
  const { integration_type, guild } = body.data;
  if (integration_type !== ApplicationIntegrationType.GuildInstall || !guild?.id) return undefined;
  return { id: guild.id, systemChannelId: guild.system_channel_id ?? null };
}

/** Discord in HTTP mode: the endpoint on the shared server, REST for everything sent, no gateway. */
export function createDiscordHttpAdapter(deps: DiscordHttpAdapterDeps): PlatformAdapter {
  const { config, bot, clock, metrics } = deps;
  const log = deps.log.child({ platform: 'discord' });
  const { rest, close } = createDiscordRest(config);
  const guildFacts = guildFactsLookup({ rest, clock });
  const interactions: InteractionDeps = {
    rest,
    config,
    bot,
    clock,
    log,
    welcomed: new Set<string>(),
    guildFacts,
  };
  const inflight = new Set<Promise<void>>();
  let state: 'new' | 'started' | 'stopping' = 'new';
  const ackWithinMs = deps.ackWithinMs ?? ACK_WITHIN_MS;
  const publisher = createDiscordPublisher({ rest, log, metrics });
  const track = (p: Promise<void>) => {
    const tracked = p.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };

  const http = endpointMount({
    key: discordPublicKey(config.publicKey),
    clock,
    log,
    isReady: () => state === 'started',
    handle(i, res) {
      const responder = httpResponder(res, rest, i, ackWithinMs);
      track(handleInteraction(interactions, i, responder).finally(() => responder.finish()));
    },
    event(event) {
      const guild = installedGuild(event);
      if (!guild) return;
      // Acknowledged already: a failure here is logged, and the first command in a channel still welcomes it.
      track(
        installedGuildChannels({ rest, applicationId: config.applicationId, guildFacts }, guild)
          .then((channelIds) => welcomeGuild({ bot, publisher, log }, guild.id, channelIds))
          .catch((err: unknown) => log.warn({ err, guild: guild.id }, 'discord install welcome failed')),
      );
    },
  });

  return {
    platform: 'discord',
    publisher,
    http,
    async start() {
      state = 'started';
      log.info({ path: INTERACTIONS_PATH, events: EVENTS_PATH }, 'discord interactions endpoint ready');
    },
    isReady: () => state === 'started',
    isPlatformAdmin: guildAdminLookup({ rest, managerRole: config.managerRole, clock, log, guildFacts }),
    async stop() {
      state = 'stopping';
      await Promise.allSettled([...inflight]);
      await close();
    },
  };
}
