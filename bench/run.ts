/** `npm run bench -- <name>`: runs bench/<name>.bench.ts, whose default export prints its figures. */
import { readdirSync } from 'node:fs';
import path from 'node:path';

const available = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`Usage: npm run bench -- <${available.join('|')}>\n`);
  process.exit(2);
}
const mod = (await import(path.join(import.meta.dirname, `${name}.bench.ts`))) as {
  default: (args: string[]) => Promise<void>;
};
await mod.default(process.argv.slice(3));
