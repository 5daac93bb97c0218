/**
 * Forms as Discord modals: each field a Label around a text input, a string select or a checkbox group
 * (components/reference.mdx), read back from the modal submission.
 */
import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord.js';
import { clip } from '../../core/render/text.ts';
import type { Form, FormField, FormValues } from '../../core/types.ts';

/** A modal holds 1–5 top-level components (interactions/receiving-and-responding.mdx, modal). */
const MAX_MODAL_FIELDS = 5;
/** A modal title ≤ 45, a label ≤ 45, its description ≤ 100 (components/reference.mdx). */
const MAX_TITLE = 45;
const MAX_LABEL = 45;
const MAX_DESCRIPTION = 100;
/** custom_id ≤ 100 (components/reference.mdx). */
const MAX_CUSTOM_ID = 100;
/** A select holds ≤ 25 options, a checkbox group ≤ 10. */
const MAX_SELECT_OPTIONS = 25;

/** Every form's custom_id starts with this; the rest is the command it submits to. */
export const FORM_PREFIX = 'roadmap.form:';

const PLACEHOLDERS: Partial<Record<FormField['kind'], string>> = {
  time: 'HH:MM, e.g. 09:30',
  date: 'YYYY-MM-DD',
};

function component(f: FormField) {
  switch (f.kind) {
    case 'select':
      return {
        type: ComponentType.StringSelect as const,
        custom_id: f.id,
        required: f.required === true,
        options: f.choices
          .slice(0, MAX_SELECT_OPTIONS)
          .map((c) => ({ value: c.value, label: c.label, default: c.value === f.initial })),
      };
    case 'checkboxes':
      return {
        type: ComponentType.CheckboxGroup as const,
        custom_id: f.id,
        required: f.required === true,
        min_values: f.required ? 1 : 0,
        options: f.choices.map((c) => ({
          value: c.value,
          label: c.label,
          default: !!f.initial?.includes(c.value),
        })),
      };
    default: {
      const placeholder = f.kind === 'text' ? f.placeholder : PLACEHOLDERS[f.kind];
      return {
        type: ComponentType.TextInput as const,
        custom_id: f.id,
        style: TextInputStyle.Short,
        required: f.required === true,
        ...(f.initial ? { value: f.initial } : {}),
        ...(placeholder ? { placeholder } : {}),
        ...(f.kind === 'text' && f.maxLength ? { max_length: f.maxLength } : {}),
      };
    }
  }
}

/** Joins a date field's id and a time field's in the custom_id of the one box they share (`start+time`). */
const JOINED = '+';

/**
 * Discord shows at most five fields. A longer form's date and time share one text box ("2026-12-01 09:30"),
 * read back into both fields, so the command's own options still check each; whatever is still beyond five
 * keeps its command default (forms list the fields that matter most first).
 */
function fitFields(fields: readonly FormField[]): FormField[] {
  const date = fields.find((f) => f.kind === 'date');
  const time = fields.find((f) => f.kind === 'time');
  if (fields.length <= MAX_MODAL_FIELDS || !date || !time) return fields.slice(0, MAX_MODAL_FIELDS);
  const both: FormField = {
    id: `${date.id}${JOINED}${time.id}`,
    label: `${date.label} and time`,
    kind: 'text',
    required: date.required === true,
    maxLength: 30,
    placeholder: 'YYYY-MM-DD HH:MM',
    hint: `The date, then the time (${time.label.toLowerCase()}); without a time, ${time.initial ?? 'the default'}`,
    ...(date.initial ? { initial: `${date.initial} ${time.initial ?? ''}`.trim() } : {}),
  };
  return fields
    .filter((f) => f !== time)
    .map((f) => (f === date ? both : f))
    .slice(0, MAX_MODAL_FIELDS);
}

/** A shared date-and-time box back into its two fields: the first word is the date, the rest the time. */
function splitJoined(id: string, value: string): FormValues {
  const [dateId = '', timeId = ''] = id.split(JOINED);
  const [date = '', ...time] = value
    .trim()
    .replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 ')
    .split(/\s+/);
  return { [dateId]: date, [timeId]: time.join(' ') };
}

/** A form as a modal, its fields fitted into Discord's five; the typed command still takes every option. */
export function renderModal(form: Form): APIModalInteractionResponseCallbackData {
  const customId = `${FORM_PREFIX}${form.id}`;
  if (customId.length > MAX_CUSTOM_ID) throw new RangeError(`modal custom_id "${customId}" is too long`);
  return {
    custom_id: customId,
    title: clip(form.title, MAX_TITLE),
    components: fitFields(form.fields).map((f) => ({
      type: ComponentType.Label,
      label: clip(f.label, MAX_LABEL),
      ...(f.hint ? { description: clip(f.hint, MAX_DESCRIPTION) } : {}),
      component: component(f),
    })) as APIModalInteractionResponseCallbackData['components'],
  };
}

interface SubmittedComponent {
  type: number;
  custom_id?: string;
  value?: string;
  values?: string[];
  component?: SubmittedComponent;
  components?: SubmittedComponent[];
}

/**
 * A submitted modal's values by field id, from the submission's JSON: each field inside a Label (or, in older
 * modals, an action row); a shared date-and-time box back into its two fields.
 */
export function readModal(components: readonly unknown[]): FormValues {
  const values: FormValues = {};
  for (const top of components as SubmittedComponent[]) {
    for (const field of top.component ? [top.component] : (top.components ?? [])) {
      const id = field.custom_id;
      if (!id) continue;
      if (field.type === ComponentType.TextInput && id.includes(JOINED))
        Object.assign(values, splitJoined(id, field.value ?? ''));
      else if (field.type === ComponentType.TextInput) values[id] = field.value ?? '';
      else if (field.type === ComponentType.StringSelect) values[id] = field.values?.[0];
      else if (field.type === ComponentType.CheckboxGroup) values[id] = [...(field.values ?? [])];
    }
  }
  return values;
}
