/**
 * The Bolt listeners: slash commands, button clicks and uninstall events. Slack never resends an
 * acknowledged interaction, so what must not be lost (a command's effect, a click's answer) is done before
 * the ack; the reply and other slow follow-up work run after it, in per-workspace queues.
 */
import { randomUUID } from 'node:crypto';
import type {
  App,
  BlockAction,
  ButtonAction,
  RespondArguments,
  RespondFn,
  SlackCommandMiddlewareArgs,
  types,
} from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import type { MentionResolver } from '../../core/invocation.ts';
import type { Log } from '../../core/log.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { ChannelRef, OutboundMessage, UserRef } from '../../core/types.ts';
import type { KeyedWorkQueue } from '../work-queue.ts';
import type { SlackInstallationStore } from './installation-store.ts';
import type { AdminLookup } from './slack-admins.ts';
import type { SlackClients } from './slack-clients.ts';
import { toPublishError } from './slack-errors.ts';
import { slackAttachment } from './slack-files.ts';
import { openDirectChannel, uploadFile } from './slack-publisher.ts';
import { coreActionId, renderSlackMessage } from './slack-render.ts';

/** Clicks already handled, so a redelivery (x-slack-retry-num) is not answered twice. */
const SEEN_MAX = 10_000;
/**
 * The owner/admin lookup runs before a manager command's ack, inside Slack's 3 s: one try, this long at
 * most, and a failure counts as "not an admin" (granted managers still manage) until it is asked again.
 */
const ADMIN_LOOKUP_TIMEOUT_MS = 1500;

export interface SlackListenerDeps {
  bot: Bot;
  clients: SlackClients;
  admins: AdminLookup;
  installations: SlackInstallationStore | undefined;
  clock: Clock;
  log: Log;
  /** The post-ack work queue, per workspace. */
  work: KeyedWorkQueue;
  /** Keeps post-ack work in sight so stopping waits for it. */
  track<T>(p: Promise<T>): Promise<T>;
}

type Reply = (
  respond: RespondFn,
  message: OutboundMessage,
  channel: ChannelRef,
  user: UserRef,
) => Promise<void>;

/**
 * `<@U123|ana>` → member, `<#C123|study>` → channel: what Slack sends for mentions when should_escape is on.
 * A member's label is not kept: members are named only by Slack itself (their own interactions), never by
 * text in a command.
 */
const resolveSlackMention: MentionResolver = (token) => {
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
function slackMentions(rawText: string): MentionResolver {
  const real = new Set(rawText.match(/<[^<>]*>/g) ?? []);
  return (token) => (real.has(token) ? resolveSlackMention(token) : undefined);
}

/** Slack escapes & < > in command text as entities; mentions stay as real <…> tokens. */
function unescapeCommandText(text: string): string {
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

/** Replies through `respond`, after uploading the reply's file if it has one. */
function replier({ clients, log }: SlackListenerDeps): Reply {
  /** Uploads a reply's file: into the channel when the reply is public, into the caller's DM otherwise. */
  async function deliverAttachment(reply: OutboundMessage, channel: ChannelRef, user: UserRef) {
    if (!reply.attachment) return undefined;
    try {
      const client = await clients.forTeam(channel.workspaceId);
      const target =
        reply.visibility === 'public' ? channel.channelId : await openDirectChannel(client, user.userId);
      await uploadFile(client, target, reply.attachment);
      return reply.visibility === 'public'
        ? undefined
        : `I sent you ${reply.attachment.filename} in a direct message.`;
    } catch (err) {
      const e = toPublishError(err);
      log.warn({ code: e.code, workspace: channel.workspaceId }, 'slack reply file upload failed');
      return `The file ${reply.attachment.filename} could not be delivered: ${e.reason}.`;
    }
  }

  return async (respond, message, channel, user) => {
    const note = await deliverAttachment(message, channel, user);
    await respond(respondArgs(message, note));
  };
}

/**
 * Runs a command to its reply before the ack, so its effect (a schedule set, a team created) is stored
 * before Slack considers it delivered; only sending the reply is left for after the ack.
 */
async function runCommand(
  { bot, clients, admins, log }: SlackListenerDeps,
  args: SlackCommandMiddlewareArgs,
  requestId: string,
  receivedAt: Date,
) {
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
  const attachment = slackAttachment(clients, channel, user.userId, receivedAt);
  const message = await bot.handleCommand({
    channel,
    user,
    input,
    requestId,
    receivedAt,
    isPlatformAdmin,
    attachment,
  });
  return { message, channel, user };
}

function listenForCommands(app: App, deps: SlackListenerDeps, reply: Reply) {
  const { clock, log, track, work } = deps;
  // Whatever the command is called in the manifest (/roadmap, or /roadmap-dev for a second app), it is ours.
  app.command(/.*/, async (args) => {
    const requestId = randomUUID();
    const receivedAt = clock.now();
    let done: Awaited<ReturnType<typeof runCommand>> | undefined;
    try {
      done = await runCommand(deps, args, requestId, receivedAt);
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
}

function listenForClicks(app: App, deps: SlackListenerDeps, reply: Reply) {
  const { bot, clock, log, track, work } = deps;
  const seen = new Set<string>();
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    if (seen.size >= SEEN_MAX) seen.delete(seen.values().next().value!);
    seen.add(key);
    return true;
  };

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
}

/** An uninstalled app or a revoked bot token: the workspace's client and installation are forgotten. */
function listenForUninstalls(app: App, { clients, installations, log }: SlackListenerDeps) {
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
}

export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const reply = replier(deps);
  listenForCommands(app, deps, reply);
  listenForClicks(app, deps, reply);
  listenForUninstalls(app, deps);
  app.error(async (err) => {
    deps.log.error({ err }, 'slack listener failed');
  });
}
