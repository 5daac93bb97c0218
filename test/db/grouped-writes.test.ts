/**
 * GroupedWrites on its own: which failures it retries row by row (a row's data), which it does not (the database
 * itself), and that a writer throwing outright neither hangs its callers nor later ones.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { GroupedWrites } from '../../src/db/grouped-writes.ts';
import type { Database } from '../../src/db/schema.ts';

/** The rows go nowhere: the writer under test decides what happens to them. */
const NO_DB = {} as Kysely<Database>;
const failure = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

function writes(write: (rows: readonly string[]) => Promise<void>) {
  const calls: string[][] = [];
  const grouped = new GroupedWrites<string>(
    NO_DB,
    (_db, rows) => {
      calls.push([...rows]);
      return write(rows);
    },
    (row) => row,
    () => 'one lane',
  );
  return { grouped, calls };
}

describe('GroupedWrites', () => {
  it('fails a group at once when the database fails, without a statement per row', async () => {
    const { grouped, calls } = writes(async () => {
      throw failure('57P01'); // the server shut down
    });
    const first = grouped.add('a');
    const group = ['b', 'c', 'd'].map((row) => grouped.add(row));
    const outcomes = await Promise.allSettled([first, ...group]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it("retries a group row by row when a row's data is at fault, failing only that row", async () => {
    const { grouped, calls } = writes(async (rows) => {
      if (rows.includes('bad')) throw failure('23503'); // a foreign key no longer there
    });
    const first = grouped.add('a');
    const group = ['b', 'bad', 'd'].map((row) => grouped.add(row));
    const outcomes = await Promise.allSettled([first, ...group]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a'], ['b', 'bad', 'd'], ['b'], ['bad'], ['d']]);
  });

  it('settles every caller when the writer throws outright, and keeps taking rows after', async () => {
    let broken = true;
    const { grouped } = writes((): Promise<void> => {
      if (broken) throw new Error('thrown before any promise');
      return Promise.resolve();
    });
    await expect(grouped.add('a')).rejects.toThrow('thrown before any promise');
    broken = false;
    await expect(grouped.add('b')).resolves.toBeUndefined();
  });
});
