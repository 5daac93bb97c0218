/**
 * Files for commands that take one (`/roadmap track import`). Slack's slash commands carry no files, so the
 * member shares the file in the channel (or the DM with the bot) first; the command then takes the newest
 * file that member shared there in the last hour (files.list), or the file a Slack file link names
 * (files.info). Either way only a file that member shared in this channel is read, downloaded with the bot
 * token (sent to files.slack.com only, never along a redirect). Needs the files:read scope (slack/manifest.yml).
 */
import { UserFacingError } from '../../core/errors.ts';
import type { AttachmentReader } from '../../core/invocation.ts';
import type { ChannelRef } from '../../core/types.ts';
import { downloadAttachment } from '../download.ts';
import type { SlackClients } from './slack-clients.ts';

/** How far back a shared file counts as the one the member means. */
const RECENT_FILE_MS = 60 * 60_000;
/** Slack file ids in a link (`https://…slack.com/files/U…/F0123ABCD/name.yaml`). */
const FILE_ID = /\b(F[A-Z0-9]{6,})\b/;

/** Where Slack keeps shared files: the only host the bot token is sent to. */
const FILE_HOST = 'files.slack.com';

type SlackFile = { user?: string; channels?: string[]; groups?: string[]; ims?: string[] };

/** The rule for whose file a command may read: one the caller shared, in this channel (or DM). */
function sharedHereBy(file: SlackFile, userId: string, channelId: string): boolean {
  const where = [...(file.channels ?? []), ...(file.groups ?? []), ...(file.ims ?? [])];
  return file.user === userId && where.includes(channelId);
}

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
    if (!sharedHereBy(file, userId, channel.channelId))
      throw new UserFacingError(
        'FORBIDDEN',
        'That file was not shared in this channel by you: share it here yourself, then import it.',
      );
    return downloadAttachment({ name: file.name ?? 'track.yaml', url }, maxBytes, {
      host: FILE_HOST,
      authorization: `Bearer ${client.token}`,
    });
  };
}
