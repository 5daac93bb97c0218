/**
 * The import rule for src/: folders form layers, and a folder imports only folders listed before it. So no
 * two folders import each other, the core imports nothing outside itself, and adapters see the core's port
 * rather than any feature. ARCHITECTURE.md says what each folder is for.
 */
const LAYERS = [
  'core',
  'content',
  'config',
  'db',
  'memory',
  'members',
  'plans',
  'tracks',
  'charts',
  'deliveries',
  'answers',
  'practice',
  'feedback',
  'schedules',
  'cohorts',
  'boards',
  'reminders',
  'onboarding',
  'bot',
  'adapters',
  'scheduler',
  'dashboard',
  'server',
  'runtime',
  'cli',
];

/** The features: adapters reach them only through the bot's port (src/core/port.ts). */
const FEATURES = [
  'members',
  'plans',
  'tracks',
  'charts',
  'deliveries',
  'answers',
  'practice',
  'feedback',
  'schedules',
  'cohorts',
  'boards',
  'reminders',
  'onboarding',
  'bot',
];

const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer}/ imports only ${i === 0 ? 'itself' : LAYERS.slice(0, i).join(', ')} (the layers before it).`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')}|main\\.ts|service\\.ts)(/|$)` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'adapters-use-the-port',
      comment: 'Adapters depend on the core (its port, message model and commands), never on a feature.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: `^src/(${FEATURES.join('|')})/` },
    },
    {
      name: 'unknown-folder',
      comment:
        'Every folder under src/ has a place in the layers: add it to LAYERS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: `^src/(?!(${LAYERS.join('|')})/|main\\.ts$|service\\.ts$)` },
    },
    {
      name: 'no-circular',
      comment: 'Modules never import each other in a cycle.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test|bench)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
