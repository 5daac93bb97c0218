/**
 * Files for commands that take one (`/roadmap track import`). Slack's slash commands carry no files, so the
 * member shares the file in the channel (or the DM with the bot) first; the command then takes the newest
 * file that member shared there in the last hour (files.list), or the file a Slack file link names
 * (files.info), and downloads it with the bot token. Needs the files:read scope (slack/manifest.yml).
 */
import type { AttachmentReader } from '../../core/invocation.ts';
import type { ChannelRef } from '../../core/types.ts';
import { downloadAttachment } from '../download.ts';
import type { SlackClients } from './slack-clients.ts';

/** How far back a shared file counts as the one the member means. */
const RECENT_FILE_MS = 60 * 60_000;
/** Slack file ids in a link (`https://…slack.com/files/U…/F0123ABCD/name.yaml`). */
const FILE_ID = /\b(F[A-Z0-9]{6,})\b/;

export function slackAttachment(
  clients: SlackClients,
  channel: ChannelRef,
  userId: string,
  now: Date,
): AttachmentReader {
  return async ({ maxBytes, hint }) => {
    const client = await clients.oneShot(channel.workspaceId, { timeoutMs: 2_000 });
    const id = hint ? FILE_ID.exec(hint)?.[1] : undefined;
    const file = id
      ? (await client.files.info({ file: id })).file
      : (
          await client.files.list({
            user: userId,
            channel: channel.channelId,
            count: 1,
            ts_from: String(Math.floor((now.getTime() - RECENT_FILE_MS) / 1000)),
          })
        ).files?.[0];
    const url = file?.url_private_download;
    if (!file || !url) return undefined;
    return downloadAttachment({ name: file.name ?? 'track.yaml', url }, maxBytes, {
      authorization: `Bearer ${client.token}`,
    });
  };
}
