/**
 * Slash commands: the command run to its reply before anything else, the reply in the ack when it is private
 * and ready within the budget, otherwise an empty ack and the reply through response_url (or the form opened).
 */
import { randomUUID } from 'node:crypto';
import type { App, RespondArguments, RespondFn, SlackCommandMiddlewareArgs, types } from '@slack/bolt';
import type { MentionResolver } from '../../core/invocation.ts';
import {
  type Attachment,
  type ChannelRef,
  type OutboundMessage,
  type UserRef,
  withPictureDrawn,
} from '../../core/types.ts';
import { withinBudget } from '../work-queue.ts';
import { toPublishError } from './slack-errors.ts';
import { slackAttachment } from './slack-files.ts';
import { memberLookups, openForm, type SlackListenerDeps } from './slack-native.ts';
import { openDirectChannel, uploadFile } from './slack-publisher.ts';
import { renderSlackMessage } from './slack-render.ts';

export type Reply = (
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
    text: rendered.text,
    ...(rendered.blocks ? { blocks: rendered.blocks as unknown as types.KnownBlock[] } : {}),
    ...(rendered.attachments
      ? { attachments: rendered.attachments as unknown as types.MessageAttachment[] }
      : {}),
  };
}

/**
 * Uploads a reply's file: into the channel when the reply is public, into the caller's DM otherwise. Returns
 * the reason it could not be delivered, or undefined once it is.
 */
async function deliverFile(
  { clients, log }: SlackListenerDeps,
  file: Attachment,
  visibility: OutboundMessage['visibility'],
  channel: ChannelRef,
  user: UserRef,
): Promise<string | undefined> {
  try {
    const client = await clients.forTeam(channel.workspaceId);
    const target = visibility === 'public' ? channel.channelId : await openDirectChannel(client, user.userId);
    await uploadFile(client, target, file);
    return undefined;
  } catch (err) {
    const e = toPublishError(err);
    log.warn({ code: e.code, workspace: channel.workspaceId }, 'slack reply file upload failed');
    return `The file ${file.filename} could not be delivered: ${e.reason}.`;
  }
}

/**
 * Replies through `respond`, after drawing the reply's picture and uploading its file, if it has one; a private
 * reply says where its file went (a public file shows in the channel).
 */
export function replier(deps: SlackListenerDeps): Reply {
  return async (respond, message, channel, user) => {
    const drawn = await withPictureDrawn(message);
    const file = drawn.attachment;
    const failed = file && (await deliverFile(deps, file, drawn.visibility, channel, user));
    const note =
      failed ||
      (file && drawn.visibility !== 'public'
        ? `I sent you ${file.filename} in a direct message.`
        : undefined);
    await respond({ ...respondArgs(drawn, note), replace_original: false });
  };
}

/** The ack's line about a picture still to draw and send. */
const PICTURE_FOLLOWS = 'Your picture follows in a direct message.';

/**
 * A private reply's picture, after the ack carried its text: drawn, then sent to the caller's DM. Only a
 * picture that could not be drawn or delivered gets a second reply, saying so.
 */
async function sendPictureAfter(
  deps: SlackListenerDeps,
  respond: RespondFn,
  message: OutboundMessage,
  channel: ChannelRef,
  user: UserRef,
): Promise<void> {
  const file = await message.picture?.();
  const failed = file
    ? await deliverFile(deps, file, 'ephemeral', channel, user)
    : 'The picture could not be drawn this time; the figures above are complete without it.';
  if (failed) await respond({ response_type: 'ephemeral', text: failed, replace_original: false });
}

/** The channel's name from a command, but not the placeholders Slack sends for a DM or a private group. */
const channelName = (name: string | undefined) =>
  name && name !== 'directmessage' && name !== 'privategroup' ? { channelName: name } : {};

/**
 * Runs a command to its reply before the ack, so its effect (a schedule set, a team created) is stored
 * before Slack considers it delivered; only sending the reply is left for after the ack.
 */
async function runCommand(
  deps: SlackListenerDeps,
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
  // An owner or admin Slack told us about lately is known as one without asking again.
  const known = deps.admins.knownAdmin(channel.workspaceId, command.user_id);
  const user: UserRef = {
    ...channel,
    userId: command.user_id,
    displayName: command.user_name,
    ...(known !== undefined ? { isPlatformAdmin: known } : {}),
  };
  const input = {
    kind: 'text' as const,
    text: unescapeCommandText(command.text ?? ''),
    resolveMention: slackMentions(command.text ?? ''),
  };
  // Slack is asked who is an owner or admin only when the bot needs it: for a manager command (or help's
  // listing) from a member not granted. A failed lookup answers "no": granted managers can still manage.
  const { isPlatformAdmin, userTimezone } = memberLookups(deps, channel.workspaceId, user.userId);
  const attachment = slackAttachment(deps.clients, channel, user.userId, receivedAt);
  const message = await deps.bot.handleCommand({
    channel,
    user,
    input,
    requestId,
    receivedAt,
    ...channelName(command.channel_name),
    isPlatformAdmin,
    userTimezone,
    forms: true,
    picturesAfter: true,
    attachment,
  });
  return { message, channel, user };
}

/**
 * A reply the ack can carry: a private one of text and blocks (a picture still to draw follows it to the
 * caller's DM). A form needs its trigger, a file its upload first, and a public reply goes through
 * response_url, because Slack shows the typed command in the channel along with an in_channel response to it.
 */
const fitsInAck = (message: OutboundMessage) =>
  !message.form && !message.attachment && message.visibility !== 'public';

/** What follows an ack that did not carry the reply: the form opened, or the reply through response_url. */
async function afterAck(
  deps: SlackListenerDeps,
  reply: Reply,
  args: SlackCommandMiddlewareArgs,
  done: Awaited<ReturnType<typeof runCommand>> | undefined,
  requestId: string,
) {
  if (!done) return;
  const { message, channel, user } = done;
  const { log, track, work } = deps;
  if (message.form) {
    await openForm(deps, channel.workspaceId, args.command.trigger_id, message.form, channel.channelId).catch(
      (err: unknown) => log.error({ err, requestId }, 'slack form failed to open'),
    );
    return;
  }
  await track(
    work(channel.workspaceId, () => reply(args.respond, message, channel, user)).catch((err: unknown) =>
      log.error({ err, requestId }, 'slack command reply failed after ack'),
    ),
  );
}

/**
 * A command's reply rides in its ack when it is ready within the budget: one HTTP response, no response_url
 * round trip. A slower command is acked empty when the budget runs out and replies through response_url when
 * it is done; either way the member gets the reply once.
 */
export function listenForCommands(app: App, deps: SlackListenerDeps, reply: Reply) {
  const { clock, log, track } = deps;
  // Whatever the command is called in the manifest (/roadmap, or /roadmap-dev for a second app), it is ours.
  app.command(/.*/, async (args) => {
    const requestId = randomUUID();
    const receivedAt = clock.now();
    const running = runCommand(deps, args, requestId, receivedAt).catch((err: unknown) => {
      log.error({ err, requestId }, 'slack command failed');
      return undefined;
    });
    const first = await withinBudget(running, deps.replyInAckMs);
    if (!first.late) {
      const done = first.value;
      if (done && fitsInAck(done.message)) {
        const { message, channel, user } = done;
        await args.ack(respondArgs(message, message.picture ? PICTURE_FOLLOWS : undefined));
        if (message.picture)
          await track(
            deps
              .work(channel.workspaceId, () => sendPictureAfter(deps, args.respond, message, channel, user))
              .catch((err: unknown) => log.error({ err, requestId }, 'slack reply picture failed after ack')),
          );
        return;
      }
      await args.ack();
      await afterAck(deps, reply, args, done, requestId);
      return;
    }
    await args.ack();
    // Stopping waits for the command still running and for its reply.
    await track(running.then((done) => afterAck(deps, reply, args, done, requestId)));
  });
}
