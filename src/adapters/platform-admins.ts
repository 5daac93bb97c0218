/**
 * Who is a manager by platform role, in each platform's own words. The core names them in refusals and in
 * `managers list` without knowing any platform's roles; the process hands it these descriptions.
 */
import type { Platform } from '../core/types.ts';

export function platformAdminDescriptions(discordManagerRole?: string): Record<Platform, string> {
  return {
    slack: 'Slack workspace owners and admins',
    discord: discordManagerRole
      ? `members with the Manage Server permission or the "${discordManagerRole}" role`
      : 'members with the Manage Server permission',
    console: 'the owners of the terminal chat (whoever started it)',
  };
}
