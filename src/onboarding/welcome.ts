/** The one short welcome the bot posts when it is added to a channel (or first used in one without a drill). */

import { managerCommand } from '../core/render/text.ts';
import type { ChannelRef, OutboundMessage } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { getDrill } from '../deliveries/deliveries.ts';
import { runButton } from './run-button.ts';
import { claimWelcome, releaseWelcome } from './welcomes.repository.ts';

function welcomeMessage(platformAdmins: string): OutboundMessage {
  const body =
    'I post one short card and a multiple-choice question from the backend developer roadmap on study days. ' +
    'Members answer with a button, read why, keep a streak and climb the board.\n' +
    `- **Set up a daily drill**: pick a time, days and time zone for this channel (managers: ${platformAdmins} or granted members).\n` +
    '- **Start a cohort**: a named programme with a start date and a length in weeks (managers).\n' +
    "- **Try today's question**: anyone, right now, just for you.";
  return {
    text: `👋 roadmap-bot is here: a daily backend-roadmap drill with streaks and boards. Managers: ${managerCommand('schedule set')} to start; everyone: /roadmap today. /roadmap help lists the rest.`,
    card: {
      title: '👋 Study the backend roadmap here, one card a day',
      sections: [{ body }],
      buttons: [
        runButton('Set up a daily drill', 'schedule set', { style: 'primary' }),
        runButton('Start a cohort', 'cohort create'),
        runButton("Try today's question", 'today'),
      ],
      footer: '/roadmap help lists every command · this welcome is posted once per channel',
      accent: 'drill',
    },
    visibility: 'public',
  };
}

/**
 * The welcome to post in `channel`, to the one caller that claims it (never again after that, whatever
 * restarts, unless that caller's post fails and it calls releaseChannelWelcome); with `onlyWithoutDrill`, a channel already studying is left alone and stays unclaimed.
 */
export async function claimChannelWelcome(
  deps: StudyDeps,
  channel: ChannelRef,
  platformAdmins: string,
  opts: { onlyWithoutDrill?: boolean } = {},
): Promise<OutboundMessage | undefined> {
  if (opts.onlyWithoutDrill && (await getDrill(deps, channel))) return undefined;
  if (!(await claimWelcome(deps.db, channel, deps.clock.now()))) return undefined;
  deps.log.info({ channel: channel.channelId }, 'channel welcomed');
  return welcomeMessage(platformAdmins);
}

/** The claimed welcome could not be posted: the channel is unclaimed again, and the next trigger welcomes it. */
export async function releaseChannelWelcome(deps: StudyDeps, channel: ChannelRef): Promise<void> {
  await releaseWelcome(deps.db, channel);
  deps.log.info({ channel: channel.channelId }, 'channel welcome released');
}
