/**
 * Slack views from the neutral model: a form as a modal (input blocks, read back from `view.state`), and a
 * member's home as the App Home tab. Limits: docs.slack.dev/reference/views and block-kit/block-elements.
 */
import type { HomeView } from '../../core/port.ts';
import { clip, refsAsPlainText } from '../../core/render/text.ts';
import type { Form, FormField, FormValues } from '../../core/types.ts';
import { cardBlocks, type SlackBlock } from './slack-render.ts';

/** A modal's title, submit and close labels: at most 24 characters (reference/views, modal). */
const MAX_MODAL_LABEL = 24;
/** An input block's label: at most 2000 characters; a hint at most 2000 (block-kit/blocks, input). */
const MAX_INPUT_LABEL = 2000;
/** private_metadata: at most 3000 characters (reference/views). */
const MAX_PRIVATE_METADATA = 3000;
/** A home tab holds at most 100 blocks (reference/views). */
const MAX_HOME_BLOCKS = 100;
/** An option's text: at most 75 characters (block-kit/composition-objects, option). */
const MAX_OPTION_TEXT = 75;

/** Every form's callback id starts with this; the rest is the command it submits to. */
export const FORM_CALLBACK = 'roadmap.form:';
/** Each input's one element; its block id is the field id. */
const VALUE = 'value';

const plainText = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max) });
const option = (c: { value: string; label: string }) => ({
  text: plainText(c.label, MAX_OPTION_TEXT),
  value: c.value,
});

function element(f: FormField): Record<string, unknown> {
  switch (f.kind) {
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: VALUE,
        ...(f.initial ? { initial_value: f.initial } : {}),
        ...(f.placeholder ? { placeholder: plainText(f.placeholder, 150) } : {}),
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
      };
    case 'time':
      return { type: 'timepicker', action_id: VALUE, ...(f.initial ? { initial_time: f.initial } : {}) };
    case 'date':
      return { type: 'datepicker', action_id: VALUE, ...(f.initial ? { initial_date: f.initial } : {}) };
    case 'select': {
      const initial = f.choices.find((c) => c.value === f.initial);
      return {
        type: 'static_select',
        action_id: VALUE,
        options: f.choices.map(option),
        ...(initial ? { initial_option: option(initial) } : {}),
      };
    }
    case 'checkboxes': {
      const initial = f.choices.filter((c) => f.initial?.includes(c.value));
      return {
        type: 'checkboxes',
        action_id: VALUE,
        options: f.choices.map(option),
        ...(initial.length ? { initial_options: initial.map(option) } : {}),
      };
    }
  }
}

/** What a submission must carry back: the channel the form was opened in. */
export interface FormContext {
  channelId: string;
}

export function renderSlackModal(form: Form, context: FormContext) {
  const metadata = JSON.stringify(context);
  if (metadata.length > MAX_PRIVATE_METADATA) throw new RangeError('private_metadata too long');
  return {
    type: 'modal' as const,
    callback_id: `${FORM_CALLBACK}${form.id}`,
    title: plainText(form.title, MAX_MODAL_LABEL),
    submit: plainText(form.submitLabel, MAX_MODAL_LABEL),
    close: plainText('Cancel', MAX_MODAL_LABEL),
    private_metadata: metadata,
    blocks: form.fields.map((f) => ({
      type: 'input',
      block_id: f.id,
      optional: f.required !== true,
      label: plainText(f.label, MAX_INPUT_LABEL),
      ...(f.hint ? { hint: plainText(f.hint, MAX_INPUT_LABEL) } : {}),
      element: element(f),
    })),
  };
}

/** One input's state in a view_submission (only the keys the elements above produce). */
interface InputState {
  type: string;
  value?: string | null;
  selected_time?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}

/** The submitted values by field id, from `view.state.values`. */
export function readSlackForm(values: Record<string, Record<string, InputState>>): FormValues {
  const out: FormValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const s = actions[VALUE];
    if (!s) continue;
    out[blockId] =
      s.type === 'checkboxes'
        ? (s.selected_options ?? []).map((o) => o.value)
        : (s.value ?? s.selected_time ?? s.selected_date ?? s.selected_option?.value ?? undefined);
  }
  return out;
}

/** The channel a form was opened in, from its private_metadata; undefined when it is not ours. */
export function formContext(metadata: string | undefined): FormContext | undefined {
  try {
    const parsed = JSON.parse(metadata ?? '') as Partial<FormContext>;
    return typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Errors for `response_action: errors`, keyed by block id: a reason about a field that is not on the form
 * (or about the form as a whole) shows on its first field.
 */
export function formErrors(form: { blocks: { block_id?: string }[] }, errors: Record<string, string>) {
  const ids = form.blocks.map((b) => b.block_id).filter((id): id is string => !!id);
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const id = ids.includes(field) ? field : ids[0];
    if (id) out[id] = clip(refsAsPlainText(message).replace(/`/g, ''), MAX_INPUT_LABEL);
  }
  return out;
}

/** The App Home tab: each card's blocks (ids made unique per card), with a divider between cards. */
export function renderSlackHome(view: HomeView, metadata: FormContext) {
  const blocks: (SlackBlock | { type: 'divider' })[] = [];
  view.cards.forEach((card, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    for (const b of cardBlocks(card)) blocks.push({ ...b, block_id: `c${i}.${b.block_id}` });
  });
  return {
    type: 'home' as const,
    private_metadata: JSON.stringify(metadata),
    blocks: blocks.slice(0, MAX_HOME_BLOCKS),
  };
}
