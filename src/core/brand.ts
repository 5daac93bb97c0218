/**
 * The bot's colours, one per message kind, the same on every platform that shows one: Discord's embed colour,
 * Slack's colour bar, the app icon, and `display_information.background_color` in slack/manifest.yml (the
 * background). Okabe–Ito hues, told apart with the common colour-vision deficiencies; the title says the kind
 * as well, so nothing rests on colour alone.
 *
 * Slack: Block Kit has no colour outside a secondary attachment (`attachments: [{ color, blocks, fallback }]`),
 * and Slack folds an attachment's content behind "Show more" once it is long (documented for its text: 700+
 * characters or 5+ line breaks; nothing is documented for blocks inside one). So only a card's last line
 * (its footer, or without one its last section) goes in the attachment, and only when it is under those
 * limits; the title, body and buttons stay in the message's blocks, which keep `text` the notification only.
 * The bar shows below the buttons. Modals and the App Home take no attachments and show no colour.
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
