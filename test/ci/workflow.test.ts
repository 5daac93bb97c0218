// The CI workflow is validated against GitHub's published workflow schema (action-validator ships it, compiled
// to WebAssembly, inside its npm package), and checked against what it runs: .ci/run, the pinned Node, the
// database the tests expect and the Dockerfile.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ValidationError, validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const WORKFLOW = '.github/workflows/ci.yml';

/** Every schema error as one line: where, what; nested one-of branches included. */
function schemaErrors(source: string): string[] {
  const flat = (errors: ValidationError[]): string[] =>
    errors.flatMap((e) => [
      `${'path' in e ? e.path || '/' : '/'}: ${e.detail ?? e.title}`,
      ...('states' in e && e.states ? e.states.flatMap((s) => flat(s.errors)) : []),
    ]);
  return flat(validateWorkflow(source).errors);
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  services?: Record<string, { image: string; env: Record<string, string>; ports: string[] }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

describe(WORKFLOW, () => {
  const source = read(WORKFLOW);
  const workflow = parseYaml(source) as Workflow;

  it('is valid against the GitHub Actions workflow schema', () => {
    expect(schemaErrors(source)).toEqual([]);
  });

  it('fails validation when broken: an unknown job key, a misspelt event, a job without steps, bad YAML', () => {
    const broken = (edit: (w: Workflow & Record<string, unknown>) => void) => {
      const copy = parseYaml(source) as Workflow & Record<string, unknown>;
      edit(copy);
      return schemaErrors(stringify(copy));
    };
    expect(
      broken((w) => {
        const job = w.jobs.test as unknown as Record<string, unknown>;
        job.stepz = job.steps;
        delete job.steps;
      }).join('\n'),
    ).toMatch(/\/jobs\/test: Additional property 'stepz' is not allowed/);
    expect(
      broken((w) => {
        w.on = { pull_requests: null };
      }).join('\n'),
    ).toMatch(/pull_requests/);
    expect(
      broken((w) => {
        delete (w.jobs.docker as unknown as Record<string, unknown>)['runs-on'];
      }),
    ).not.toEqual([]);
    expect(schemaErrors(source.replace('on:\n', 'on: [push\n')).join('\n')).toMatch(/line \d+/);
  });

  it('runs .ci/run on every push and pull request, on the Node the project pins, caching npm', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const steps = workflow.jobs.test!.steps;
    expect(steps.at(-1)!.run).toBe('bash .ci/run');
    const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setupNode.with).toMatchObject({ 'node-version-file': '.nvmrc', cache: 'npm' });
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(true);
  });

  it('pins the same Node major as the Dockerfile, within package.json engines', () => {
    const pinned = Number(read('.nvmrc').trim());
    expect(Number.isInteger(pinned)).toBe(true);
    const image = /^ARG NODE_IMAGE=node:(\d+)/m.exec(read('Dockerfile'))?.[1];
    expect(Number(image)).toBe(pinned);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const minMajor = Number(/>=\s*(\d+)/.exec(engines)?.[1]);
    expect(pinned).toBeGreaterThanOrEqual(minMajor);
  });

  it('gives the tests a PostgreSQL service whose credentials match TEST_DATABASE_URL', () => {
    const job = workflow.jobs.test!;
    const pg = job.services!.postgres!;
    expect(pg.image).toMatch(/^postgres:\d+/);
    const url = new URL(job.env!.TEST_DATABASE_URL!);
    expect(url.protocol).toBe('postgres:');
    expect(decodeURIComponent(url.username)).toBe(pg.env.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.env.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(pg.env.POSTGRES_DB);
    expect(pg.ports).toContain(`${url.port}:5432`);
  });

  it('builds the Docker image from the repository root without pushing it', () => {
    const build = workflow.jobs.docker!.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
    expect(build.with).toMatchObject({ context: '.', push: false });
  });
});
