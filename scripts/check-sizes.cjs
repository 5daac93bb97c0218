// Part of `npm run lint`: no source file in src/ over MAX_LINES lines. Biome checks function length
// (complexity/noExcessiveLinesPerFunction, configured in biome.json); its file rule skips leading comments, so
// this counts lines the way `wc -l` does. A file that grows past the limit is split by meaning.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const MAX_LINES = 350;
const root = path.join(__dirname, '..', 'src');

function lineCount(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

const tooLong = fs
  .readdirSync(root, { recursive: true })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ file: path.join('src', name), lines: lineCount(path.join(root, name)) }))
  .filter(({ lines }) => lines > MAX_LINES)
  .sort((a, b) => b.lines - a.lines);

if (tooLong.length > 0) {
  console.error(`Source files over ${MAX_LINES} lines (split them by meaning):`);
  for (const { file, lines } of tooLong) console.error(`  ${file}: ${lines} lines`);
  process.exit(1);
}
