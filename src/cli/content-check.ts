/** `npm run content:check`: validates every track under CONTENT_DIR and prints coverage, counts and balance. */
import path from 'node:path';
import { ContentError, listTrackIds, loadTrack } from '../content/load.ts';
import { checkTrack, type Requirements } from './content-rules.ts';
import { drillLengthSummary } from './drill-lengths.ts';

/** What a track must reach to ship (content/README.md). */
const REQUIREMENTS: Requirements = { coverage: 1, minCards: 200, minQuestions: 600, balanceTolerance: 0.1 };

const contentDir = path.resolve(process.argv[2] ?? 'content');
let failed = false;
for (const trackId of listTrackIds(contentDir)) {
  try {
    const track = loadTrack(contentDir, trackId);
    const r = checkTrack(track, REQUIREMENTS);
    const pct = (n: number) => `${((n / r.questions) * 100).toFixed(1)}%`;
    console.log(`track ${track.id}: ${track.title}`);
    for (const m of r.modules)
      console.log(
        `  ${m.id.padEnd(16)} ${String(m.cards).padStart(3)} cards ${String(m.questions).padStart(4)} questions` +
          `  sources/card min ${m.sources.min} mean ${m.sources.mean.toFixed(1)}` +
          `  no primary source ${m.sources.withoutPrimary.length}`,
      );
    console.log(`coverage: ${r.topics.covered}/${r.topics.total} topics`);
    if (r.topics.missing.length) console.log(`  not yet covered: ${r.topics.missing.join(', ')}`);
    console.log(
      `cards: ${r.cards}, questions: ${r.questions} (${Object.entries(r.kinds)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')})`,
    );
    console.log(drillLengthSummary(r.drills));
    console.log(`answer positions: ${r.positions.map((n, i) => `${'ABCD'[i]} ${n} (${pct(n)})`).join(', ')}`);
    if (r.problems.length) {
      failed = true;
      console.log(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:`);
      for (const p of r.problems) console.log(`  - ${p}`);
    } else {
      console.log('content OK');
    }
  } catch (err) {
    failed = true;
    if (err instanceof ContentError) console.log(`track ${trackId}: ${err.message}`);
    else throw err;
  }
}
process.exitCode = failed ? 1 : 0;
