/** Posts, edits, DMs and files on Discord for the scheduler and jobs, classifying failures as permanent or transient. */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, type REST, RESTEvents, Routes } from 'discord.js';
import type { Log } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import { type PostOptions, PublishError, type Publisher } from '../../core/outbound.ts';
import type { ChannelRef, MessageRef, OutboundMessage, WorkspaceRef } from '../../core/types.ts';
import {
  messageJson as body,
  type DiscordMessage,
  messageFiles as files,
  renderMessage,
} from './discord-render.ts';

/** Members whose DM channel id is remembered. */
const DM_CHANNELS_MAX = 10_000;

/** A message nonce is at most 25 characters (resources/message.mdx, Create Message `nonce`). */
const MAX_NONCE = 25;

/**
 * Discord JSON error codes that mean the call can never succeed as it is, with the line a manager sees in
 * `schedule show` (topics/opcodes-and-status-codes.mdx).
 */
const PERMANENT: Record<number, { code: string; reason: string }> = {
  10003: { code: 'unknown_channel', reason: 'the channel no longer exists (Discord 10003 Unknown Channel)' },
  10004: {
    code: 'unknown_guild',
    reason: 'the bot is no longer in this server (Discord 10004 Unknown Guild)',
  },
  10008: { code: 'unknown_message', reason: 'the message was deleted (Discord 10008 Unknown Message)' },
  10013: { code: 'unknown_user', reason: 'that member no longer exists (Discord 10013 Unknown User)' },
  50001: {
    code: 'missing_access',
    reason: 'the bot cannot see the channel: give it View Channel there (Discord 50001 Missing Access)',
  },
  50013: {
    code: 'missing_permissions',
    reason:
      'the bot lacks a permission in the channel: it needs Send Messages, Embed Links and Attach Files (Discord 50013 Missing Permissions)',
  },
  50007: {
    code: 'cannot_dm',
    reason: 'the member does not accept direct messages from this server (Discord 50007)',
  },
};

/** The same logical post always gets the same nonce, so a retried post lands once (`enforce_nonce`). */
function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, MAX_NONCE);
}

/** Turns what discord.js threw into a PublishError: permanent for codes that cannot heal, transient otherwise. */
function classify(err: unknown): PublishError {
  if (err instanceof PublishError) return err;
  if (err instanceof DiscordAPIError) {
    const known = typeof err.code === 'number' ? PERMANENT[err.code] : undefined;
    if (known) return new PublishError(known.code, known.reason, { permanent: true, cause: err });
    if (err.status === 401)
      return new PublishError('unauthorized', 'the bot token was revoked or reset (Discord 401)', {
        permanent: true,
        cause: err,
      });
    // Other 4xx (a malformed body, a limit we missed) are our bugs: logged and retried, never a reason
    // to pause a manager's drill.
    return new PublishError(
      `discord_${err.code}`,
      `Discord refused the request (${err.status} ${err.code})`,
      {
        permanent: false,
        cause: err,
      },
    );
  }
  if (err instanceof HTTPError)
    return new PublishError('discord_unavailable', `Discord answered ${err.status}; will retry`, {
      permanent: false,
      cause: err,
    });
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || name === 'TimeoutError')
    return new PublishError('timeout', 'Discord did not answer in time; will retry', {
      permanent: false,
      cause: err,
    });
  return new PublishError('network', 'Discord could not be reached; will retry', {
    permanent: false,
    cause: err,
  });
}

export interface DiscordPublisherDeps {
  /** discord.js's REST manager: the gateway client's, or a REST of its own in HTTP mode. */
  rest: REST;
  log: Log;
  metrics: Metrics;
}

async function postMessage(
  rest: REST,
  channelId: string,
  rendered: DiscordMessage,
  extra: Record<string, unknown> = {},
  signal?: AbortSignal,
) {
  return (await rest.post(Routes.channelMessages(channelId), {
    body: { ...body(rendered), ...extra },
    files: files(rendered),
    ...(signal ? { signal } : {}),
  })) as { id: string };
}

/** A member's DM channel, opened once per member: it never changes (bounded like the other per-process sets). */
function dmChannels(rest: REST): (userId: string) => Promise<string> {
  const known = new Map<string, string>();
  return async (userId) => {
    const id = known.get(userId);
    if (id) return id;
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
      id: string;
    };
    if (known.size >= DM_CHANNELS_MAX) known.delete(known.keys().next().value!);
    known.set(userId, channel.id);
    return channel.id;
  };
}

/**
 * Calls go through discord.js's REST manager, which queues per route bucket and honours 429 `retry_after`
 * itself; there is deliberately no second limiter here. Its `rateLimited` event (a request waiting on a
 * bucket, which is what a 429 leads to) is counted.
 */
export function createDiscordPublisher(deps: DiscordPublisherDeps): Publisher {
  const { rest, log, metrics } = deps;
  rest.on(RESTEvents.RateLimited, (info) => {
    metrics.rateLimited('discord');
    log.debug(
      { route: info.route, retryAfterMs: info.retryAfter, global: info.global },
      'discord rate limited',
    );
  });

  async function call<T>(what: string, ref: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = classify(err);
      log.warn({ ...ref, what, code: e.code, permanent: e.permanent, err }, 'discord publish failed');
      throw e;
    }
  }

  const dmChannel = dmChannels(rest);

  const postTo = (
    channelId: string,
    rendered: DiscordMessage,
    extra: Record<string, unknown> = {},
    signal?: AbortSignal,
  ) => postMessage(rest, channelId, rendered, extra, signal);

  return {
    platform: 'discord',
    async post(channel: ChannelRef, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
      const rendered = renderMessage(message);
      const nonce = opts.idempotencyKey ? { nonce: nonceFor(opts.idempotencyKey), enforce_nonce: true } : {};
      const reply = opts.replyTo
        ? { message_reference: { message_id: opts.replyTo, fail_if_not_exists: false } }
        : {};
      const posted = await call('post', { channel: channel.channelId }, async () => {
        // The nonce makes a post retried within Discord's dedupe window land once; the signal stops
        // discord.js's own queueing and retries when the dispatcher gives up on this attempt.
        try {
          return await postTo(channel.channelId, rendered, { ...nonce, ...reply }, opts.signal);
        } catch (err) {
          // A reply needs Read Message History, which bots invited before it was asked for lack: the
          // message then goes out as a plain post rather than not at all.
          if (!opts.replyTo || !(err instanceof DiscordAPIError) || err.code !== 50013) throw err;
          log.info({ channel: channel.channelId }, 'no Read Message History for a reply; posting without it');
          return postTo(channel.channelId, rendered, nonce, opts.signal);
        }
      });
      return { channel, messageId: posted.id };
    },
    async link(ref: MessageRef): Promise<string> {
      return `https://discord.com/channels/${ref.channel.workspaceId}/${ref.channel.channelId}/${ref.messageId}`;
    },
    async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
      const rendered = renderMessage(message);
      await call('update', { channel: ref.channel.channelId, message: ref.messageId }, () =>
        rest.patch(Routes.channelMessage(ref.channel.channelId, ref.messageId), {
          body: body(rendered),
          files: files(rendered),
        }),
      );
    },
    async sendDirect(user: WorkspaceRef & { userId: string }, message: OutboundMessage): Promise<void> {
      const rendered = renderMessage(message);
      await call('dm', { user: user.userId }, async () => postTo(await dmChannel(user.userId), rendered));
    },
  };
}
