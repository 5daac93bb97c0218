/**
 * A button that runs a command, as if typed: "Set up a daily drill" runs `schedule set` with no options (which
 * opens its form), "Try today's question" runs `today`. The click goes through the same path, permission and
 * option checks as the typed command, so a button never lets anyone do more than typing would.
 */
import type { Button } from '../core/types.ts';

export const RUN_ACTION = 'roadmap.run';

/** The commands a button may run; anything else in a button's value is refused. */
const RUNNABLE = new Set([
  'today',
  'quiz',
  'me',
  'schedule set',
  'schedule pause',
  'schedule resume',
  'cohort create',
  'team join',
]);

/**
 * `path` runs in the channel clicked in; `channelId` names another channel of the same workspace (the App
 * Home's pause and resume buttons act on the channel they list).
 */
export function runButton(
  label: string,
  path: string,
  opts: { channelId?: string; style?: Button['style'] } = {},
): Button {
  return {
    actionId: RUN_ACTION,
    value: opts.channelId ? `${path}@${opts.channelId}` : path,
    label,
    ...(opts.style ? { style: opts.style } : {}),
  };
}

export function parseRunValue(value: string): { path: string[]; channelId?: string } | undefined {
  const [path = '', channelId, ...rest] = value.split('@');
  if (rest.length > 0 || !RUNNABLE.has(path)) return undefined;
  if (channelId !== undefined && !/^[A-Za-z0-9]{1,30}$/.test(channelId)) return undefined;
  return { path: path.split(' '), ...(channelId ? { channelId } : {}) };
}
