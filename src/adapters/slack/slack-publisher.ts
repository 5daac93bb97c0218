/** The Slack Publisher: posts, edits, DMs and file uploads through the Web API, failures as PublishError. */
import type { WebClient } from '@slack/web-api';
import type { Log } from '../../core/log.ts';
import type { FileUpload, Publisher } from '../../core/outbound.ts';
import type { Attachment, ChannelRef, OutboundMessage, WorkspaceRef } from '../../core/types.ts';
import type { SlackClients } from './slack-clients.ts';
import { toPublishError } from './slack-errors.ts';
import { renderSlackMessage } from './slack-render.ts';

type UserTarget = WorkspaceRef & { userId: string };

function isUserTarget(t: ChannelRef | UserTarget): t is UserTarget {
  return 'userId' in t;
}

/** Opens (or reuses) the DM channel with a member; Slack returns the same channel every time. */
export async function openDirectChannel(client: WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId, return_im: false });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}

/** Uploads a file with files.uploadV2 (getUploadURLExternal, upload, completeUploadExternal) into a channel. */
export async function uploadFile(client: WebClient, channelId: string, file: FileUpload): Promise<void> {
  await client.filesUploadV2({
    channel_id: channelId,
    filename: file.filename,
    title: file.filename,
    content: file.content,
    initial_comment: file.comment,
  });
}

export function attachmentUpload(attachment: Attachment, comment: string): FileUpload {
  return { filename: attachment.filename, content: attachment.content, comment };
}

export function createSlackPublisher(deps: { clients: SlackClients; log: Log }): Publisher {
  const call = async <T>(
    op: string,
    workspaceId: string,
    fn: (client: WebClient) => Promise<T>,
  ): Promise<T> => {
    try {
      return await fn(await deps.clients.forTeam(workspaceId));
    } catch (err) {
      const e = toPublishError(err);
      deps.log.warn(
        { op, workspace: workspaceId, code: e.code, permanent: e.permanent },
        'slack publish failed',
      );
      throw e;
    }
  };

  const publisher: Publisher = {
    platform: 'slack',
    async post(channel, message) {
      const ts = await call('post', channel.workspaceId, async (client) => {
        const res = await client.chat.postMessage({
          channel: channel.channelId,
          ...renderSlackMessage(message),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!res.ts) throw new Error('chat.postMessage returned no ts');
        return res.ts;
      });
      if (message.attachment)
        await publisher.sendFile(channel, attachmentUpload(message.attachment, message.attachment.filename));
      return { channel, messageId: ts };
    },
    async update(ref, message: OutboundMessage) {
      await call('update', ref.channel.workspaceId, (client) =>
        client.chat.update({
          channel: ref.channel.channelId,
          ts: ref.messageId,
          ...renderSlackMessage(message),
        }),
      );
    },
    async sendDirect(user, message) {
      await call('direct', user.workspaceId, async (client) => {
        const channel = await openDirectChannel(client, user.userId);
        await client.chat.postMessage({ channel, ...renderSlackMessage(message), unfurl_links: false });
        if (message.attachment)
          await uploadFile(
            client,
            channel,
            attachmentUpload(message.attachment, message.attachment.filename),
          );
      });
    },
    async sendFile(target, file) {
      await call('file', target.workspaceId, async (client) => {
        const channel = isUserTarget(target)
          ? await openDirectChannel(client, target.userId)
          : target.channelId;
        await uploadFile(client, channel, file);
      });
    },
  };
  return publisher;
}
