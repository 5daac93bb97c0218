/**
 * The Slack Publisher: posts, edits, DMs and their files through the Web API, failures as PublishError.
 * Slack has no idempotency key for chat.postMessage, so a keyed post carries it as message metadata and a
 * re-post whose earlier attempt may have landed looks for that message first.
 */
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Log } from '../../core/log.ts';
import type { PostOptions, Publisher } from '../../core/outbound.ts';
import type { Attachment, ChannelRef, OutboundMessage } from '../../core/types.ts';
import type { SlackClients } from './slack-clients.ts';
import { toPublishError } from './slack-errors.ts';
import { renderSlackMessage } from './slack-render.ts';

/** Opens (or reuses) the DM channel with a member; Slack returns the same channel every time. */
export async function openDirectChannel(client: WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId, return_im: false });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}

/**
 * Uploads a message's attachment into a channel with files.uploadV2 (getUploadURLExternal, upload,
 * completeUploadExternal), named in the comment beside it.
 */
export async function uploadFile(client: WebClient, channelId: string, file: Attachment): Promise<void> {
  const common = {
    channel_id: channelId,
    filename: file.filename,
    title: file.filename,
    initial_comment: file.filename,
    ...(file.description ? { alt_text: file.description } : {}),
  };
  await client.filesUploadV2(
    typeof file.content === 'string'
      ? { ...common, content: file.content }
      : { ...common, file: Buffer.from(file.content) },
  );
}

/** The metadata event type of a keyed post (a drill); its payload's `key` is the post's idempotency key. */
const POST_EVENT_TYPE = 'roadmap_drill';
/**
 * conversations.history pages read when looking for an earlier attempt (200 messages each, Tier 3): a
 * study channel rarely has more since a drill opened; past this the earlier attempt counts as not found.
 */
const HISTORY_PAGE_SIZE = 200;
const HISTORY_MAX_PAGES = 5;
/** Slack's clock and ours may differ a little; the search starts this much before the first attempt. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The ts of a message the bot posted in `channelId` with this idempotency key at or after `since`, if any.
 * Needs channels:history (groups:history in private channels).
 */
async function findKeyedPost(
  client: WebClient,
  channelId: string,
  key: string,
  since: Date,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
    const res = await client.conversations.history({
      channel: channelId,
      oldest: ((since.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6),
      include_all_metadata: true,
      limit: HISTORY_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of res.messages ?? []) {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      if (m.ts && m.metadata?.event_type === POST_EVENT_TYPE && payload?.key === key) return m.ts;
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) return undefined;
  }
  return undefined;
}

type PublisherDeps = { clients: SlackClients; log: Log };

/** Runs one Web API call for a workspace; a failure is logged and thrown as a PublishError. */
function publishCall(deps: PublisherDeps) {
  return async <T>(
    op: string,
    workspaceId: string,
    fn: (client: WebClient) => Promise<T>,
    client: (workspaceId: string) => Promise<WebClient> = deps.clients.forTeam,
  ): Promise<T> => {
    try {
      return await fn(await client(workspaceId));
    } catch (err) {
      const e = toPublishError(err);
      deps.log.warn(
        { op, workspace: workspaceId, code: e.code, permanent: e.permanent },
        'slack publish failed',
      );
      throw e;
    }
  };
}

async function findEarlier(log: Log, client: WebClient, channel: ChannelRef, key: string, since: Date) {
  try {
    const ts = await findKeyedPost(client, channel.channelId, key, since);
    if (ts) log.info({ workspace: channel.workspaceId, key, ts }, 'slack post found from an earlier attempt');
    return ts;
  } catch (err) {
    const e = toPublishError(err);
    // An installation from before the history scopes: post as before (a duplicate is possible) rather
    // than stop the drill; reinstalling from slack/manifest.yml closes that gap.
    if (e.code !== 'missing_scope' && e.code !== 'not_in_channel') throw err;
    log.warn(
      { workspace: channel.workspaceId, code: e.code },
      'slack cannot read the channel history to look for an earlier attempt; posting again',
    );
    return undefined;
  }
}

/**
 * A post is made once, with no client retries (a retry that lands after the caller gave up would be a second
 * copy): the caller retries, and a keyed re-post first looks for the earlier attempt's message.
 */
function postOnce(deps: PublisherDeps, channel: ChannelRef, message: OutboundMessage, opts: PostOptions) {
  return publishCall(deps)(
    'post',
    channel.workspaceId,
    async (client) => {
      const key = opts.idempotencyKey;
      if (key && opts.earlierAttemptSince) {
        const found = await findEarlier(deps.log, client, channel, key, opts.earlierAttemptSince);
        if (found) return { ts: found, found: true };
      }
      const res = await client.chat.postMessage({
        channel: channel.channelId,
        ...renderSlackMessage(message),
        unfurl_links: false,
        unfurl_media: false,
        // A reply goes in the drill's thread and, broadcast, in the channel too: the channel sees the
        // results, and conversations.history (where an earlier attempt is looked for) lists it.
        ...(opts.replyTo ? { thread_ts: opts.replyTo, reply_broadcast: true } : {}),
        ...(key ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key } } } : {}),
      } as ChatPostMessageArguments);
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      return { ts: res.ts, found: false };
    },
    (workspaceId) => deps.clients.oneShot(workspaceId, opts.signal ? { signal: opts.signal } : {}),
  );
}

export function createSlackPublisher(deps: PublisherDeps): Publisher {
  const call = publishCall(deps);
  const publisher: Publisher = {
    platform: 'slack',
    async post(channel, message, opts = {}) {
      const { ts, found } = await postOnce(deps, channel, message, opts);
      if (message.attachment && !found) {
        const file = message.attachment;
        await call('file', channel.workspaceId, (client) => uploadFile(client, channel.channelId, file));
      }
      return { channel, messageId: ts };
    },
    async link(ref) {
      try {
        const res = await call('link', ref.channel.workspaceId, (client) =>
          client.chat.getPermalink({ channel: ref.channel.channelId, message_ts: ref.messageId }),
        );
        return res.permalink;
      } catch {
        return undefined; // The message reads without its link; the thread holds it anyway.
      }
    },
    async update(ref, message: OutboundMessage) {
      const rendered = renderSlackMessage(message);
      await call('update', ref.channel.workspaceId, (client) =>
        client.chat.update({
          channel: ref.channel.channelId,
          ts: ref.messageId,
          ...rendered,
          // chat.update keeps the message's attachments unless given some: an empty list takes a bar away.
          attachments: rendered.attachments ?? [],
        }),
      );
    },
    async sendDirect(user, message) {
      await call('direct', user.workspaceId, async (client) => {
        const channel = await openDirectChannel(client, user.userId);
        await client.chat.postMessage({ channel, ...renderSlackMessage(message), unfurl_links: false });
        if (message.attachment) await uploadFile(client, channel, message.attachment);
      });
    },
  };
  return publisher;
}
