/**
 * The bot's colours, one per message kind, the same on every platform that shows one: Discord's embed colour,
 * the app icon, and `display_information.background_color` in slack/manifest.yml (the background). Slack
 * messages carry no colour: Block Kit has no colour bar outside legacy attachments, so there the title and its
 * emoji say the kind. Okabe–Ito hues, told apart with the common colour-vision deficiencies.
 */
export const BRAND = {
  /** The app's background: the icon, Slack's app tile. */
  background: '#1f2937',
  /** A drill, the card it opens, practice: blue. */
  drill: '#0072b2',
  /** A result that went well, the revealed drill and its results reply: bluish green. */
  results: '#009e73',
  /** Something to act on: a wrong answer, a question report, members at risk: vermilion. */
  attention: '#d55e00',
  /** Boards: orange, the medals' colour. */
  board: '#e69f00',
  /** A member's and a cohort's progress: `me`, streak history, reports, digests: reddish purple. */
  progress: '#cc79a7',
} as const;
