/**
 * How the core reaches a platform without importing it: each adapter supplies a Publisher.
 * The scheduler posts and reveals drills through it; the live answer count and digests use it too. A
 * file goes out as a message's `attachment`.
 */
import type { ChannelRef, MessageRef, OutboundMessage, Platform, WorkspaceRef } from './types.ts';

export interface PostOptions {
  /**
   * Stable for one logical post (e.g. `delivery:42`). Platforms that deduplicate on it (Discord's
   * `nonce` with `enforce_nonce`) use it to make a retried post land once.
   */
  idempotencyKey?: string;
  /**
   * An earlier attempt of this post (same `idempotencyKey`) may have landed, no earlier than this: a platform
   * that cannot deduplicate on the key (Slack) first looks for that message and returns it instead of posting.
   */
  earlierAttemptSince?: Date;
  /**
   * Post as a reply to this message of the same channel: a thread reply on Slack (also shown in the channel),
   * a reply referencing it on Discord.
   */
  replyTo?: string;
  /** The caller gave up: stop the call, and make no retries of it. The caller owns retries. */
  signal?: AbortSignal;
}

export interface Publisher {
  readonly platform: Platform;
  /** Posts a public message; returns the platform's id for later updates. Throws PublishError. */
  post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef>;
  /** Replaces a message the bot posted earlier. Throws PublishError. */
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  /** A link that opens a posted message, where the platform has one. */
  link?(ref: MessageRef): Promise<string | undefined>;
  /** A direct message to one member (digests, reminders, broken-channel notices). Throws PublishError. */
  sendDirect(user: WorkspaceRef & { userId: string }, message: OutboundMessage): Promise<void>;
}

/**
 * A failed platform call, classified by the adapter. `permanent` means retrying can never succeed
 * (channel deleted, bot removed, permission missing, token revoked): the drill pauses with `reason`.
 */
export class PublishError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  /** One line a manager can act on, shown in `schedule show`. */
  readonly reason: string;
  /** The platform asked us to wait this long before trying again (a 429's Retry-After). */
  readonly retryAfterMs: number | undefined;
  constructor(
    code: string,
    reason: string,
    opts: { permanent: boolean; cause?: unknown; retryAfterMs?: number },
  ) {
    super(`${code}: ${reason}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PublishError';
    this.code = code;
    this.permanent = opts.permanent;
    this.reason = reason;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export type Publishers = ReadonlyMap<Platform, Publisher>;
