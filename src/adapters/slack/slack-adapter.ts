/**
 * The Slack adapter: a Bolt app (HTTP receiver or Socket Mode). Slack never resends an acknowledged
 * interaction, so what must not be lost (a command's effect, a click's answer) is done before the ack; the
 * reply and other slow follow-up work run after it, in per-workspace queues.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  type BlockAction,
  type ButtonAction,
  HTTPReceiver,
  type RespondArguments,
  type RespondFn,
  type SlackCommandMiddlewareArgs,
  type types,
} from '@slack/bolt';
import type { Kysely } from 'kysely';
import type { SlackConfig } from '../../config/config.ts';
import type { Clock } from '../../core/clock.ts';
import type { MentionResolver } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { ChannelRef, OutboundMessage, UserRef } from '../../core/types.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpMount, PlatformAdapter } from '../adapter.ts';
import { createKeyedWorkQueue } from '../work-queue.ts';
import { createInstallationStore, type SlackInstallationStore } from './installation-store.ts';
import { createAdminLookup } from './slack-admins.ts';
import { boltLogger, createSlackClients, type SlackClients } from './slack-clients.ts';
import { toPublishError } from './slack-errors.ts';
import { attachmentUpload, createSlackPublisher, openDirectChannel, uploadFile } from './slack-publisher.ts';
import { coreActionId, renderSlackMessage } from './slack-render.ts';
import { verifySlackSignature } from './slack-verify.ts';
import { createTokenCipher } from './token-cipher.ts';

/** Where Slack sends commands, interactivity and events in HTTP mode (and slack/manifest.yml says so). */
export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Bot scopes, least privilege; slack/manifest.yml lists the same with the reason for each, and a test
 * keeps them equal. No chat:write.public: the bot posts only where it was invited.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'files:write',
  'users:read',
  'channels:history',
  'groups:history',
] as const;

/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
const BODY_LIMIT_BYTES = 1024 * 1024;
/** Clicks already handled, so a redelivery (x-slack-retry-num) is not answered twice. */
const SEEN_MAX = 10_000;
/**
 * The owner/admin lookup runs before a manager command's ack, inside Slack's 3 s: one try, this long at
 * most, and a failure counts as "not an admin" (granted managers still manage) until it is asked again.
 */
export const ADMIN_LOOKUP_TIMEOUT_MS = 1500;
/**
 * Post-ack work (replies, file uploads, streaks) in flight per workspace, and overall: one workspace's slow
 * calls or bursts hold at most its own slots, and the overall bound keeps the database pool busy, not flooded.
 */
export const WORK_PER_WORKSPACE = 4;
export const WORK_TOTAL = 32;

export interface SlackAdapterDeps {
  config: SlackConfig;
  bot: Bot;
  /** Holds the OAuth installations (unused with a single bot token). */
  db: Kysely<Database>;
  log: Log;
  metrics: Metrics;
  clock: Clock;
}

export interface SlackAdapter extends PlatformAdapter {
  /** The Bolt app, for tests and for the shared server's diagnostics. */
  readonly app: App;
  readonly installations: SlackInstallationStore | undefined;
}

/**
 * `<@U123|ana>` → member, `<#C123|study>` → channel: what Slack sends for mentions when should_escape is on.
 * A member's label is not kept: members are named only by Slack itself (their own interactions), never by
 * text in a command.
 */
export const resolveSlackMention: MentionResolver = (token) => {
  const user = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  if (user) return { userId: user[1]! };
  const channel = /^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  if (channel) return { channelId: channel[1]!, ...(channel[2] ? { name: channel[2] } : {}) };
  return undefined;
};

/**
 * The mention resolver for one command: only the `<…>` tokens Slack wrote into the raw text are mentions.
 * Text a member typed arrives entity-escaped (`&lt;@U2|label&gt;`), so it stays text after unescaping.
 */
export function slackMentions(rawText: string): MentionResolver {
  const real = new Set(rawText.match(/<[^<>]*>/g) ?? []);
  return (token) => (real.has(token) ? resolveSlackMention(token) : undefined);
}

/** Slack escapes & < > in command text as entities; mentions stay as real <…> tokens. */
export function unescapeCommandText(text: string): string {
  return text.replace(/<[^>]*>|&(amp|lt|gt);/g, (m, entity: string | undefined) =>
    entity === 'amp' ? '&' : entity === 'lt' ? '<' : entity === 'gt' ? '>' : m,
  );
}

function respondArgs(reply: OutboundMessage, extraLine?: string): RespondArguments {
  const message = extraLine ? { ...reply, text: `${reply.text}\n${extraLine}` } : reply;
  const rendered = renderSlackMessage(message);
  if (extraLine && rendered.blocks)
    rendered.blocks.push({
      type: 'context',
      block_id: 'delivery-note',
      elements: [{ type: 'mrkdwn', text: renderSlackMessage({ text: extraLine }).text }],
    });
  return {
    response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral',
    replace_original: false,
    text: rendered.text,
    ...(rendered.blocks ? { blocks: rendered.blocks as unknown as types.KnownBlock[] } : {}),
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const { config, bot, clock, metrics } = deps;
  const log = deps.log.child({ platform: 'slack' });
  const logger = boltLogger(log.child({ module: 'bolt' }));
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};

  const installations =
    config.auth.kind === 'oauth'
      ? createInstallationStore({
          db: deps.db,
          cipher: createTokenCipher(config.auth.encryptionKey),
          clock,
          log,
        })
      : undefined;
  const clients: SlackClients = createSlackClients({
    auth:
      config.auth.kind === 'single'
        ? { kind: 'single', botToken: config.auth.botToken }
        : { kind: 'oauth', store: installations! },
    apiUrl: config.apiUrl,
    log,
    metrics,
  });
  const admins = createAdminLookup({ clock, log });
  const publisher = createSlackPublisher({ clients, log });

  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (config.mode === 'socket') {
    if (config.auth.kind !== 'single' || !config.appToken)
      throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN');
    app = new App({
      socketMode: true,
      appToken: config.appToken,
      token: config.auth.botToken,
      logger,
      clientOptions,
      deferInitialization: true,
    });
  } else {
    if (!config.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
    const oauth =
      config.auth.kind === 'oauth'
        ? {
            clientId: config.auth.clientId,
            clientSecret: config.auth.clientSecret,
            stateSecret: config.auth.stateSecret,
            installationStore: installations!,
            scopes: [...BOT_SCOPES],
            installerOptions: {
              installPath: INSTALL_PATH,
              redirectUriPath: REDIRECT_PATH,
              // /slack/install goes straight to Slack's consent page instead of an "Add to Slack" page.
              directInstall: true,
              clientOptions,
            },
          }
        : {};
    receiver = new HTTPReceiver({
      signingSecret: config.signingSecret,
      // Verified in front of Bolt with our clock and a symmetric ±5 min window (see slack-verify.ts).
      signatureVerification: false,
      endpoints: EVENTS_PATH,
      processBeforeResponse: false,
      logger,
      ...oauth,
    });
    app = new App({
      receiver,
      ...(config.auth.kind === 'single' ? { token: config.auth.botToken } : {}),
      logger,
      clientOptions,
      deferInitialization: true,
    });
  }

  let ready = false;
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const work = createKeyedWorkQueue(WORK_PER_WORKSPACE, WORK_TOTAL);
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  const seen = new Set<string>();
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    if (seen.size >= SEEN_MAX) seen.delete(seen.values().next().value!);
    seen.add(key);
    return true;
  };

  /** Uploads a reply's file: into the channel when the reply is public, into the caller's DM otherwise. */
  async function deliverAttachment(reply: OutboundMessage, channel: ChannelRef, user: UserRef) {
    if (!reply.attachment) return undefined;
    try {
      const client = await clients.forTeam(channel.workspaceId);
      const target =
        reply.visibility === 'public' ? channel.channelId : await openDirectChannel(client, user.userId);
      await uploadFile(client, target, attachmentUpload(reply.attachment, reply.attachment.filename));
      return reply.visibility === 'public'
        ? undefined
        : `I sent you ${reply.attachment.filename} in a direct message.`;
    } catch (err) {
      const e = toPublishError(err);
      log.warn({ code: e.code, workspace: channel.workspaceId }, 'slack reply file upload failed');
      return `The file ${reply.attachment.filename} could not be delivered: ${e.reason}.`;
    }
  }

  async function reply(respond: RespondFn, message: OutboundMessage, channel: ChannelRef, user: UserRef) {
    const note = await deliverAttachment(message, channel, user);
    await respond(respondArgs(message, note));
  }

  /**
   * Runs a command to its reply before the ack, so its effect (a schedule set, a team created) is stored
   * before Slack considers it delivered; only sending the reply is left for after the ack.
   */
  async function runCommand(args: SlackCommandMiddlewareArgs, requestId: string, receivedAt: Date) {
    const { command } = args;
    const channel: ChannelRef = {
      platform: 'slack',
      workspaceId: command.team_id,
      channelId: command.channel_id,
    };
    const user: UserRef = { ...channel, userId: command.user_id, displayName: command.user_name };
    const input = {
      kind: 'text' as const,
      text: unescapeCommandText(command.text ?? ''),
      resolveMention: slackMentions(command.text ?? ''),
    };
    // Slack is asked who is an owner or admin only when the bot needs it: for a manager command from a
    // member not granted. A failed lookup answers "no": granted managers can still manage.
    const isPlatformAdmin = async () => {
      try {
        const client = await clients.oneShot(channel.workspaceId, { timeoutMs: ADMIN_LOOKUP_TIMEOUT_MS });
        return await admins.isAdmin(client, channel.workspaceId, user.userId);
      } catch (err) {
        log.warn({ err, requestId }, 'slack admin lookup failed; granted managers can still manage');
        return false;
      }
    };
    const message = await bot.handleCommand({ channel, user, input, requestId, receivedAt, isPlatformAdmin });
    return { message, channel, user };
  }

  // Whatever the command is called in the manifest (/roadmap, or /roadmap-dev for a second app), it is ours.
  app.command(/.*/, async (args) => {
    const requestId = randomUUID();
    const receivedAt = clock.now();
    let done: Awaited<ReturnType<typeof runCommand>> | undefined;
    try {
      done = await runCommand(args, requestId, receivedAt);
    } catch (err) {
      log.error({ err, requestId }, 'slack command failed');
    }
    await args.ack();
    if (!done) return;
    const { message, channel, user } = done;
    await track(
      work(channel.workspaceId, () => reply(args.respond, message, channel, user)).catch((err: unknown) =>
        log.error({ err, requestId }, 'slack command reply failed after ack'),
      ),
    );
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, respond }) => {
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    // The same click redelivered (x-slack-retry-num) has the same action_ts: answer it once.
    if (!firstTime(`${teamId}:${body.user.id}:${action.action_ts}:${action.action_id}`)) {
      await ack();
      log.info({ team: teamId, user: body.user.id }, 'slack click already handled; ignoring redelivery');
      return;
    }
    const requestId = randomUUID();
    const channel: ChannelRef = {
      platform: 'slack',
      workspaceId: teamId,
      channelId: body.channel?.id ?? body.container?.channel_id ?? 'unknown',
    };
    const user: UserRef = {
      ...channel,
      userId: body.user.id,
      displayName: body.user.name ?? body.user.username ?? body.user.id,
    };
    // The answer is stored (one insert under its unique key) before the ack; a redelivery or a double
    // click finds it there and is told which answer counts.
    const accepted = await bot.acceptAction({
      channel,
      user,
      actionId: coreActionId(action.action_id),
      value: action.value ?? '',
      ...(body.container?.message_ts ? { messageId: body.container.message_ts } : {}),
      requestId,
      receivedAt: clock.now(),
    });
    await ack();
    await track(
      work(teamId, async () => {
        const result = await accepted.finish();
        await reply(respond, { ...result.reply, visibility: 'ephemeral' }, channel, user);
      }).catch((err: unknown) => log.error({ err, requestId }, 'slack click failed after ack')),
    );
  });

  const forgetWorkspace = async (
    teamId: string | undefined,
    enterpriseId: string | undefined,
    isOrg: boolean,
  ) => {
    if (!teamId && !enterpriseId) return;
    if (teamId) clients.forget(teamId);
    if (installations) {
      await installations.deleteInstallation({
        teamId: teamId as string,
        enterpriseId,
        isEnterpriseInstall: isOrg,
      });
    } else {
      log.warn({ team: teamId }, 'slack app uninstalled or token revoked; SLACK_BOT_TOKEN no longer works');
    }
  };
  app.event('app_uninstalled', async ({ context }) => {
    await forgetWorkspace(context.teamId, context.enterpriseId, context.isEnterpriseInstall === true);
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot token matters: user tokens are never requested.
    if ((event.tokens.bot ?? []).length > 0)
      await forgetWorkspace(context.teamId, context.enterpriseId, context.isEnterpriseInstall === true);
  });
  app.error(async (err) => {
    log.error({ err }, 'slack listener failed');
  });

  async function serveEvents(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req, BODY_LIMIT_BYTES);
    if (raw === 'too_large') {
      res.writeHead(413).end();
      return;
    }
    const rawBody = raw.toString('utf8');
    // Slack's SSL check is unsigned and carries nothing to process.
    if (
      req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
      /(^|&)ssl_check=1(&|$)/.test(rawBody)
    ) {
      res.writeHead(200).end();
      return;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const verdict = verifySlackSignature({
      signingSecret: config.signingSecret!,
      rawBody,
      signature: header('x-slack-signature'),
      timestamp: header('x-slack-request-timestamp'),
      now: clock.now(),
    });
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, 'slack request refused');
      res.writeHead(401).end();
      return;
    }
    if (stopping || !ready) {
      // Slack retries events; commands and clicks show the member an error, which is right while we restart.
      res.writeHead(503).end();
      return;
    }
    // Bolt reads the already-buffered body from here instead of the consumed stream.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    receiver!.requestListener(req, res);
  }

  const http: HttpMount | undefined = receiver
    ? {
        prefix: '/slack/',
        listener(req, res) {
          const path = new URL(req.url ?? '/', 'http://localhost').pathname;
          if (req.method === 'POST' && path === EVENTS_PATH) {
            serveEvents(req, res).catch((err: unknown) => {
              log.error({ err }, 'slack request failed');
              if (!res.headersSent) res.writeHead(500).end();
            });
            return;
          }
          try {
            receiver!.requestListener(req, res);
          } catch {
            // Bolt throws for paths it does not own (e.g. /slack/install without OAuth configured).
            if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
          }
        },
      }
    : undefined;

  return {
    platform: 'slack',
    publisher,
    app,
    installations,
    ...(http ? { http } : {}),
    async start() {
      // Single workspace: auth.test checks the token now, so a wrong one fails start-up, not the first command.
      await app.init();
      if (config.mode === 'socket') await app.start();
      ready = true;
      log.info({ mode: config.mode, auth: config.auth.kind }, 'slack adapter started');
    },
    isReady: () => ready && !stopping,
    async stop() {
      stopping = true;
      if (config.mode === 'socket' && ready) await app.stop();
      await Promise.allSettled([...inFlight]);
      ready = false;
      log.info({}, 'slack adapter stopped');
    },
  };
}
