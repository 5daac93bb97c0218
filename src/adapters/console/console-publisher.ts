/** The scheduler's way into the terminal chat: what it posts in a channel shows here as it would there. */
import type { PostOptions, Publisher } from '../../core/outbound.ts';
import type { ChannelRef, MessageRef, OutboundMessage, WorkspaceRef } from '../../core/types.ts';
import type { Screen } from './console-screen.ts';

function sameButtons(a: OutboundMessage | undefined, b: OutboundMessage): boolean {
  const ids = (m: OutboundMessage | undefined) => (m?.card?.buttons ?? []).map((x) => x.value).join('|');
  return a !== undefined && ids(a) === ids(b);
}

export function createConsolePublisher(deps: {
  /** The terminal's own channel: posts elsewhere say where they went. */
  channel: ChannelRef;
  screen: Screen;
  /** Members' names by user id, for direct messages. */
  names: ReadonlyMap<string, string>;
}): Publisher {
  const { screen, names } = deps;
  const { fromScheduler, show } = screen;
  /** What each posted message shows now, so an update that changes nothing visible is not printed again. */
  const posted = new Map<string, OutboundMessage>();
  let nextMessageId = 0;
  return {
    platform: 'console',
    async post(channel: ChannelRef, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
      const messageId = `terminal-${++nextMessageId}`;
      posted.set(messageId, message);
      const what = opts.replyTo ? 'replied to its post' : 'posted';
      fromScheduler(
        channel.channelId === deps.channel.channelId
          ? `roadmap-bot ${what}:`
          : `roadmap-bot ${what} in #${channel.channelId}:`,
      );
      show(message);
      return { channel, messageId };
    },
    async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
      const before = posted.get(ref.messageId);
      posted.set(ref.messageId, message);
      // A terminal cannot edit what it printed: a message is shown again only when what one can do with it
      // changes (the reveal takes the buttons away), not for every new answer count.
      if (sameButtons(before, message)) return;
      fromScheduler('roadmap-bot updated its post:');
      show(message);
    },
    async sendDirect(to: WorkspaceRef & { userId: string }, message: OutboundMessage): Promise<void> {
      fromScheduler(`Direct message to ${names.get(to.userId) ?? to.userId}:`);
      show(message, to.userId);
    },
  };
}
