import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that spend most of their time waiting rather than computing (the fault suite's slow Slack waits out
 * retries of a real service). They start before everything else, so their waiting overlaps
 * the files that keep the cores busy instead of trailing after them: in a fresh clone vitest has no timings
 * yet and orders by file size, which would start them near the end.
 */
const WAITING_FILES = ['test/faults/slow-slack.test.ts'];

class WaitingFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const file = path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/');
      const i = WAITING_FILES.findIndex((prefix) => file.startsWith(prefix));
      return i === -1 ? WAITING_FILES.length : i;
    };
    // Array.prototype.sort is stable: within a rank, the order vitest chose stands.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // A worker keeps its modules from one test file to the next instead of importing the source, Kysely,
    // PGlite, Bolt and discord.js again for each file, which was most of a small file's time. Tests keep no
    // state in modules: each opens its own database, app and fakes and closes them (the suite passes with
    // its files shuffled: `npx vitest run --sequence.shuffle.files`). discord.js is loaded whole first.
    isolate: false,
    setupFiles: ['test/helpers/preload-sdks.ts'],
    // Part of the test time is spent waiting on PostgreSQL, child processes and loopback fakes, so run one
    // file more than there are cores: a waiting file holds a worker while the others keep every core busy
    // (vitest's default is one fewer worker than the cores: a single file at a time on two).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: WaitingFilesFirst },
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
