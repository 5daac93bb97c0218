// The contributor documents are linked from the README, their links lead somewhere, and the changelog has a
// section for the version package.json declares.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');
const anchors = (file: string) =>
  new Set([...read(file).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!.replace(/`/g, ''))));

describe('contributor documents', () => {
  it('the README links CONTRIBUTING.md and CHANGELOG.md', () => {
    const readme = read('README.md');
    expect(readme).toContain('](CONTRIBUTING.md)');
    expect(readme).toContain('](CHANGELOG.md)');
  });

  it('every relative link in CONTRIBUTING.md and the pull-request template leads to a file and heading', () => {
    for (const doc of ['CONTRIBUTING.md', '.github/pull_request_template.md']) {
      const links = [...read(doc).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
      for (const link of links.filter((l) => !/^https?:/.test(l))) {
        const [file = '', hash] = link.split('#');
        const target = file ? path.join(path.dirname(doc), file) : doc;
        expect(existsSync(path.join(ROOT, target)), `${doc} links ${link}`).toBe(true);
        if (hash) expect(anchors(target), `${doc} links ${link}`).toContain(hash);
      }
    }
  });

  it('the changelog has an Unreleased section and one for the version in package.json', () => {
    const changelog = read('CHANGELOG.md');
    const { version } = JSON.parse(read('package.json'));
    expect(changelog).toMatch(/^## Unreleased$/m);
    expect(changelog).toMatch(
      new RegExp(`^## ${version.replace(/\./g, '\\.')} - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
    );
  });
});
