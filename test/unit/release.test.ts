// The release's version checks and release notes, against real git repositories made in a temp dir,
// and the list of actions published to Marketplace against the actions the repository has.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkVersion, groupCommits, rewriteReadme, movesMajor, parseVersion, pinActionReferences, pinWorkflows, previousTag, readTargets, releaseNotes, ReleaseError, actionNames, sourceCommit } from '../../scripts/release.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
const commit = (subject: string) => git('commit', '-q', '--allow-empty', '-m', subject);
const sha = (ref: string) => git('rev-parse', '--short=7', `${ref}^{commit}`);

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-notes-'));
  git('init', '-q', '-b', 'main');
  for (const name of ['smoke-test', 'health-check']) {
    mkdirSync(join(repo, 'actions', name), { recursive: true });
    writeFileSync(join(repo, 'actions', name, 'action.yml'), `name: ${name}\n`);
  }
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'x', version: '2.1.0' }));
  git('add', '-A');
  commit('health-check: the first probe');
  git('tag', '-a', 'v2.0.0', '-m', 'v2.0.0');
  git('tag', '-a', 'v2', '-m', 'v2');
  commit('smoke-test: captures across needs');
  commit('deps: yaml 2.9');
  // A branch merged back: its commit counts once, the merge commit not at all.
  git('checkout', '-q', '-b', 'side');
  commit('health-check: Retry-After honoured');
  git('checkout', '-q', 'main');
  commit('README: Releasing');
  git('merge', '-q', '--no-ff', '-m', "Merge branch 'side'", 'side');
  commit('a subject without an area');
  git('tag', 'v2.1.0-rc.1');
  git('tag', '-a', 'v2.1.0', '-m', 'v2.1.0');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('versions', () => {
  it('accepts vMAJOR.MINOR.PATCH and names its major', () => {
    expect(parseVersion('v2.10.3')).toEqual({ tag: 'v2.10.3', major: 'v2', numbers: [2, 10, 3] });
  });

  it('refuses anything else in one line that says what is expected', () => {
    for (const bad of ['2.1.0', 'v2.1', 'v2.1.0-rc.1', 'v2.1.0\n', 'v2.1.0; echo x', '$(id)', '']) {
      expect(() => parseVersion(bad)).toThrow(ReleaseError);
      expect(() => parseVersion(bad)).toThrow(/is not a release version: expected vMAJOR\.MINOR\.PATCH, for example v2\.1\.0$/);
    }
  });

  it("holds the version to package.json's", () => {
    expect(checkVersion(repo, 'v2.1.0')).toEqual({ major: 'v2', moveMajor: true });
    expect(() => checkVersion(repo, 'v2.2.0')).toThrow('version v2.2.0 does not match package.json\'s "version": "2.1.0"; set it to "2.2.0" and commit first');
  });

  it('moves the major tag only to the highest release of that major', () => {
    expect(movesMajor(repo, 'v2.1.0')).toBe(true);
    expect(movesMajor(repo, 'v2.0.5')).toBe(false);
    expect(movesMajor(repo, 'v2.2.0')).toBe(true);
    expect(movesMajor(repo, 'v3.0.0')).toBe(true);
  });

  it('finds the previous release among the tags the release contains, not the moving v2 or a pre-release', () => {
    expect(previousTag(repo, 'v2.1.0')).toBe('v2.0.0');
    expect(previousTag(repo, 'v2.0.0')).toBeUndefined();
  });
});

describe('release notes', () => {
  it('list the commits since the previous release by area, actions first, merges left out', () => {
    expect(releaseNotes(repo, 'v2.1.0')).toBe(expectedNotes());
  });

  it('of the first release list everything', () => {
    expect(releaseNotes(repo, 'v2.0.0')).toBe(['## v2.0.0', '', 'The first release (1 commit).', '', '### health-check', '', `- the first probe (${sha('v2.0.0')})`, ''].join('\n'));
  });

  it('say so when nothing changed', () => {
    git('tag', '-a', 'v2.1.1', '-m', 'v2.1.1', 'v2.1.0^{commit}');
    try {
      expect(releaseNotes(repo, 'v2.1.1')).toBe('## v2.1.1\n\nChanges since v2.1.0 (0 commits).\n\nNo changes since v2.1.0.\n');
    } finally {
      git('tag', '-d', 'v2.1.1');
    }
  });

  it('group by the area before the colon, in the order of the actions folder', () => {
    const groups = groupCommits(
      [
        { sha: '1', subject: 'zeta: z' },
        { sha: '2', subject: 'smoke-test: s' },
        { sha: '3', subject: 'a sentence: not an area' },
        { sha: '4', subject: 'health-check: h' },
        { sha: '5', subject: 'alpha/beta: a' }
      ],
      ['health-check', 'smoke-test']
    );
    expect(groups.map((group) => [group.title, group.commits.map((c) => c.sha)])).toEqual([
      ['health-check', ['4']],
      ['smoke-test', ['2']],
      ['alpha/beta', ['5']],
      ['zeta', ['1']],
      ['Other changes', ['3']]
    ]);
  });
});

/** The notes of v2.1.0 as a reader sees them, with the short SHAs of the temp repository. */
function expectedNotes(): string {
  const log = git('log', '--no-merges', '--reverse', '--format=%h %s', '--abbrev=7', 'v2.0.0..v2.1.0').split('\n');
  const shaOf = (subject: string) => log.find((line) => line.endsWith(` ${subject}`))!.split(' ')[0];
  return [
    '## v2.1.0',
    '',
    'Changes since v2.0.0 (5 commits).',
    '',
    '### health-check',
    '',
    `- Retry-After honoured (${shaOf('health-check: Retry-After honoured')})`,
    '',
    '### smoke-test',
    '',
    `- captures across needs (${shaOf('smoke-test: captures across needs')})`,
    '',
    '### deps',
    '',
    `- yaml 2.9 (${shaOf('deps: yaml 2.9')})`,
    '',
    '### README',
    '',
    `- Releasing (${shaOf('README: Releasing')})`,
    '',
    '### Other changes',
    '',
    `- a subject without an area (${shaOf('a subject without an area')})`,
    ''
  ].join('\n');
}

describe('the actions published to Marketplace', () => {
  // Every action gets a repository of its own, so the list must name each one: an action left out
  // would never reach Marketplace, a name without a folder would fail the release.
  it('are exactly the actions of the repository, each with a repository of its own', () => {
    const targets = readTargets(repoRoot);
    expect(targets.map((target) => target.action).sort()).toEqual(actionNames(repoRoot));
    expect(new Set(targets.map((target) => target.repository)).size).toBe(targets.length);
  });
});

describe("an action's README in its own repository", () => {
  const options = { owner: 'octo-org', repository: 'deploy-actions-smoke-test', source: 'octo-org/deploy-actions', version: 'v2.1.0' };

  it('uses the repository of its own and links into the source at the release for files outside the action', () => {
    const readme = [
      '- uses: <owner>/deploy-actions/actions/smoke-test@v2',
      "  uses: 'octo-org/deploy-actions/actions/smoke-test@v2.1.0'",
      '- uses: octo-org/deploy-actions/actions/health-check@v2',
      'See [the schema](../../schemas/smoke-test.schema.json), [proxies](../health-check/README.md#proxies), [here](./docs/x.md) and [the site](https://example.com/a).'
    ].join('\n');
    expect(rewriteReadme(readme, 'smoke-test', options).split('\n')).toEqual([
      '- uses: octo-org/deploy-actions-smoke-test@v2',
      "  uses: 'octo-org/deploy-actions-smoke-test@v2.1.0'",
      '- uses: octo-org/deploy-actions/actions/health-check@v2',
      'See [the schema](https://github.com/octo-org/deploy-actions/blob/v2.1.0/schemas/smoke-test.schema.json), [proxies](https://github.com/octo-org/deploy-actions/blob/v2.1.0/actions/health-check/README.md#proxies), [here](https://github.com/octo-org/deploy-actions/blob/v2.1.0/actions/smoke-test/docs/x.md) and [the site](https://example.com/a).'
    ]);
  });
});

describe('the released workflows name the actions of their own release', () => {
  const options = { owner: 'acme', repo: 'deploy-actions', version: 'v2.1.0' };

  it('rewrites every uses: ./actions/<name> and ./.github/workflows/<file> to owner/repo/…@vX.Y.Z, and nothing else', () => {
    const workflow = [
      'jobs:',
      '  deploy:',
      '    uses: ./.github/workflows/deploy-cloudflare.yml',
      '  check:',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - uses: ./actions/health-check',
      '        with:',
      '          url: https://example.com # uses: ./actions/smoke-test in a comment stays',
      "      - uses: './actions/smoke-test'",
      '      - name: key',
      '        uses: "./actions/build-cache-key/"   # the key',
      '      - uses: acme/deploy-actions/actions/rollback@v2.0.0',
      '      - uses: ./scripts/local-action',
      '      - run: |',
      '          echo "uses: ./actions/canary-shift"'
    ].join('\n');
    expect(pinActionReferences(workflow, options).split('\n')).toEqual([
      'jobs:',
      '  deploy:',
      '    uses: acme/deploy-actions/.github/workflows/deploy-cloudflare.yml@v2.1.0',
      '  check:',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '      - uses: acme/deploy-actions/actions/health-check@v2.1.0',
      '        with:',
      '          url: https://example.com # uses: ./actions/smoke-test in a comment stays',
      "      - uses: 'acme/deploy-actions/actions/smoke-test@v2.1.0'",
      '      - name: key',
      '        uses: "acme/deploy-actions/actions/build-cache-key@v2.1.0"   # the key',
      '      - uses: acme/deploy-actions/actions/rollback@v2.0.0',
      '      - uses: ./scripts/local-action',
      '      - run: |',
      '          echo "uses: ./actions/canary-shift"'
    ]);
    // Pinned once, it stays as it is.
    expect(pinActionReferences(pinActionReferences(workflow, options), { ...options, version: 'v2.2.0' })).toBe(pinActionReferences(workflow, options));
  });

  it('takes only a release version (never the moving v2) and an owner/name', () => {
    expect(() => pinActionReferences('uses: ./actions/x', { ...options, version: 'v2' })).toThrow('version "v2" is not a release version');
    expect(() => pinActionReferences('uses: ./actions/x', { ...options, owner: 'a b' })).toThrow('repository "a b/deploy-actions" is not owner/name');
  });

  it("pins the repository's own workflows in place, and --check fails naming the files left to pin", () => {
    const copy = mkdtempSync(join(tmpdir(), 'release-pin-'));
    try {
      mkdirSync(join(copy, '.github', 'workflows'), { recursive: true });
      for (const name of ['deploy-cloudflare.yml', 'monitor.yml', 'ci.yml']) {
        writeFileSync(join(copy, '.github', 'workflows', name), readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8'));
      }
      expect(() => pinWorkflows(copy, { ...options, check: true })).toThrow(
        /^\.github\/workflows\/ci\.yml, \.github\/workflows\/deploy-cloudflare\.yml, \.github\/workflows\/monitor\.yml still use \.\/actions or \.\/\.github\/workflows/
      );
      expect(pinWorkflows(copy, options)).toEqual(['.github/workflows/ci.yml', '.github/workflows/deploy-cloudflare.yml', '.github/workflows/monitor.yml']);
      const pinned = readFileSync(join(copy, '.github/workflows/deploy-cloudflare.yml'), 'utf8');
      expect(pinned).not.toMatch(/uses:\s*['"]?\.\//);
      expect(pinned).toContain('uses: acme/deploy-actions/actions/canary-shift@v2.1.0');
      expect(pinWorkflows(copy, { ...options, check: true })).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("pins the examples too, leaving an example's calls to its own workflows as they are", () => {
    const copy = mkdtempSync(join(tmpdir(), 'release-pin-examples-'));
    try {
      mkdirSync(join(copy, '.github', 'workflows'), { recursive: true });
      mkdirSync(join(copy, 'examples', 'seed'), { recursive: true });
      const caller = ['on: push', 'jobs:', '  ci:', '    uses: ./.github/workflows/deploy.yml', '  cloudflare:', '    uses: ./.github/workflows/deploy-cloudflare.yml', '  check:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: ./actions/health-check', ''].join('\n');
      writeFileSync(join(copy, 'examples/seed/ci.yml'), caller);
      writeFileSync(join(copy, 'examples/seed/deploy.yml'), 'on: workflow_call\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo deploy\n');
      writeFileSync(join(copy, 'examples/seed/smoke.yml'), 'tests:\n  - name: t\n    request: { url: / }\n');
      expect(pinWorkflows(copy, options)).toEqual(['examples/seed/ci.yml']);
      expect(readFileSync(join(copy, 'examples/seed/ci.yml'), 'utf8').split('\n').filter((line) => line.includes('uses:'))).toEqual([
        '    uses: ./.github/workflows/deploy.yml',
        '    uses: acme/deploy-actions/.github/workflows/deploy-cloudflare.yml@v2.1.0',
        '      - uses: acme/deploy-actions/actions/health-check@v2.1.0'
      ]);
      expect(pinWorkflows(copy, { ...options, check: true })).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('release commits that pin the workflows (on no branch) still find the previous release, and stay out of the notes', () => {
    const other = mkdtempSync(join(tmpdir(), 'release-pinned-'));
    const run = (...args: string[]) => execFileSync('git', args, { cwd: other, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
    /** A release as the release workflow makes it: a commit of the pinned workflows on top of main's, tagged. */
    const release = (version: string) => {
      const source = run('rev-parse', 'HEAD');
      run('checkout', '-q', '--detach');
      run('commit', '-q', '--allow-empty', '-m', `release ${version}: the workflows use the actions of ${version}`, '-m', `Pinned-From: ${source}`);
      run('tag', '-a', version, '-m', version);
      run('checkout', '-q', 'main');
      return source;
    };
    try {
      run('init', '-q', '-b', 'main');
      run('commit', '-q', '--allow-empty', '-m', 'health-check: the first probe');
      const first = release('v2.0.0');
      run('commit', '-q', '--allow-empty', '-m', 'smoke-test: captures');
      const second = release('v2.1.0');
      expect([sourceCommit(other, 'v2.0.0'), sourceCommit(other, 'v2.1.0')]).toEqual([first, second]);
      expect(previousTag(other, 'v2.1.0')).toBe('v2.0.0');
      const notes = releaseNotes(other, 'v2.1.0');
      expect(notes).toContain('Changes since v2.0.0 (1 commit).');
      expect(notes).toContain('### smoke-test');
      expect(notes).not.toContain('release v2');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
