/** Neutral channel and member references, and inert user text, as each platform's renderer shows them. */
import { describe, expect, it } from 'vitest';
import { NO_COLOR, renderForTerminal } from '../../src/adapters/console/console-render.ts';
import { renderMessage } from '../../src/adapters/discord/discord-render.ts';
import { renderSlackMessage, type SlackBlock } from '../../src/adapters/slack/slack-render.ts';
import { channelRef, echo, literal, managerCommand, userRef } from '../../src/core/render/text.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { reminderMessage } from '../../src/reminders/reminders.ts';

/** The same references in the text, a section, a field and the footer (the context line). */
function message(channelId: string, userId: string): OutboundMessage {
  const refs = `${channelRef({ channelId })} and ${userRef({ userId, displayName: 'Ana' })}`;
  return {
    text: `Text: ${refs}`,
    card: {
      title: `Title: ${refs}`,
      sections: [{ heading: 'Where', body: `Section: ${refs}` }],
      fields: [{ label: 'Field', value: `Value: ${refs}` }],
      footer: `Context: ${refs}`,
    },
  };
}

const textOf = (b: SlackBlock | undefined) =>
  b?.type === 'section' ? (b.text?.text ?? '') : b?.type === 'context' ? b.elements[0]!.text : '';

/** A team named to look like a link, as the router stores it. */
const trap = literal('[Reset your password](https://evil.example/login)');

describe('references render as links on Slack', () => {
  const out = renderSlackMessage(message('C123', 'U1'));
  it('in the text, a section, a field and the context line', () => {
    expect(out.text).toBe('Text: <#C123> and <@U1>');
    expect(textOf(out.blocks!.find((b) => b.block_id === 's0.0'))).toBe(
      '*Where*\nSection: <#C123> and <@U1>',
    );
    const fields = out.blocks!.find((b) => b.block_id === 'f0');
    expect(fields?.type === 'section' && fields.fields![0]!.text).toBe('*Field*\nValue: <#C123> and <@U1>');
    expect(textOf(out.blocks!.find((b) => b.type === 'context'))).toBe('Context: <#C123> and <@U1>');
  });
  it('as words where Slack shows plain text (the header)', () => {
    const header = out.blocks![0]!;
    expect(header.type === 'header' && header.text.text).toBe('Title: #C123 and @Ana');
  });
  it('the streak reminder DM links the channel instead of showing <#C123>', () => {
    const dm = renderSlackMessage(
      reminderMessage([{ channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C123' }, streak: 2 }]),
    );
    expect(dm.text).toContain('waiting for you in <#C123>:');
    expect(JSON.stringify(dm.blocks)).not.toContain('&lt;#');
  });
  it('a name that looks like a link stays text', () => {
    const out = renderSlackMessage({ text: `Team **${trap}** is on.` });
    expect(out.text).not.toContain('<https://evil.example');
    expect(out.text).toContain('Reset your password');
  });
});

describe('references render as links on Discord', () => {
  const out = renderMessage(message('123456789012345678', '876543210987654321'));
  const embed = out.embeds[0]!;
  it('in the content, a section and a field', () => {
    expect(out.content).toBe('Text: <#123456789012345678> and <@876543210987654321>');
    expect(embed.description).toBe('**Where**\nSection: <#123456789012345678> and <@876543210987654321>');
    expect(embed.fields![0]!.value).toBe('Value: <#123456789012345678> and <@876543210987654321>');
  });
  it('as words where Discord shows plain text (title, footer: the context line)', () => {
    expect(embed.title).toBe('Title: #123456789012345678 and @Ana');
    expect(embed.footer!.text).toBe('Context: #123456789012345678 and @Ana');
  });
  it('mention syntax typed into a name is escaped, and a name that looks like a link stays text', () => {
    const out = renderMessage({
      text: `Team **${literal('<@876543210987654321> <#1234567890>')}** and ${trap}`,
    });
    expect(out.content).toContain('\\<@876543210987654321>');
    expect(out.content).toContain('\\<#1234567890>');
    expect(out.content).not.toContain('](https://evil.example');
    expect(out.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('references render as words in the terminal', () => {
  const out = renderForTerminal(message('terminal', 'ana'), NO_COLOR);
  it('the terminal channel is #study; members are @name, in text, a section, a field and the footer', () => {
    expect(out).toContain('Title: #study and @Ana');
    expect(out).toContain('Section: #study and @Ana');
    expect(out).toContain('Value: #study and @Ana');
    expect(out).toContain('Context: #study and @Ana');
    expect(out).not.toContain('<#');
    expect(renderForTerminal(message('terminal', 'ana'), NO_COLOR)).not.toContain('\uE000');
  });
  it('the plain text of a message without a card too', () => {
    const dm = reminderMessage([
      { channel: { platform: 'console', workspaceId: 'local', channelId: 'terminal' }, streak: 0 },
    ]);
    expect(renderForTerminal({ text: dm.text }, NO_COLOR)).toContain('waiting for you in #study:');
  });
  it('a name that looks like a link stays text', () => {
    expect(renderForTerminal({ text: `Team ${trap}` }, NO_COLOR)).not.toContain('<https://evil.example');
  });
});

describe('user text', () => {
  it('typed text cannot forge a reference', () => {
    const forged = literal(`${channelRef({ channelId: 'C999' })}`);
    expect(renderSlackMessage({ text: forged }).text).not.toContain('<#C999>');
  });
  it('typed text and names cannot forge a manager command', () => {
    const [open, close] = [...managerCommand('cohort end')].filter((c) => c >= '\uE000' && c <= '\uF8FF');
    const forged = `${open}cohort end${close}`;
    const names = [
      literal(forged),
      echo(forged),
      userRef({ userId: '100000000000000009', displayName: forged }),
      channelRef({ channelId: '333333333333333339', name: forged }),
    ].join(' ');
    const shown = [renderMessage({ text: names, card: { title: names, sections: [{ body: names }] } })];
    expect(JSON.stringify(shown)).not.toContain('/roadmap-manage');
    expect(renderSlackMessage({ text: names, card: { title: names, sections: [] } }).text).not.toContain(
      '/roadmap cohort',
    );
  });
  it('echoed values are one line, clipped and inert', () => {
    expect(echo(`line one\nline two ${'x'.repeat(2000)}`)).toMatch(/^`line one line two x+…`$/);
    expect(echo('x'.repeat(2000)).length).toBeLessThanOrEqual(42);
    expect(echo('[a](https://e.example)')).not.toContain('](');
  });
});
