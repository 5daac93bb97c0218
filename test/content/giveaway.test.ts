import { describe, expect, it } from 'vitest';
import { formGiveaways, hasClause, isPrimarySource, sourceStats } from '../../src/cli/content-rules.ts';
import type { QuestionOption, StudyCard } from '../../src/content/track.ts';

const options = (texts: string[], correctIndex: number): QuestionOption[] =>
  texts.map((text, i) => ({ text, correct: i === correctIndex, why: i === correctIndex ? '' : 'wrong' }));

describe('options whose form gives the key away', () => {
  it('flags a key that alone carries an explaining clause', () => {
    const q = {
      correctIndex: 1,
      options: options(
        [
          '`prefer`',
          '`verify-full`, because it checks the CA chain and the host name',
          '`require`',
          '`allow`',
        ],
        1,
      ),
    };
    expect(formGiveaways(q)).toContainEqual(expect.stringMatching(/alone has a clause/));
  });

  it('flags a key that alone lacks the clause every other option has', () => {
    const q = {
      correctIndex: 1,
      options: options(
        [
          '`prefer`, which uses TLS whenever the server supports it',
          '`verify-full`',
          '`require`, which refuses to connect without encryption',
          '`allow`, which negotiates TLS if the server asks for it',
        ],
        1,
      ),
    };
    const found = formGiveaways(q);
    expect(found).toContainEqual(expect.stringMatching(/alone lacks a clause/));
    expect(found).toContainEqual(expect.stringMatching(/mean length of the others \(min 0\.5\)/));
  });

  it('flags a key far longer than every other option', () => {
    const q = {
      correctIndex: 3,
      options: options(
        [
          'Raise the timeout',
          'Add more replicas',
          'Restart the broker',
          'Make the consumer idempotent and record every processed message id in the same transaction',
        ],
        3,
      ),
    };
    expect(formGiveaways(q)).toEqual([
      expect.stringMatching(/^the correct option is \d\.\d\dx the mean length of the others \(max 1\.6\)$/),
    ]);
  });

  it('passes options of parallel form and similar length', () => {
    const q = {
      correctIndex: 1,
      options: options(
        [
          '`prefer`, which uses TLS whenever the server supports it',
          '`verify-full`, which checks the CA signature and the host name',
          '`require`, which refuses to connect without encryption',
          '`verify-ca`, which checks that a trusted CA signed the certificate',
        ],
        1,
      ),
    };
    expect(formGiveaways(q)).toEqual([]);
  });

  it('does not read commas inside inline code, or a final full stop, as a clause', () => {
    expect(hasClause('`SELECT a, b FROM t`')).toBe(false);
    expect(hasClause('Only row pairs that satisfy the join condition.')).toBe(false);
    expect(hasClause('In parallel; add `needs` to wait')).toBe(true);
    expect(hasClause('A separate role (one per service)')).toBe(true);
  });
});

describe('sources per card', () => {
  const card = (id: string, urls: string[]) =>
    ({ id, sources: urls.map((url) => ({ title: url, url })) }) as unknown as StudyCard;

  it('counts sources and names the cards with no primary source', () => {
    const stats = sourceStats([
      card('a', ['https://www.rfc-editor.org/rfc/rfc9110', 'https://developer.mozilla.org/x']),
      card('b', ['https://en.wikipedia.org/wiki/HTTP']),
      card('c', ['https://medium.com/@x/y', 'https://cheatsheetseries.owasp.org/x', 'https://dev.to/z']),
    ]);
    expect(stats).toEqual({ min: 1, mean: 2, withoutPrimary: ['b'] });
  });

  it('treats standards and official docs as primary, blogs and example domains as not', () => {
    expect(isPrimarySource('https://www.postgresql.org/docs/current/libpq-ssl.html')).toBe(true);
    expect(isPrimarySource('https://stackoverflow.com/questions/1')).toBe(false);
    expect(isPrimarySource('https://runbooks.example.com/x')).toBe(false);
  });
});
