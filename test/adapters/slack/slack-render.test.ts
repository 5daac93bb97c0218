import { describe, expect, it } from 'vitest';
import {
  BAR_FOLD_BREAKS,
  BAR_FOLD_CHARS,
  blockId,
  clip,
  coreActionId,
  MAX_ACTION_ID,
  MAX_ACTIONS_ELEMENTS,
  MAX_BLOCK_ID,
  MAX_BLOCKS,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_VALUE,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
  renderSlackMessage,
  type SlackBlock,
  slackActionId,
  splitMrkdwn,
  toMrkdwn,
} from '../../../src/adapters/slack/slack-render.ts';
import { answerResultMessage } from '../../../src/answers/messages.ts';
import type { Question, StudyCard } from '../../../src/content/track.ts';
import { BRAND } from '../../../src/core/brand.ts';
import type { Button, Card, OutboundMessage } from '../../../src/core/types.ts';
import { plain } from '../../../src/core/types.ts';
import { drillMessage } from '../../../src/deliveries/messages.ts';
import { practiceMessage } from '../../../src/practice/messages.ts';

const question: Question = {
  id: 'q-http-1',
  cardId: 'http-basics',
  moduleId: 'http',
  kind: 'recall',
  stem: 'Which method is idempotent?',
  options: [
    { text: 'POST', correct: false, why: 'Two POSTs may create two resources.' },
    { text: 'PUT', correct: true, why: '' },
    { text: 'PATCH', correct: false, why: 'A PATCH may append, so repeating it can change more.' },
    { text: 'CONNECT', correct: false, why: 'It opens a tunnel; idempotency is not its point.' },
  ],
  correctIndex: 1,
  explanation: 'PUT replaces the resource, so doing it twice leaves the same state as once.',
};

const card: StudyCard = {
  id: 'http-basics',
  moduleId: 'http',
  index: 0,
  title: 'HTTP methods & <semantics>',
  topics: ['http'],
  difficulty: 1,
  brief: 'Safe methods change nothing; idempotent ones leave the same state however often they run.',
  summary: 'Methods say **what** a request does; _safe_ ones change nothing, see `GET`.',
  points: ['GET & HEAD are safe', 'PUT and DELETE are idempotent'],
  example: { lang: 'http', code: 'PUT /users/1 HTTP/1.1\nContent-Type: application/json' },
  sources: [{ title: 'RFC 9110', url: 'https://www.rfc-editor.org/rfc/rfc9110#name-methods' }],
  questions: [question],
};

const track = { id: 'backend', module: () => ({ id: 'http', title: 'HTTP', cards: [card] }) };

const blocksOf = (msg: OutboundMessage) => renderSlackMessage(msg).blocks ?? [];
const buttons = (n: number, extra: Partial<Button> = {}): Button[] =>
  Array.from({ length: n }, (_, i) => ({ actionId: 'x', value: String(i), label: `B${i}`, ...extra }));
const cardMsg = (c: Partial<Card>): OutboundMessage => ({
  text: 'fallback',
  card: { title: 'T', sections: [], ...c },
});
const sectionTexts = (blocks: SlackBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe('mrkdwn conversion', () => {
  it('converts the core subset and escapes &, < and > everywhere', () => {
    expect(toMrkdwn('**bold** & _it_ <b> [docs](https://x.dev/a?b=1&c=2) `a<b`')).toBe(
      '*bold* &amp; _it_ &lt;b&gt; <https://x.dev/a?b=1&amp;c=2|docs> `a&lt;b`',
    );
    expect(toMrkdwn('- one\n- two')).toBe('• one\n• two');
    expect(toMrkdwn('```ts\nif (a < b && c) {}\n```')).toBe('```\nif (a &lt; b &amp;&amp; c) {}\n```');
    // Inside code, ** is literal.
    expect(toMrkdwn('`**x**`')).toBe('`**x**`');
    // Bold around code (a drill's question): one bold run, the code kept as code.
    expect(toMrkdwn('**Which `GET` is safe?**')).toBe('*Which `GET` is safe?*');
    expect(toMrkdwn('**see `**kwargs`** and `a**b` then **c**')).toBe('*see `**kwargs`* and `a**b` then *c*');
  });

  it('splits long text at line breaks and re-opens a code block cut in two', () => {
    const code = `\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(10)}`).join('\n')}\n\`\`\``;
    const pieces = splitMrkdwn(code);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
      expect(p.startsWith('```')).toBe(true);
      expect(p.endsWith('```')).toBe(true);
    }
    expect(splitMrkdwn('a'.repeat(MAX_SECTION_TEXT))).toEqual(['a'.repeat(MAX_SECTION_TEXT)]);
    expect(splitMrkdwn('a'.repeat(MAX_SECTION_TEXT + 1))).toHaveLength(2);
  });
});

describe('Block Kit limits, each at its edge', () => {
  it(`${MAX_BLOCKS} blocks: a body that fits is kept whole; one more is shortened, keeping title, footer and buttons`, () => {
    // title + N sections + footer + actions
    const fits = blocksOf(
      cardMsg({
        sections: Array.from({ length: MAX_BLOCKS - 3 }, (_, i) => ({ body: `s${i}` })),
        footer: 'f',
        buttons: buttons(4),
      }),
    );
    expect(fits).toHaveLength(MAX_BLOCKS);
    expect(fits.some((b) => b.block_id === 'shortened')).toBe(false);

    const over = blocksOf(
      cardMsg({
        sections: Array.from({ length: MAX_BLOCKS - 2 }, (_, i) => ({ body: `s${i}` })),
        footer: 'f',
        buttons: buttons(4),
      }),
    );
    expect(over).toHaveLength(MAX_BLOCKS);
    expect(over[0]!.type).toBe('header');
    expect(over.at(-1)!.type).toBe('actions');
    expect(over.at(-2)!.block_id).toBe('footer');
    expect(over.at(-3)!.block_id).toBe('shortened');
  });

  it(`${MAX_SECTION_TEXT} characters per section: exactly that stays one section, one more becomes two`, () => {
    const at = blocksOf(cardMsg({ sections: [{ body: 'a'.repeat(MAX_SECTION_TEXT) }] }));
    expect(sectionTexts(at)).toEqual(['a'.repeat(MAX_SECTION_TEXT)]);
    const over = sectionTexts(blocksOf(cardMsg({ sections: [{ body: 'a'.repeat(MAX_SECTION_TEXT + 1) }] })));
    expect(over).toHaveLength(2);
    expect(over.join('')).toBe('a'.repeat(MAX_SECTION_TEXT + 1));
    for (const t of over) expect(t.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
  });

  it(`${MAX_BUTTON_TEXT} characters per button label: kept at the limit, clipped with an ellipsis above`, () => {
    const label = (n: number) => {
      const actions = blocksOf(
        cardMsg({ buttons: [{ actionId: 'x', value: 'v', label: 'L'.repeat(n) }] }),
      ).find((b) => b.type === 'actions');
      return actions?.type === 'actions' ? actions.elements[0]!.text.text : '';
    };
    expect(label(MAX_BUTTON_TEXT)).toBe('L'.repeat(MAX_BUTTON_TEXT));
    expect(label(MAX_BUTTON_TEXT + 1)).toBe(`${'L'.repeat(MAX_BUTTON_TEXT - 1)}…`);
  });

  it(`${MAX_ACTION_ID} characters per action_id, counting the position suffix; longer is refused`, () => {
    const base = 'a'.repeat(MAX_ACTION_ID - 2);
    expect(slackActionId(base, 0)).toHaveLength(MAX_ACTION_ID);
    expect(coreActionId(slackActionId(base, 0))).toBe(base);
    expect(() => slackActionId(`${base}a`, 0)).toThrow(RangeError);
    expect(() => blocksOf(cardMsg({ buttons: [{ actionId: `${base}a`, value: 'v', label: 'A' }] }))).toThrow(
      /action_id/,
    );
  });

  it(`${MAX_BLOCK_ID} characters per block_id; longer is refused`, () => {
    expect(blockId('b'.repeat(MAX_BLOCK_ID))).toHaveLength(MAX_BLOCK_ID);
    expect(() => blockId('b'.repeat(MAX_BLOCK_ID + 1))).toThrow(RangeError);
    const ids = blocksOf(
      drillMessage(track, card, question, { id: 7, studyDay: 1, late: false, localDate: '2026-11-20' }, 3),
    ).map((b) => b.block_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it(`${MAX_BUTTON_VALUE} characters per button value; longer is refused rather than cut (a cut value would answer wrongly)`, () => {
    const withValue = (n: number) => () =>
      blocksOf(cardMsg({ buttons: [{ actionId: 'x', value: 'v'.repeat(n), label: 'A' }] }));
    expect(withValue(MAX_BUTTON_VALUE)).not.toThrow();
    expect(withValue(MAX_BUTTON_VALUE + 1)).toThrow(/value/);
  });

  it(`${MAX_ACTIONS_ELEMENTS} buttons per actions block: one block at the limit, two above`, () => {
    const actions = (n: number) =>
      blocksOf(cardMsg({ buttons: buttons(n) })).filter((b) => b.type === 'actions');
    expect(actions(MAX_ACTIONS_ELEMENTS)).toHaveLength(1);
    const two = actions(MAX_ACTIONS_ELEMENTS + 1);
    expect(two).toHaveLength(2);
    expect(two.map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([MAX_ACTIONS_ELEMENTS, 1]);
    // Action ids stay unique across the blocks.
    const ids = two.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(new Set(ids).size).toBe(MAX_ACTIONS_ELEMENTS + 1);
  });

  it(`${MAX_HEADER_TEXT} characters per header, ${MAX_SECTION_FIELDS} fields per section, ${MAX_FIELD_TEXT} per field`, () => {
    const header = (n: number) => {
      const b = blocksOf(cardMsg({ title: 'H'.repeat(n) }))[0]!;
      return b.type === 'header' ? b.text.text : '';
    };
    expect(header(MAX_HEADER_TEXT)).toHaveLength(MAX_HEADER_TEXT);
    expect(header(MAX_HEADER_TEXT + 1)).toBe(`${'H'.repeat(MAX_HEADER_TEXT - 1)}…`);

    const fieldSections = (n: number) =>
      blocksOf(
        cardMsg({ fields: Array.from({ length: n }, (_, i) => ({ label: `L${i}`, value: 'v' })) }),
      ).filter((b) => b.type === 'section' && b.fields);
    expect(fieldSections(MAX_SECTION_FIELDS)).toHaveLength(1);
    expect(fieldSections(MAX_SECTION_FIELDS + 1)).toHaveLength(2);

    const field = (n: number) => {
      const b = blocksOf(cardMsg({ fields: [{ label: 'L', value: 'v'.repeat(n) }] })).find(
        (x) => x.type === 'section',
      );
      return b?.type === 'section' ? b.fields![0]!.text : '';
    };
    // "*L*\n" takes 4 characters of the field.
    expect(field(MAX_FIELD_TEXT - 4)).toHaveLength(MAX_FIELD_TEXT);
    expect(field(MAX_FIELD_TEXT - 3)).toHaveLength(MAX_FIELD_TEXT);
    expect(field(MAX_FIELD_TEXT - 3).endsWith('…')).toBe(true);
  });

  it(`always sets the text fallback; ${MAX_FALLBACK_TEXT} characters at most, with blocks carrying longer plain text`, () => {
    expect(renderSlackMessage({ text: 'hi' })).toEqual({ text: 'hi' });
    expect(renderSlackMessage({ text: 'a'.repeat(MAX_FALLBACK_TEXT) })).toEqual({
      text: 'a'.repeat(MAX_FALLBACK_TEXT),
    });
    const long = renderSlackMessage({ text: 'a'.repeat(MAX_FALLBACK_TEXT + 1) });
    expect(long.text).toHaveLength(MAX_FALLBACK_TEXT);
    expect(sectionTexts(long.blocks!).join('')).toBe('a'.repeat(MAX_FALLBACK_TEXT + 1));
    const withCard = renderSlackMessage({ text: '', card: { title: 'T', sections: [] } });
    expect(typeof withCard.text).toBe('string');
    expect(clip('ab😀', 3)).toBe('ab…');
  });
});

describe("the colour bar: the kind's colour beside the card's last line", () => {
  const ids = (blocks: SlackBlock[] | undefined) => (blocks ?? []).map((b) => b.block_id);

  it('moves the footer into one attachment of the kind’s colour; title, body and buttons stay in the blocks', () => {
    const out = renderSlackMessage(
      cardMsg({ accent: 'board', sections: [{ body: 'body' }], footer: '*f* <x>', buttons: buttons(2) }),
    );
    expect(ids(out.blocks)).toEqual(['title', 's0.0', 'actions0']);
    expect(out.attachments).toEqual([
      {
        color: BRAND.board,
        fallback: 'f <x>',
        blocks: [
          { type: 'context', block_id: 'footer', elements: [{ type: 'mrkdwn', text: '*f* &lt;x&gt;' }] },
        ],
      },
    ]);
  });

  it('without a footer, holds the last section when only buttons follow it; after fields, no bar', () => {
    const last = renderSlackMessage(
      cardMsg({ accent: 'results', sections: [{ body: 'one' }, { body: 'two' }], buttons: buttons(1) }),
    );
    expect(ids(last.blocks)).toEqual(['title', 's0.0', 'actions0']);
    expect(ids(last.attachments![0]!.blocks)).toEqual(['s1.0']);
    expect(last.attachments![0]!.color).toBe(BRAND.results);
    const fields = renderSlackMessage(
      cardMsg({ accent: 'results', sections: [{ body: 'one' }], fields: [{ label: 'L', value: 'v' }] }),
    );
    expect(fields.attachments).toBeUndefined();
    expect(ids(fields.blocks)).toEqual(['title', 's0.0', 'f0']);
    // A title alone is never moved: the message keeps its blocks, so `text` stays the notification only.
    expect(renderSlackMessage(cardMsg({ accent: 'drill' })).attachments).toBeUndefined();
  });

  it(`keeps a line of ${BAR_FOLD_CHARS}+ characters or ${BAR_FOLD_BREAKS}+ line breaks in the blocks, where no attachment folds it`, () => {
    const bar = (footer: string) => renderSlackMessage(cardMsg({ accent: 'progress', footer })).attachments;
    expect(bar('a'.repeat(BAR_FOLD_CHARS - 1))).toHaveLength(1);
    expect(bar('a'.repeat(BAR_FOLD_CHARS))).toBeUndefined();
    expect(bar('a\n'.repeat(BAR_FOLD_BREAKS - 1))).toHaveLength(1);
    const folded = renderSlackMessage(cardMsg({ accent: 'progress', footer: 'a\n'.repeat(BAR_FOLD_BREAKS) }));
    expect(folded.attachments).toBeUndefined();
    expect(ids(folded.blocks)).toContain('footer');
  });

  it('a card without a kind, and plain text, carry no attachment', () => {
    expect(renderSlackMessage(cardMsg({ footer: 'f' })).attachments).toBeUndefined();
    expect(renderSlackMessage({ text: 'hi' }).attachments).toBeUndefined();
  });
});

describe('each message kind as Block Kit', () => {
  it('drill', () => {
    expect(
      renderSlackMessage(
        drillMessage(track, card, question, { id: 42, studyDay: 3, late: true, localDate: '2026-11-20' }, 5),
      ),
    ).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "block_id": "footer",
                "elements": [
                  {
                    "text": "HTTP · basic · posted late · 5 answered",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
            "color": "#0072b2",
            "fallback": "HTTP · basic · posted late · 5 answered",
          },
        ],
        "blocks": [
          {
            "block_id": "title",
            "text": {
              "emoji": true,
              "text": "Day 3 · HTTP methods & <semantics>",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "block_id": "s0.0",
            "text": {
              "text": "Safe methods change nothing; idempotent ones leave the same state however often they run.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "s1.0",
            "text": {
              "text": "*Which method is idempotent?*",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "actions0",
            "elements": [
              {
                "action_id": "roadmap.answer#0",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "A · POST",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "d:42:0",
              },
              {
                "action_id": "roadmap.answer#1",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "B · PUT",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "d:42:1",
              },
              {
                "action_id": "roadmap.answer#2",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "C · PATCH",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "d:42:2",
              },
              {
                "action_id": "roadmap.answer#3",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "D · CONNECT",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "d:42:3",
              },
              {
                "action_id": "roadmap.card#4",
                "text": {
                  "emoji": true,
                  "text": "Read the card",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "c:42",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "Day 3 · HTTP methods &amp; &lt;semantics&gt;

      Safe methods change nothing; idempotent ones leave the same state however often they run.

      Which method is idempotent?

      HTTP · basic · posted late · 5 answered",
      }
    `);
  });

  it('practice', () => {
    expect(
      renderSlackMessage(practiceMessage({ card, question, reason: 'review', promptId: 9 }, 'HTTP', false)),
    ).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "block_id": "footer",
                "elements": [
                  {
                    "text": "Review: you missed this one before · HTTP · practice answers do not count on the board",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
            "color": "#0072b2",
            "fallback": "Review: you missed this one before · HTTP · practice answers do not count on the board",
          },
        ],
        "blocks": [
          {
            "block_id": "title",
            "text": {
              "emoji": true,
              "text": "Practice · HTTP methods & <semantics>",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "block_id": "s0.0",
            "text": {
              "text": "*Question*
      *Which method is idempotent?*
      *A.* POST
      *B.* PUT
      *C.* PATCH
      *D.* CONNECT",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "actions0",
            "elements": [
              {
                "action_id": "roadmap.answer#0",
                "text": {
                  "emoji": true,
                  "text": "A",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "p:9:0",
              },
              {
                "action_id": "roadmap.answer#1",
                "text": {
                  "emoji": true,
                  "text": "B",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "p:9:1",
              },
              {
                "action_id": "roadmap.answer#2",
                "text": {
                  "emoji": true,
                  "text": "C",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "p:9:2",
              },
              {
                "action_id": "roadmap.answer#3",
                "text": {
                  "emoji": true,
                  "text": "D",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "p:9:3",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "Practice · HTTP methods &amp; &lt;semantics&gt;

      Question
      Which method is idempotent?
      A. POST
      B. PUT
      C. PATCH
      D. CONNECT

      Review: you missed this one before · HTTP · practice answers do not count on the board",
      }
    `);
  });

  it('answer result (wrong choice, with streak)', () => {
    expect(
      renderSlackMessage(
        answerResultMessage({
          source: 'drill',
          card,
          question,
          choice: 0,
          correct: false,
          points: 2,
          streak: { current: 4, best: 9, freezes: 1, history: [] },
          deliveryId: 42,
        }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "block_id": "footer",
                "elements": [
                  {
                    "text": "+2 points · Streak: 4 study days (best 9) · 1 freeze banked",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
            "color": "#d55e00",
            "fallback": "+2 points · Streak: 4 study days (best 9) · 1 freeze banked",
          },
        ],
        "blocks": [
          {
            "block_id": "title",
            "text": {
              "emoji": true,
              "text": "❌ Not quite: the answer is B",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "block_id": "s0.0",
            "text": {
              "text": "You chose *A*: Two POSTs may create two resources.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "s1.0",
            "text": {
              "text": "*B. PUT*
      PUT replaces the resource, so doing it twice leaves the same state as once.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "❌ Not quite: the answer is B

      You chose A: Two POSTs may create two resources.

      B. PUT
      PUT replaces the resource, so doing it twice leaves the same state as once.

      +2 points · Streak: 4 study days (best 9) · 1 freeze banked",
      }
    `);
  });

  it('plain text', () => {
    expect(
      renderSlackMessage(plain('Only managers can use `schedule set`: ask an admin & try again.')),
    ).toMatchInlineSnapshot(`
      {
        "text": "Only managers can use \`schedule set\`: ask an admin &amp; try again.",
      }
    `);
  });

  it('leaderboard', () => {
    const body =
      '1. Ana · 30 pts · 3/3 correct\n2. Ben <the builder> · 22 pts · 2/3 correct\n…\n7. You · 4 pts · 0/2 correct';
    expect(
      renderSlackMessage({
        text: `Leaderboard, this week:\n${body}`,
        card: {
          title: 'Leaderboard · this week (since 2026-11-16)',
          sections: [{ body }],
          fields: [
            { label: 'Members', value: '12', inline: true },
            { label: 'Answered today', value: '9', inline: true },
          ],
          footer: '10 points for a correct first answer, 2 for showing up',
        },
        visibility: 'public',
      }),
    ).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "block_id": "title",
            "text": {
              "emoji": true,
              "text": "Leaderboard · this week (since 2026-11-16)",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "block_id": "s0.0",
            "text": {
              "text": "1. Ana · 30 pts · 3/3 correct
      2. Ben &lt;the builder&gt; · 22 pts · 2/3 correct
      …
      7. You · 4 pts · 0/2 correct",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "f0",
            "fields": [
              {
                "text": "*Members*
      12",
                "type": "mrkdwn",
              },
              {
                "text": "*Answered today*
      9",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "block_id": "footer",
            "elements": [
              {
                "text": "10 points for a correct first answer, 2 for showing up",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Leaderboard, this week:
      1. Ana · 30 pts · 3/3 correct
      2. Ben &lt;the builder&gt; · 22 pts · 2/3 correct
      …
      7. You · 4 pts · 0/2 correct",
      }
    `);
  });
});
