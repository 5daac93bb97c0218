// Runs before `npm start` and `npm test` on whatever Node is installed, so it is written for old Node too
// (CommonJS, nothing newer than ES2015): one line saying what to do instead of "tsc: not found".
'use strict';

const engines = require('../package.json').engines.node;

/** "v20.11.1" or "20.11.1" as [20, 11, 1]. */
function parts(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .map((n) => parseInt(n, 10) || 0);
}

/** The lowest version package.json's engines accepts, e.g. "22.18.0" from ">=22.18.0". */
const lowest = /^>=\s*(\d+\.\d+\.\d+)$/.exec(engines.trim());
if (!lowest) throw new Error(`scripts/check-node.cjs reads engines.node as ">=X.Y.Z", not ${engines}`);
const MINIMUM = lowest[1];

function older(a, b) {
  for (let i = 0; i < 3; i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) < (b[i] || 0);
  }
  return false;
}

/** The message for a Node version that cannot run roadmap-bot, or undefined when it can. */
function problem(version) {
  if (!older(parts(version), parts(MINIMUM))) return undefined;
  return (
    `roadmap-bot needs Node.js ${MINIMUM.replace(/\.0$/, '')} or newer, and this is Node ` +
    `${String(version).replace(/^v?/, 'v')}. Install Node 24 with a version manager (\`nvm install\` or ` +
    '`fnm use` read .nvmrc), or try the bot without Node: `docker compose run --rm --build terminal`.'
  );
}

module.exports = { problem, MINIMUM };

if (require.main === module) {
  const message = problem(process.version);
  if (message) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
