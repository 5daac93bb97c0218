/**
 * A platform at the network boundary, in memory: it keeps the messages a channel would show, can fail the
 * way platforms fail, and can deduplicate posts by idempotency key the way Discord's enforced nonce does.
 */
import { PublishError, type Publisher } from '../../src/core/outbound.ts';
import type { ChannelRef, MessageRef, OutboundMessage, Platform } from '../../src/core/types.ts';
import { ANSWER_ACTION } from '../../src/deliveries/messages.ts';

interface FakeMessage {
  id: string;
  channel: ChannelRef;
  key: string | undefined;
  message: OutboundMessage;
  /** The message this one replies to (a drill's results post). */
  replyTo: string | undefined;
  /** Every version the message had, oldest first (the post, then each update). */
  versions: OutboundMessage[];
}

export type Fault =
  | 'ok'
  /** The platform says 429; its SDK waits Retry-After and retries, so the call resolves later. */
  | 'rate-limited'
  | 'server-error'
  | 'permanent'
  /** The call never answers (the request is lost before it lands). */
  | 'hang-before'
  /** The message lands, but the answer never comes back (the process dies before recording it). */
  | 'hang-after';

export interface FakePlatform extends Publisher {
  messages: Map<string, FakeMessage>;
  /** Messages per idempotency key: more than one is a double post. */
  byKey: Map<string, FakeMessage[]>;
  directs: { userId: string; message: OutboundMessage }[];
  calls: { post: number; update: number; rateLimited: number };
  /** Decides the fault for a call; `attempt` counts calls with the same key, from 1; `channelId` is the target. */
  fault: (op: 'post' | 'update', key: string, attempt: number, channelId: string) => Fault;
  /**
   * Asked when a post call starts, for the check made just before it lands: false then means this call's
   * sender died first and the request never went out (a later sender of the same key does not revive it).
   */
  gate?: (key: string) => () => boolean;
}

export function createFakePlatform(
  platform: Platform,
  opts: {
    dedupeByKey?: boolean;
    /**
     * Slack's way: a re-post that says an earlier attempt may have landed (`earlierAttemptSince`) gets the
     * message already posted with its key, as the real publisher finds it in conversations.history.
     */
    findsEarlier?: boolean;
    retryAfterMs?: number;
  } = {},
): FakePlatform {
  const messages = new Map<string, FakeMessage>();
  const byKey = new Map<string, FakeMessage[]>();
  const attempts = new Map<string, number>();
  let nextId = 1;
  const never = new Promise<never>(() => {});

  const fake: FakePlatform = {
    platform,
    messages,
    byKey,
    directs: [],
    calls: { post: 0, update: 0, rateLimited: 0 },
    fault: () => 'ok',
    async post(channel: ChannelRef, message: OutboundMessage, postOpts = {}): Promise<MessageRef> {
      fake.calls.post++;
      const key = postOpts.idempotencyKey ?? `anon-${nextId}`;
      const senderAlive = fake.gate?.(key);
      const earlier = opts.findsEarlier && postOpts.earlierAttemptSince ? byKey.get(key)?.[0] : undefined;
      if (earlier) return { channel, messageId: earlier.id };
      const attempt = (attempts.get(`post:${key}`) ?? 0) + 1;
      attempts.set(`post:${key}`, attempt);
      const fault = fake.fault('post', key, attempt, channel.channelId);
      if (fault === 'server-error')
        throw new PublishError('http_500', 'the platform failed', { permanent: false });
      if (fault === 'permanent')
        throw new PublishError('channel_not_found', 'the channel no longer exists', { permanent: true });
      if (fault === 'hang-before') return never;
      if (fault === 'rate-limited') {
        fake.calls.rateLimited++;
        await new Promise((r) => setTimeout(r, opts.retryAfterMs ?? 5));
      }
      if (senderAlive && !senderAlive()) return never;
      const existing = opts.dedupeByKey ? byKey.get(key)?.[0] : undefined;
      const landed = existing ?? {
        id: `${platform}-M${nextId++}`,
        channel,
        key,
        message,
        replyTo: postOpts.replyTo,
        versions: [message],
      };
      if (!existing) {
        messages.set(landed.id, landed);
        byKey.set(key, [...(byKey.get(key) ?? []), landed]);
      }
      if (fault === 'hang-after') return never;
      return { channel, messageId: landed.id };
    },
    async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
      fake.calls.update++;
      const m = messages.get(ref.messageId);
      if (!m) throw new PublishError('message_not_found', 'the message was deleted', { permanent: true });
      const attempt = (attempts.get(`update:${ref.messageId}`) ?? 0) + 1;
      attempts.set(`update:${ref.messageId}`, attempt);
      const fault = fake.fault('update', ref.messageId, attempt, ref.channel.channelId);
      if (fault === 'server-error')
        throw new PublishError('http_500', 'the platform failed', { permanent: false });
      m.message = message;
      m.versions.push(message);
    },
    async link(ref) {
      return `https://chat.example/${ref.channel.channelId}/${ref.messageId}`;
    },
    async sendDirect(user, message) {
      fake.directs.push({ userId: user.userId, message });
    },
  };
  return fake;
}

/** True for a message showing a revealed drill (no answer buttons, the answer in the title). */
export function isReveal(m: OutboundMessage): boolean {
  return (
    m.card !== undefined &&
    !m.card.buttons?.some((b) => b.actionId === ANSWER_ACTION) &&
    /answer: [A-D]/.test(m.card.title)
  );
}
