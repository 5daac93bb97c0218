/** Forms as Slack modals: Block Kit shapes, reading a submission back, and where a reason shows. */
import { describe, expect, it } from 'vitest';
import {
  formContext,
  formErrors,
  readSlackForm,
  renderSlackModal,
} from '../../../src/adapters/slack/slack-views.ts';
import { daysField, timezoneField } from '../../../src/core/forms.ts';
import type { Form } from '../../../src/core/types.ts';

const form: Form = {
  id: 'schedule set',
  title: 'Set up a daily drill, with a title longer than Slack allows',
  submitLabel: 'Save schedule',
  fields: [
    { id: 'time', label: 'Post the card at', kind: 'time', initial: '09:00', required: true },
    daysField('days', 'Study days', 0b0011111),
    timezoneField('tz', 'Time zone', 'Asia/Kathmandu'),
    { id: 'reveal', label: 'Reveal at', kind: 'time' },
  ],
};

describe('Slack modals', () => {
  it('renders input blocks keyed by field id, within the modal limits', () => {
    const view = renderSlackModal(form, { channelId: 'C1' });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe('roadmap.form:schedule set');
    expect(view.blocks.map((b) => [b.block_id, b.optional])).toEqual([
      ['time', false],
      ['days', false],
      ['tz', false],
      ['reveal', true],
    ]);
    const days = view.blocks[1]!.element as { initial_options: { value: string }[] };
    expect(days.initial_options.map((o) => o.value)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    // A zone outside the common list is preselected and listed first.
    const tz = view.blocks[2]!.element as { options: { value: string }[]; initial_option: { value: string } };
    expect(tz.initial_option.value).toBe('Asia/Kathmandu');
    expect(tz.options[0]!.value).toBe('Asia/Kathmandu');
    expect(tz.options.length).toBeLessThanOrEqual(25);
    expect(formContext(view.private_metadata)).toEqual({ channelId: 'C1' });
    expect(formContext('not json')).toBeUndefined();
  });

  it('reads every element kind back, and puts a reason about a field not on the form on its first field', () => {
    expect(
      readSlackForm({
        time: { value: { type: 'timepicker', selected_time: '08:30' } },
        days: { value: { type: 'checkboxes', selected_options: [{ value: 'mon' }, { value: 'fri' }] } },
        tz: { value: { type: 'static_select', selected_option: { value: 'UTC' } } },
        reveal: { value: { type: 'timepicker', selected_time: null } },
        name: { value: { type: 'plain_text_input', value: 'Q1' } },
      }),
    ).toEqual({ time: '08:30', days: ['mon', 'fri'], tz: 'UTC', reveal: undefined, name: 'Q1' });
    const view = renderSlackModal(form, { channelId: 'C1' });
    expect(formErrors(view, { reveal: '`reveal`: too early.' })).toEqual({ reveal: 'reveal: too early.' });
    expect(formErrors(view, { track: 'no such track', '': 'general' })).toEqual({ time: 'general' });
  });
});
