/** A recording Publisher: the network boundary for jobs that send messages, with optional scripted failures. */
import type { Publisher } from '../../src/core/outbound.ts';
import { PublishError } from '../../src/core/outbound.ts';
import type {
  ChannelRef,
  MessageRef,
  OutboundMessage,
  Platform,
  WorkspaceRef,
} from '../../src/core/types.ts';

interface SentDirect {
  user: WorkspaceRef & { userId: string };
  message: OutboundMessage;
}

export function createRecordingPublisher(platform: Platform = 'slack') {
  const directs: SentDirect[] = [];
  const posts: { channel: ChannelRef; message: OutboundMessage }[] = [];
  const updates: { ref: MessageRef; message: OutboundMessage }[] = [];
  const failFor = new Set<string>();
  /** Every direct message tried, delivered or not. */
  const attempts: string[] = [];
  let counter = 0;
  const publisher: Publisher = {
    platform,
    async post(channel, message): Promise<MessageRef> {
      posts.push({ channel, message });
      return { channel, messageId: `m-${++counter}` };
    },
    async update(ref, message) {
      updates.push({ ref, message });
    },
    async sendDirect(user, message) {
      attempts.push(user.userId);
      if (failFor.has(user.userId))
        throw new PublishError('cannot_dm', 'the member cannot receive DMs', { permanent: true });
      directs.push({ user, message });
    },
  };
  return {
    publisher,
    directs,
    posts,
    updates,
    failFor,
    attempts,
    publishers: new Map([[platform, publisher]]),
  };
}
