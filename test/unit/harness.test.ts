// The harness against throwaway actions written here: each one exercises a piece of the runner
// contract (input variables, environment files, commands, masks, state, post-if, timeouts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { evaluateCondition, evaluateExpression, interpolate } from '@deploy-actions/harness';
import { inputEnvName, resolveNodeRuntime, runAction, type ActionRun } from '@deploy-actions/harness';
import { formatRun } from '@deploy-actions/harness';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const made: string[] = [];

function makeAction(metadata: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'harness-action-'));
  made.push(dir);
  writeFileSync(join(dir, 'action.yml'), metadata);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const PROBE_METADATA = `
name: probe
description: A throwaway action for the harness tests.
inputs:
  expected-status:
    description: Statuses.
    default: 200-299
  my input:
    description: A name with a space.
    default: spaced default
  token:
    description: Defaults to the job token.
    default: \${{ github.token }}
  exit:
    description: The exit code of main.
    default: 0
  no-default:
    description: Declared without a default.
  old-name:
    description: Deprecated.
    deprecationMessage: Use new-name.
runs:
  using: node24
  main: main.mjs
  post: post.mjs
  post-if: success()
`;

// Writes through the runner files directly, in the heredoc form @actions/core 3 uses.
const PROBE_MAIN = `
import { appendFileSync } from 'node:fs';
const write = (variable, text) => appendFileSync(process.env[variable], text);
const inputs = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('INPUT_')));
write('GITHUB_OUTPUT', 'inputs<<ghadelimiter_1\\n' + JSON.stringify(inputs) + '\\nghadelimiter_1\\n');
write('GITHUB_OUTPUT', 'environment<<ghadelimiter_2\\n' + JSON.stringify(process.env) + '\\nghadelimiter_2\\n');
write('GITHUB_OUTPUT', 'plain=a=b\\n');
write('GITHUB_OUTPUT', 'multi<<EOF\\nline 1\\n\\nline 3\\nEOF\\n');
write('GITHUB_STEP_SUMMARY', '## Report\\nsecret: s3cret\\n');
write('GITHUB_STATE', 'from-file=kept\\n');
write('GITHUB_ENV', 'EXPORTED=yes\\n');
write('GITHUB_PATH', '/opt/extra/bin\\n');
console.log('::save-state name=legacy::old way');
console.log('::error file=a.ts,line=3::boom%0Anext');
console.log('::add-mask::s3cret');
console.log('the password is s3cret');
console.log('::debug::looking around');
console.error('to stderr');
process.exitCode = Number(process.env.INPUT_EXIT);
`;

const PROBE_POST = `
import { appendFileSync } from 'node:fs';
const seen = {
  legacy: process.env.STATE_legacy,
  file: process.env['STATE_from-file'],
  exported: process.env.EXPORTED,
  firstPath: process.env.PATH.split(':')[0],
  input: process.env['INPUT_EXPECTED-STATUS']
};
appendFileSync(process.env.GITHUB_OUTPUT, 'seen<<EOF\\n' + JSON.stringify(seen) + '\\nEOF\\n');
console.log('post saw s3cret');
`;

describe('runAction on a probe action', () => {
  let probeDir: string;
  let run: ActionRun;
  const canary = 'HARNESS_TEST_CANARY';

  beforeAll(async () => {
    probeDir = makeAction(PROBE_METADATA, { 'main.mjs': PROBE_MAIN, 'post.mjs': PROBE_POST });
    process.env[canary] = 'must not reach the action';
    try {
      run = await runAction({ actionDir: probeDir, inputs: { 'expected-status': '2xx' }, env: { GITHUB_TOKEN: 'ghs_token', EXTRA: 'given' } });
    } finally {
      delete process.env[canary];
    }
  });

  it('names input variables as the runner does and fills in defaults', () => {
    expect(JSON.parse(run.outputs.inputs ?? '')).toEqual({
      'INPUT_EXPECTED-STATUS': '2xx',
      INPUT_MY_INPUT: 'spaced default',
      INPUT_TOKEN: 'ghs_token',
      INPUT_EXIT: '0',
      'INPUT_NO-DEFAULT': '',
      'INPUT_OLD-NAME': ''
    });
    expect(run.inputs).toMatchObject({ 'expected-status': '2xx', 'my input': 'spaced default', exit: '0' });
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
    expect(inputEnvName('expected-status')).toBe('INPUT_EXPECTED-STATUS');
  });

  it('gives the action the runner variables and a minimal environment, not the parent one', () => {
    const env = JSON.parse(run.outputs.environment ?? '') as Record<string, string>;
    expect(env).toMatchObject({
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_ACTION_PATH: probeDir,
      RUNNER_OS: 'Linux',
      EXTRA: 'given'
    });
    expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
    expect(env.GITHUB_RUN_ID).toMatch(/^\d+$/);
    for (const file of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH', 'RUNNER_TEMP', 'GITHUB_WORKSPACE', 'GITHUB_EVENT_PATH']) {
      expect(env[file]).toEqual(expect.stringMatching(/^\//));
    }
    expect(env).not.toHaveProperty(canary);
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(env).not.toHaveProperty('JEST_WORKER_ID');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('reads outputs in both forms, the summary, state, exported variables and paths', () => {
    expect(run.outputs.plain).toBe('a=b');
    expect(run.outputs.multi).toBe('line 1\n\nline 3');
    expect(run.state).toEqual({ legacy: 'old way', 'from-file': 'kept' });
    expect(run.env).toEqual({ EXPORTED: 'yes' });
    expect(run.path).toEqual(['/opt/extra/bin']);
    expect(run.exitCode).toBe(0);
    expect(run.conclusion).toBe('success');
  });

  it('collects annotations with their properties, unescaped', () => {
    expect(run.annotations).toContainEqual({ level: 'error', message: 'boom\nnext', properties: { file: 'a.ts', line: '3' } });
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'warning', message: expect.stringContaining('`save-state` command is deprecated') }));
  });

  it('masks registered secrets in the log and summary, like the runner', () => {
    expect(run.masks).toEqual(['s3cret']);
    expect(run.stdout).toContain('the password is s3cret');
    expect(run.log).toContain('the password is ***');
    expect(run.log).not.toContain('s3cret');
    expect(run.summary).toBe('## Report\nsecret: ***\n');
  });

  it('renders commands in the log as the runner does and keeps stderr', () => {
    expect(run.log).toContain('##[error]boom\nnext');
    expect(run.log).not.toContain('::error');
    expect(run.log).not.toContain('looking around');
    expect(run.debug).toEqual(['looking around']);
    expect(run.stderr).toBe('to stderr\n');
    expect(run.log).toContain('to stderr');
  });

  it('runs post after success() with the saved state, exported env, added path and the same inputs', () => {
    expect(run.postCondition).toEqual({ expression: 'success()', result: true });
    expect(run.post?.conclusion).toBe('success');
    expect(JSON.parse(run.post?.outputs.seen ?? '')).toEqual({
      legacy: 'old way',
      file: 'kept',
      exported: 'yes',
      firstPath: '/opt/extra/bin',
      input: '2xx'
    });
    // Masks belong to the job, so the post step's log is masked too.
    expect(run.post?.log).toBe('post saw ***');
  });

  it('formats a readable report', () => {
    const report = formatRun(run);
    expect(report).toContain('exit code 0 (success)');
    expect(report).toContain('plain: a=b');
    expect(report).toContain('error a.ts:3: boom');
    expect(report).toContain('secret: ***');
    expect(report).not.toContain('s3cret');
    expect(report).toContain('post (success())');
  });

  it('skips the post step when main fails and post-if is success()', async () => {
    const failed = await runAction({ actionDir: probeDir, inputs: { exit: '3' } });
    expect(failed.exitCode).toBe(3);
    expect(failed.conclusion).toBe('failure');
    expect(failed.postCondition).toEqual({ expression: 'success()', result: false });
    expect(failed.post).toBeUndefined();
  });

  it('does not run post when runPost is false', async () => {
    const noPost = await runAction({ actionDir: probeDir, runPost: false });
    expect(noPost.postCondition).toBeUndefined();
    expect(noPost.post).toBeUndefined();
  });

  it('warns about undeclared and deprecated inputs, and still passes them on', async () => {
    const warned = await runAction({ actionDir: probeDir, inputs: { bogus: 'x', 'old-name': 'y' }, runPost: false });
    const warnings = warned.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toContain("Input 'old-name' has been deprecated with message: Use new-name.");
    expect(warnings).toContain(
      "Unexpected input(s) 'bogus', valid inputs are ['expected-status', 'my input', 'token', 'exit', 'no-default', 'old-name']"
    );
    expect(JSON.parse(warned.outputs.inputs ?? '')).toMatchObject({ INPUT_BOGUS: 'x', 'INPUT_OLD-NAME': 'y' });
  });
});

describe('post-if', () => {
  const post = `import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_OUTPUT, 'ran=yes\\n');`;
  const action = (postIf: string | undefined) =>
    makeAction(
      `name: p\ndescription: d\ninputs:\n  fail:\n    description: f\n    default: 'false'\nruns:\n  using: node24\n  main: main.mjs\n  post: post.mjs\n${postIf ? `  post-if: ${postIf}\n` : ''}`,
      { 'main.mjs': `process.exitCode = process.env.INPUT_FAIL === 'true' ? 1 : 0;`, 'post.mjs': post }
    );

  it('failure() runs post only after a failed main', async () => {
    const dir = action("failure()");
    expect((await runAction({ actionDir: dir, inputs: { fail: 'true' } })).post?.outputs).toEqual({ ran: 'yes' });
    expect((await runAction({ actionDir: dir })).post).toBeUndefined();
  });

  it('defaults to always(), as documented', async () => {
    const dir = action(undefined);
    const failed = await runAction({ actionDir: dir, inputs: { fail: 'true' } });
    expect(failed.postCondition).toEqual({ expression: 'always()', result: true });
    expect(failed.post?.outputs).toEqual({ ran: 'yes' });
  });

  it('adds an implicit success() to a condition without a status function', async () => {
    const dir = action("runner.os == 'linux'");
    expect((await runAction({ actionDir: dir })).post?.outputs).toEqual({ ran: 'yes' });
    expect((await runAction({ actionDir: dir, inputs: { fail: 'true' } })).post).toBeUndefined();
  });
});

// The harness evaluates pre-if, post-if and input defaults with GitHub's @actions/expressions; the
// status functions and the implicit success() are the harness's.
describe('evaluateCondition', () => {
  const contexts = {
    runner: { os: 'Linux' },
    github: { ref: 'refs/heads/main', event_name: 'push', event: { commits: [{ message: 'fix: a' }, { message: 'docs: b' }] } },
    env: { FLAG: 'on', COUNT: '3', CONFIG: '{"canary":{"steps":[5,25,50]}}' }
  };
  it.each([
    ['always()', 'failure', true],
    ['success()', 'success', true],
    ['success()', 'failure', false],
    ['failure()', 'failure', true],
    ['cancelled()', 'failure', false],
    ['cancelled()', 'cancelled', true],
    ['!cancelled()', 'failure', true],
    ['${{ failure() }}', 'failure', true],
    ["runner.os == 'LINUX'", 'success', true],
    ["runner.os == 'Linux'", 'failure', false],
    ["RUNNER.OS == 'linux'", 'success', true],
    ["always() && github.ref != 'refs/heads/dev'", 'failure', true],
    ["(failure() || env.FLAG == 'on') && startsWith(github.ref, 'refs/heads/')", 'success', true],
    ["contains(github.event_name, 'us')", 'success', true],
    ['!(success())', 'success', false],
    // Beyond what a hand-written evaluator did: the library's coercions, functions and filters.
    ['env.COUNT > 2', 'success', true],
    ['env.COUNT == 3.0', 'success', true],
    ["env.COUNT == '3.0'", 'success', false],
    ['fromJSON(env.CONFIG).canary.steps[1] == 25', 'success', true],
    ["contains(github.event.commits.*.message, 'docs: b')", 'success', true],
    ["join(github.event.commits.*.message, ', ') == 'fix: a, docs: b'", 'success', true],
    ["format('{0}-{1}', runner.os, env.FLAG) == 'Linux-on'", 'success', true],
    ["toJSON(github.event.commits[0]) == '{\n  \"message\": \"fix: a\"\n}'", 'success', true],
    ["case(env.FLAG == 'on', 'yes', 'no') == 'yes'", 'success', true],
    ['github.event.missing.deeper', 'success', false]
  ] as const)('%s with the job at %s is %s', (condition, status, expected) => {
    expect(evaluateCondition(condition, status, contexts)).toBe(expected);
  });

  it('rejects what it cannot evaluate, naming it, instead of guessing', () => {
    expect(() => evaluateCondition("hashFiles('x')", 'success', contexts)).toThrow("Unrecognized function: 'hashFiles'");
    expect(() => evaluateCondition('secrets.TOKEN', 'success', contexts)).toThrow("Unrecognized named-value: 'secrets'");
    expect(() => evaluateCondition('success(', 'success', contexts)).toThrow(/Unexpected end of expression/);
  });

  it("unescapes every '' of a string literal, as GitHub does", () => {
    expect(evaluateExpression("'a=''x'' b=''y'''", contexts)).toBe("a='x' b='y'");
    expect(evaluateExpression("format('{0} -f reason=''<why>''', env.FLAG)", contexts)).toBe("on -f reason='<why>'");
    expect(evaluateCondition("format('''{0}''', env.FLAG) == '''on'''", 'success', contexts)).toBe(true);
  });

  it('gives input defaults their value, and the status functions only to conditions', () => {
    expect(interpolate('${{ github.ref }} on ${{ runner.os }}', contexts)).toBe('refs/heads/main on Linux');
    expect(evaluateExpression('fromJSON(env.CONFIG).canary.steps', contexts)).toEqual([5, 25, 50]);
    expect(() => evaluateExpression('success()', contexts)).toThrow("Unrecognized function: 'success'");
  });
});

describe('runner behaviour at the edges', () => {
  it('kills a step that runs past timeoutMs and reports the timeout', async () => {
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `console.log('started'); setInterval(() => {}, 1000);`
    });
    const started = Date.now();
    // Time enough for a busy machine to start Node and print; the step would otherwise never end.
    const run = await runAction({ actionDir: dir, timeoutMs: 3_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe('SIGINT');
    expect(run.exitCode).toBe(130);
    expect(run.conclusion).toBe('failure');
    expect(run.stdout).toBe('started\n');
    expect(run.annotations).toContainEqual({ level: 'error', message: 'The action has timed out.', properties: {} });
  });

  it('fails the step on an environment file the runner cannot read, even with exit code 0', async () => {
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_OUTPUT, 'x<<EOF\\nno end\\n');`
    });
    const run = await runAction({ actionDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations.map((a) => a.message)).toEqual([
      "Unable to process file command 'output' successfully.",
      "Invalid value. Matching delimiter not found 'EOF'"
    ]);
  });

  it('honours stop-commands until the resume token', async () => {
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': ['::stop-commands::pause-token-1', '::error::not an annotation', '::pause-token-1::', '::warning::counted']
        .map((line) => `console.log(${JSON.stringify(line)});`)
        .join('\n')
    });
    const run = await runAction({ actionDir: dir });
    expect(run.annotations).toEqual([{ level: 'warning', message: 'counted', properties: {} }]);
    expect(run.log).toContain('::error::not an annotation');
  });

  it('makes an annotation file inside the workspace relative to it', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'harness-ws-'));
    made.push(workspace);
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `console.log('::warning file=' + process.cwd() + '/src/a.ts,line=1::w'); console.log(process.cwd());`
    });
    const run = await runAction({ actionDir: dir, workspace });
    expect(run.stdout.trim().split('\n').at(-1)).toBe(workspace);
    expect(run.annotations[0]?.properties).toEqual({ file: 'src/a.ts', line: '1', repo: 'octo-org/octo-repo' });
  });

  it('runs pre first and hands its state to main', async () => {
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  pre: pre.mjs\n  main: main.mjs\n', {
      'pre.mjs': `import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_STATE, 'from-pre=1\\n');`,
      'main.mjs': `console.log('state ' + process.env['STATE_from-pre']);`
    });
    const run = await runAction({ actionDir: dir });
    expect(run.pre?.state).toEqual({ 'from-pre': '1' });
    expect(run.stdout).toBe('state 1\n');
  });

  it('streams masked lines to onLine as they arrive', async () => {
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `console.log('::add-mask::hunter2'); console.log('pw hunter2'); console.error('oops');`
    });
    const lines: Array<[string, string]> = [];
    await runAction({ actionDir: dir, onLine: (line, stream) => lines.push([line, stream]) });
    expect(lines).toEqual(expect.arrayContaining([['::add-mask::***', 'stdout'], ['pw ***', 'stdout'], ['oops', 'stderr']]));
  });

  it('works with an action written against the real @actions/core 3', async () => {
    const core = pathToFileURL(join(repoRoot, 'node_modules/@actions/core/lib/core.js')).href;
    const dir = makeAction('name: t\ndescription: d\ninputs:\n  who:\n    description: w\n    default: world\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `
import * as core from ${JSON.stringify(core)};
core.setSecret('tok-123');
core.info('using tok-123');
core.setOutput('greeting', 'hello\\n' + core.getInput('who'));
core.saveState('k', 'v');
core.exportVariable('E', '1');
await core.summary.addHeading('Done').write();
core.warning('careful', { file: 'f.ts', startLine: 2, title: 'T: a, b' });
core.setFailed('it broke');
`
    });
    const run = await runAction({ actionDir: dir });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ greeting: 'hello\nworld' });
    expect(run.state).toEqual({ k: 'v' });
    expect(run.env).toEqual({ E: '1' });
    expect(run.summary).toContain('<h1>Done</h1>');
    expect(run.log).toContain('using ***');
    expect(run.annotations).toEqual([
      { level: 'warning', message: 'careful', properties: { file: 'f.ts', line: '2', title: 'T: a, b' } },
      { level: 'error', message: 'it broke', properties: {} }
    ]);
  });

  it('refuses a runtime it cannot run, with a clear error', async () => {
    for (const using of ['node12', 'docker', 'composite']) {
      const dir = makeAction(`name: t\ndescription: d\nruns:\n  using: ${using}\n  main: main.mjs\n`, { 'main.mjs': '' });
      await expect(runAction({ actionDir: dir })).rejects.toThrow(`runs.using '${using}' is not a JavaScript runtime the harness can run`);
    }
  });

  it('finds a Node 24 for node24, and a Node 20 for node20 or says there is none', () => {
    expect(resolveNodeRuntime('node24')).toMatch(/node$/);
    try {
      expect(resolveNodeRuntime('node20')).toMatch(/node$/);
    } catch (error) {
      expect(String(error)).toMatch(/needs a Node 20 binary/);
    }
  });

  it('uses the workspace given and leaves it in place', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'harness-ws-'));
    made.push(workspace);
    mkdirSync(join(workspace, 'sub'));
    const dir = makeAction('name: t\ndescription: d\nruns:\n  using: node24\n  main: main.mjs\n', {
      'main.mjs': `import { readdirSync } from 'node:fs'; console.log(readdirSync('.').join(','));`
    });
    const run = await runAction({ actionDir: dir, workspace });
    expect(run.stdout).toBe('sub\n');
  });
});
