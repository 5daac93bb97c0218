import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseStartupGarbage } from '../../src/runtime/settle.ts';

/** Garbage that lives long enough to reach the old generation, as the content's parse does at start-up. */
function promotedGarbage(): number {
  let kept: { text: string; n: number }[][] = [];
  let total = 0;
  for (let round = 0; round < 20; round++) {
    const batch = Array.from({ length: 20_000 }, (_, n) => ({ text: `line ${round}:${n}`, n }));
    kept.push(batch);
    total += batch.length;
  }
  kept = [];
  return total + kept.length;
}

describe('releaseStartupGarbage', () => {
  it('collects what start-up left behind and gives the pages back', () => {
    expect(promotedGarbage()).toBe(400_000);
    const settled = releaseStartupGarbage();
    expect(settled.heapUsedMb.after).toBeLessThan(settled.heapUsedMb.before);
    expect(settled.heapTotalMb.after).toBeLessThan(settled.heapTotalMb.before);
  });

  it('leaves gc unexposed to code that runs after it', () => {
    const exposedBefore = vm.runInNewContext('typeof gc');
    releaseStartupGarbage();
    expect(vm.runInNewContext('typeof gc')).toBe(exposedBefore);
  });
});
