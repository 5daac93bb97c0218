/**
 * Gives start-up's garbage back to the system once the service has started.
 *
 * Loading the content parses every YAML file into a document model that is garbage as soon as the tracks are
 * built; with the image's small young generation most of it is promoted to the old generation before it dies,
 * and V8 keeps those pages committed (about 40 MB of RSS) until its memory reducer runs, some 20 s after
 * allocation slows down, or never when the process keeps allocating a little. One memory-reducing collection
 * right after start-up returns them at once (bench/README.md, "memory").
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** V8's `gc` extension: `flavor: 'last-resort'` is the collection that also releases the freed pages. */
type GcFunction = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** The `gc` function, exposed for this one call when the process was not started with --expose-gc. */
function gcFunction(): GcFunction {
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as GcFunction;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** What the heap held before and after, in MB, and how long the collection took. */
export interface Settled {
  heapTotalMb: { before: number; after: number };
  heapUsedMb: { before: number; after: number };
  ms: number;
}

/** Runs one full, memory-reducing collection and says what it freed. Blocks for tens of milliseconds. */
export function releaseStartupGarbage(): Settled {
  const mb = (n: number) => Math.round(n / 2 ** 17) / 8;
  const before = process.memoryUsage();
  const started = performance.now();
  gcFunction()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const ms = Math.round(performance.now() - started);
  const after = process.memoryUsage();
  return {
    heapTotalMb: { before: mb(before.heapTotal), after: mb(after.heapTotal) },
    heapUsedMb: { before: mb(before.heapUsed), after: mb(after.heapUsed) },
    ms,
  };
}
