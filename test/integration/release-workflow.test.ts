// The release workflow's own scripts (the version guard, the tags), taken from
// .github/workflows/release.yml and run with bash as the runner runs a step, in a clone of a real
// git repository made in a temp dir, with a bare repository as its origin. The clone holds a reusable
// workflow that uses ./actions/health-check and the release script, as this repository does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const workflow = parseYaml(readFileSync(join(repoRoot, '.github/workflows/release.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Array<{ name?: string; run?: string }> }>;
};
const REPOSITORY = 'octo-org/deploy-actions';
const WORKFLOW = 'on: workflow_call\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./actions/health-check\n        with:\n          url: https://example.com\n';
const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };

function script(job: string, name: string): string {
  const step = workflow.jobs[job]?.steps.find((s) => s.name === name);
  if (!step?.run) throw new Error(`no step "${name}" with run: in jobs.${job}`);
  return step.run;
}

let scratch: string;
let origin: string;
let clone: string;
let head: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();

/** One step's script through `bash --noprofile --norc -eo pipefail`, as the runner runs `run:`. */
function runStep(job: string, name: string, env: Record<string, string>) {
  const file = join(scratch, 'step.sh');
  writeFileSync(file, script(job, name));
  const output = join(scratch, 'output');
  const summary = join(scratch, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd: clone,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_SHA: head, GITHUB_REPOSITORY: REPOSITORY, ...env }
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'release-workflow-'));
  origin = join(scratch, 'origin.git');
  git(scratch, 'init', '-q', '--bare', '-b', 'main', origin);
  clone = join(scratch, 'clone');
  git(scratch, 'clone', '-q', origin, clone);
  mkdirSync(join(clone, 'scripts'));
  cpSync(join(repoRoot, 'scripts/release.ts'), join(clone, 'scripts/release.ts'));
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  mkdirSync(join(clone, '.github/workflows'), { recursive: true });
  writeFileSync(join(clone, '.github/workflows/check.yml'), WORKFLOW);
  mkdirSync(join(clone, 'examples/seed'), { recursive: true });
  writeFileSync(join(clone, 'examples/seed/check.yml'), WORKFLOW);
  writeFileSync(join(clone, '.gitignore'), 'node_modules\n');
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', 'first');
  git(clone, 'push', '-q', 'origin', 'main');
  head = git(clone, 'rev-parse', 'HEAD');
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the version guard', () => {
  it('passes vX.Y.Z on as an output', () => {
    const run = runStep('test', 'The version is vMAJOR.MINOR.PATCH', { VERSION: 'v2.1.0' });
    expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: 'version=v2.1.0\n' });
  });

  it('stops anything else with one error line that does not repeat what it was given', () => {
    for (const version of ['2.1.0', 'v2.1', 'v2.1.0 ', 'v2.1.0\n::warning::x', 'v2.1.0;touch pwned', '$(touch pwned)', '']) {
      const run = runStep('test', 'The version is vMAJOR.MINOR.PATCH', { VERSION: version });
      expect({ version, code: run.code, stdout: run.stdout, output: run.output }).toEqual({
        version,
        code: 1,
        stdout: '::error::the version must be vMAJOR.MINOR.PATCH, for example v2.1.0\n',
        output: ''
      });
    }
    expect(spawnSync('test', ['-e', join(clone, 'pwned')]).status).toBe(1);
  });
});

const TAG_STEP = "The annotated tag, on the workflows pinned to this release's actions";

describe('the tags', () => {
  it('a dispatched release tags, annotated, a commit on top of the one released whose workflows use that release of the actions', () => {
    const run = runStep('release', TAG_STEP, { VERSION: 'v2.0.0', EVENT: 'workflow_dispatch' });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `pinned to ${REPOSITORY} v2.0.0: .github/workflows/check.yml, examples/seed/check.yml\n` });
    expect(git(origin, 'cat-file', '-t', 'v2.0.0')).toBe('tag');
    expect(git(origin, 'rev-parse', 'v2.0.0^{commit}^')).toBe(head);
    for (const file of ['.github/workflows/check.yml', 'examples/seed/check.yml']) {
      expect(git(origin, 'show', `v2.0.0:${file}`)).toBe(WORKFLOW.replace('./actions/health-check', `${REPOSITORY}/actions/health-check@v2.0.0`).trimEnd());
    }
    expect(git(origin, 'log', '-1', '--format=%B', 'v2.0.0^{commit}')).toContain(`Pinned-From: ${head}`);
    // main keeps ./actions: the pinned commit is on no branch.
    expect(git(origin, 'rev-parse', 'main')).toBe(head);
  });

  it('a dispatched release of a version that exists stops and leaves the tag alone', () => {
    const before = git(origin, 'rev-parse', 'v2.0.0');
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'second');
    const run = runStep('release', TAG_STEP, { VERSION: 'v2.0.0', EVENT: 'workflow_dispatch', GITHUB_SHA: git(clone, 'rev-parse', 'HEAD') });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: '::error::v2.0.0 already exists; a release tag is never moved: release a new version\n' });
    expect(git(origin, 'rev-parse', 'v2.0.0')).toBe(before);
  });

  it('a pushed tag must be annotated, on workflows pinned to its own actions', () => {
    git(clone, 'tag', 'v2.0.1');
    git(clone, 'push', '-q', 'origin', 'refs/tags/v2.0.1');
    const run = runStep('release', TAG_STEP, { VERSION: 'v2.0.1', EVENT: 'push' });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "::error::v2.0.1 is a lightweight tag; push an annotated one: git tag -a v2.0.1 -m 'v2.0.1'\n" });
    git(clone, 'tag', '-a', 'v2.0.3', '-m', 'v2.0.3', head);
    git(clone, 'push', '-q', 'origin', 'refs/tags/v2.0.3');
    const unpinned = runStep('release', TAG_STEP, { VERSION: 'v2.0.3', EVENT: 'push' });
    expect({ code: unpinned.code, stderr: unpinned.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/^::error::\.github\/workflows\/check\.yml, examples\/seed\/check\.yml still use \.\/actions or \.\/\.github\/workflows/) });
    // Pinned by hand, as the error says, then tagged.
    git(clone, 'checkout', '-q', '--detach', head);
    execFileSync('node', ['scripts/release.ts', 'pin', 'v2.0.2', '--repository', REPOSITORY], { cwd: clone, encoding: 'utf8' });
    git(clone, 'commit', '-q', '-am', 'release v2.0.2');
    git(clone, 'tag', '-a', 'v2.0.2', '-m', 'v2.0.2');
    git(clone, 'push', '-q', 'origin', 'refs/tags/v2.0.2');
    expect(runStep('release', TAG_STEP, { VERSION: 'v2.0.2', EVENT: 'push' }).code).toBe(0);
  });

  it('moves the major tag to the release, or says why it stays', () => {
    const moved = runStep('release', 'The major tag', { VERSION: 'v2.0.2', MAJOR: 'v2', MOVE_MAJOR: 'true' });
    expect({ code: moved.code, summary: moved.summary }).toEqual({ code: 0, summary: 'v2 now points at v2.0.2\n' });
    expect(git(origin, 'rev-parse', 'v2^{commit}')).toBe(git(origin, 'rev-parse', 'v2.0.2^{commit}'));
    const kept = runStep('release', 'The major tag', { VERSION: 'v2.0.0', MAJOR: 'v2', MOVE_MAJOR: 'false' });
    expect({ code: kept.code, stdout: kept.stdout }).toEqual({ code: 0, stdout: '::notice::v2 stays where it is: a higher v2 release exists\n' });
    expect(git(origin, 'rev-parse', 'v2^{commit}')).toBe(git(origin, 'rev-parse', 'v2.0.2^{commit}'));
  });
});
