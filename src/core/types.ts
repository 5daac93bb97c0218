/** The core's own vocabulary: who and where, and the neutral message model adapters render. */

export type Platform = 'slack' | 'discord' | 'console';

/** A workspace is a Slack team or a Discord guild; every stored row is scoped by it. */
export interface WorkspaceRef {
  platform: Platform;
  workspaceId: string;
}

export interface ChannelRef extends WorkspaceRef {
  channelId: string;
}

export interface UserRef extends WorkspaceRef {
  userId: string;
  displayName: string;
  /** Set by the adapter from the platform (Slack owner/admin, Discord Manage Server). */
  isPlatformAdmin?: boolean;
}

export interface MessageRef {
  channel: ChannelRef;
  messageId: string;
}

export type Visibility = 'ephemeral' | 'public';

type ButtonStyle = 'primary' | 'danger' | 'default';

/** A button carries everything needed to handle its click, so it works after restarts and on any instance. */
export interface Button {
  actionId: string;
  value: string;
  label: string;
  style?: ButtonStyle;
  /** What a terminal user types to press it (an answer's letter); by default the label's first letter. */
  key?: string;
  /** Only the member the message was for can use it (a practice question), so it is not the channel's. */
  personal?: boolean;
}

interface CardField {
  label: string;
  value: string;
  inline?: boolean;
}

/**
 * A rich message. Text is a small markdown subset: **bold**, _italic_, `code`, fenced code blocks,
 * [links](https://…) and lines starting with "- ". Renderers translate it per platform.
 */
export interface CardSection {
  heading?: string;
  body: string;
}

/** A message kind with its own colour: one of BRAND's (src/core/brand.ts) besides the background. */
export type Accent = 'drill' | 'results' | 'attention' | 'board' | 'progress';

export interface Card {
  title: string;
  url?: string;
  sections: CardSection[];
  fields?: CardField[];
  footer?: string;
  /** The message's kind, shown as its colour where the platform has one (src/core/brand.ts). */
  accent?: Accent;
  buttons?: Button[];
}

/** What handlers return and jobs post. `text` is always set: it is the fallback and the notification. */
export interface OutboundMessage {
  text: string;
  card?: Card;
  visibility?: Visibility;
  /** A file to deliver with the reply (CSV exports): uploaded on Slack and Discord, written to disk in the terminal. */
  attachment?: Attachment;
  /**
   * A picture drawn on demand (a chart), resolving undefined when it could not be drawn (logged): the bot draws
   * it into `attachment` before the reply leaves, unless the invocation said the adapter sends the text first
   * and the picture after it (`CommandInvocation.picturesAfter`).
   */
  picture?: () => Promise<Attachment | undefined>;
  /**
   * Instead of a reply, open this form (a Slack modal, a Discord modal); `text` is the fallback where forms
   * cannot open (the terminal). Its submission runs the command `form.id` names with the fields as options.
   */
  form?: Form;
}

/** One choice of a select or a checkbox group. */
export interface FormChoice {
  value: string;
  label: string;
}

/**
 * A field of a form; its `id` is the name of the command option it fills, so a submission is validated by
 * that command's own option schema. `initial` preselects a value (the member's time zone, the drill's time).
 */
export type FormField = { id: string; label: string; hint?: string; required?: boolean } & (
  | { kind: 'text'; initial?: string; placeholder?: string; maxLength?: number }
  | { kind: 'time'; initial?: string }
  | { kind: 'date'; initial?: string }
  | { kind: 'select'; choices: FormChoice[]; initial?: string }
  | { kind: 'checkboxes'; choices: FormChoice[]; initial?: string[] }
);

/** A form a command opens when given no options: a title, fields, and the command (`id`) it submits to. */
export interface Form {
  /** The command path it submits to, e.g. `schedule set`. */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
}

/** A form's submitted values, by field id: one string, or the chosen values of a checkbox group. */
export type FormValues = Record<string, string | string[] | undefined>;

export interface Attachment {
  filename: string;
  /** Text (a CSV) or bytes (a PNG chart). */
  content: string | Uint8Array;
  contentType: string;
  /** A picture's text alternative, with the same figures: Slack `alt_text`, Discord attachment `description`. */
  description?: string;
}

/**
 * The longest button label the core writes: Slack's 75 (Discord allows 80). An answer option longer than
 * this stays in the message and its button shows the letter only.
 */
export const BUTTON_LABEL_MAX = 75;

/** A one-line reply with no card. */
export function plain(
  text: string,
  visibility: OutboundMessage['visibility'] = 'ephemeral',
): OutboundMessage {
  return { text, visibility };
}

/** `message` with its picture drawn into `attachment`, or left out when it could not be drawn. */
export async function withPictureDrawn(message: OutboundMessage): Promise<OutboundMessage> {
  if (!message.picture) return message;
  const { picture, ...rest } = message;
  const file = await picture();
  return file ? { ...rest, attachment: file } : rest;
}
