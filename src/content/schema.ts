/** zod schemas for the content files: syllabus, track and one file per module. Limits are in content/README.md. */
import { z } from 'zod';

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const LIMITS = {
  cardTitle: 70,
  brief: 350,
  summary: 600,
  point: 220,
  exampleChars: 800,
  exampleLines: 20,
  exampleLineWidth: 100,
  sourceTitle: 100,
  stem: 300,
  option: 160,
  why: 220,
  explanation: 400,
  /** Ids travel in button values (Slack 2,000 bytes, Discord custom_id 100 characters with its prefix). */
  trackId: 30,
  cardId: 57,
  questionId: 60,
} as const;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const syllabusSchema = z.object({
  track: z.string().regex(kebab),
  modules: z
    .array(
      z.object({
        id: z.string().regex(kebab),
        title: z.string().min(1),
        topics: z.array(z.object({ id: z.string().regex(kebab), name: z.string().min(1) })).min(1),
      }),
    )
    .min(1),
});

export const trackSchema = z.object({
  id: z.string().regex(kebab).max(LIMITS.trackId, `must be at most ${LIMITS.trackId} characters`),
  title: z.string().min(1),
  description: z.string().optional(),
  modules: z.array(z.string().regex(kebab)).min(1),
});

const optionSchema = z
  .object({
    text: text(LIMITS.option),
    correct: z.literal(true).optional(),
    why: text(LIMITS.why).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.correct && o.why) ctx.addIssue({ code: 'custom', message: 'the correct option takes no `why`' });
    if (!o.correct && !o.why) ctx.addIssue({ code: 'custom', message: 'a wrong option needs a `why`' });
  });

const questionSchema = z
  .object({
    id: z.string().min(1).max(LIMITS.questionId, `must be at most ${LIMITS.questionId} characters`),
    kind: z.enum(['recall', 'application', 'scenario']),
    stem: text(LIMITS.stem).refine((s) => s.endsWith('?'), 'must end with a question mark'),
    options: z.array(optionSchema).length(4, 'needs exactly four options (A–D)'),
    explanation: text(LIMITS.explanation),
  })
  .strict()
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (correct !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `needs exactly one correct option, has ${correct}`,
      });
    const texts = new Set(q.options.map((o) => o.text.toLowerCase()));
    if (texts.size !== 4) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must differ' });
  });

const cardSchema = z
  .object({
    id: z.string().min(1).max(LIMITS.cardId, `must be at most ${LIMITS.cardId} characters`),
    title: text(LIMITS.cardTitle),
    topics: z.array(z.string().min(1)).min(1),
    difficulty: z.literal([1, 2, 3], 'must be 1, 2 or 3'),
    brief: text(LIMITS.brief),
    summary: text(LIMITS.summary),
    points: z.array(text(LIMITS.point)).min(3).max(5),
    example: z
      .object({
        lang: z
          .string()
          .regex(/^[a-z0-9+#-]+$/)
          .optional(),
        code: z
          .string()
          .min(1)
          .max(LIMITS.exampleChars, `must be at most ${LIMITS.exampleChars} characters`)
          .refine(
            (c) => c.trimEnd().split('\n').length <= LIMITS.exampleLines,
            `must be at most ${LIMITS.exampleLines} lines`,
          )
          .refine(
            (c) => c.split('\n').every((l) => l.length <= LIMITS.exampleLineWidth),
            `lines must be at most ${LIMITS.exampleLineWidth} characters`,
          )
          // The example is shown in a ``` block: a fence inside would end it, and what follows would render.
          .refine(
            (c) => !c.includes('```'),
            'must not contain three backticks: they would end the code block',
          ),
      })
      .strict()
      .optional(),
    sources: z
      .array(z.object({ title: text(LIMITS.sourceTitle), url: z.url({ protocol: /^https$/ }) }).strict())
      .min(1, 'needs at least one primary source')
      .max(5),
    questions: z.array(questionSchema).min(2).max(4),
  })
  .strict();

export const moduleFileSchema = z
  .object({
    module: z.string().regex(kebab),
    title: z.string().min(1),
    cards: z.array(cardSchema).min(1),
  })
  .strict();
