// The release's steps that are more than one git command, run by .github/workflows/release.yml and
// tested against real git repositories (test/unit/release.test.ts). Only erasable TypeScript, so
// Node 24 runs the file as is:
//   node scripts/release.ts check <vX.Y.Z>          major=… and move-major=… lines for $GITHUB_OUTPUT
//   node scripts/release.ts notes <vX.Y.Z>          release notes (markdown) from git log since the previous tag
//   node scripts/release.ts targets                 targets=<JSON> for the publish matrix
//   node scripts/release.ts publish <action> <vX.Y.Z> --remote <git URL> --owner <owner> --source <owner/repo>
//   node scripts/release.ts pin <vX.Y.Z> --repository <owner/repo> [--check]
//                                                   .github/workflows/*.yml: uses: ./actions/<name> → <owner/repo>/actions/<name>@<vX.Y.Z>
// Every git command gets its arguments as an array: a version, an action name or a URL is never
// pasted into a shell line.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');

/** A release version as the tags spell it. */
export const VERSION_PATTERN = /^v(\d+)\.(\d+)\.(\d+)$/;

/** A problem the person releasing must fix: printed as one line, without a stack trace. */
export class ReleaseError extends Error {}

export interface Version {
  tag: string;
  major: string;
  numbers: [number, number, number];
}

export function parseVersion(text: string): Version {
  const match = VERSION_PATTERN.exec(text);
  if (!match) throw new ReleaseError(`version "${text}" is not a release version: expected vMAJOR.MINOR.PATCH, for example v2.1.0`);
  const numbers = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number];
  return { tag: text, major: `v${numbers[0]}`, numbers };
}

function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! - b.numbers[i]!;
  return 0;
}

function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The release tags of a repository (vX.Y.Z only: the moving v2 is not one), optionally only those reachable from `ref`. */
export function releaseTags(cwd: string, mergedInto?: string): Version[] {
  const args = ['tag', '--list', 'v*', ...(mergedInto ? ['--merged', mergedInto] : [])];
  return git(cwd, args)
    .split('\n')
    .filter((tag) => VERSION_PATTERN.test(tag))
    .map(parseVersion)
    .sort(compareVersions);
}

/** The trailer a release commit (the workflows pinned, see pinActionReferences) names its source commit with. */
export const PINNED_FROM = 'Pinned-From';

/**
 * The commit a release was made from: the tag's commit, or, when that is the release commit that
 * pins the workflows (a child of the source that no branch holds), the commit its Pinned-From names.
 */
export function sourceCommit(cwd: string, tag: string): string {
  const commit = git(cwd, ['rev-parse', `${tag}^{commit}`]).trim();
  const pinnedFrom = git(cwd, ['log', '-1', `--format=%(trailers:key=${PINNED_FROM},valueonly)`, commit]).trim();
  return /^[0-9a-f]{40}$/.test(pinnedFrom) ? pinnedFrom : commit;
}

function isAncestor(cwd: string, ancestor: string, descendant: string): boolean {
  try {
    git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

/** The highest release below `version` whose source the release's source contains: the changes since it are this release's. */
export function previousTag(cwd: string, version: string): string | undefined {
  const current = parseVersion(version);
  const source = sourceCommit(cwd, current.tag);
  return releaseTags(cwd)
    .filter((tag) => compareVersions(tag, current) < 0 && isAncestor(cwd, sourceCommit(cwd, tag.tag), source))
    .at(-1)?.tag;
}

/**
 * Whether the major tag (v2) should move to `version`: not when a higher release of the same major
 * exists, so that a patch of an older line (v2.0.5 after v2.1.0) does not take v2 users back.
 */
export function movesMajor(cwd: string, version: string): boolean {
  const current = parseVersion(version);
  return !releaseTags(cwd).some((tag) => tag.numbers[0] === current.numbers[0] && compareVersions(tag, current) > 0);
}

/** The version's line in package.json must match: the npm package (the CLI) carries that number. */
export function checkVersion(cwd: string, version: string): { major: string; moveMajor: boolean } {
  const parsed = parseVersion(version);
  const packageVersion = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version?: string }).version;
  if (`v${packageVersion}` !== parsed.tag) {
    throw new ReleaseError(`version ${parsed.tag} does not match package.json's "version": "${packageVersion}"; set it to "${parsed.tag.slice(1)}" and commit first`);
  }
  return { major: parsed.major, moveMajor: movesMajor(cwd, parsed.tag) };
}

export interface Commit {
  sha: string;
  subject: string;
}

/** Commits (merges left out: they repeat what they merge) in `from..to`, or all of `to` when `from` is undefined; oldest first. */
export function commitsBetween(cwd: string, from: string | undefined, to: string): Commit[] {
  const range = from ? `${from}..${to}` : to;
  return git(cwd, ['log', '--no-merges', '--reverse', '--format=%H%x1f%s%x1e', range, '--'])
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [sha = '', subject = ''] = record.split('\x1f');
      return { sha, subject };
    });
}

/** The actions of the repository, in the order the README lists them (folder order). */
export function actionNames(cwd: string): string[] {
  const dir = join(cwd, 'actions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

const OTHER = 'Other changes';

/**
 * Commits grouped by the area their subject names before the colon ("smoke-test: …", "deps: …"):
 * the actions first, then the other areas alphabetically, then subjects that name none.
 */
export function groupCommits(commits: readonly Commit[], actions: readonly string[]): Array<{ title: string; commits: Commit[] }> {
  const groups = new Map<string, Commit[]>();
  for (const commit of commits) {
    const area = /^([\w.-]+(?:\/[\w.-]+)*): \S/.exec(commit.subject)?.[1] ?? OTHER;
    groups.set(area, [...(groups.get(area) ?? []), commit]);
  }
  const rank = (title: string) => (actions.includes(title) ? 0 : title === OTHER ? 2 : 1);
  return [...groups.entries()]
    .map(([title, list]) => ({ title, commits: list }))
    .sort((a, b) => rank(a.title) - rank(b.title) || (rank(a.title) === 0 ? actions.indexOf(a.title) - actions.indexOf(b.title) : a.title.localeCompare(b.title)));
}

/** The release notes of `version` (a tag that exists): the commits since the previous release, by area. */
export function releaseNotes(cwd: string, version: string): string {
  const { tag } = parseVersion(version);
  const previous = previousTag(cwd, tag);
  // The release commit that pins the workflows is not a change of its own.
  const commits = commitsBetween(cwd, previous, sourceCommit(cwd, tag));
  const lines = [`## ${tag}`, ''];
  const count = `${commits.length} commit${commits.length === 1 ? '' : 's'}`;
  lines.push(previous ? `Changes since ${previous} (${count}).` : `The first release (${count}).`, '');
  if (commits.length === 0) lines.push(`No changes since ${previous}.`, '');
  for (const group of groupCommits(commits, actionNames(cwd))) {
    lines.push(`### ${group.title}`, '');
    for (const commit of group.commits) {
      const subject = group.title === OTHER ? commit.subject : commit.subject.slice(group.title.length + 2);
      lines.push(`- ${subject} (${commit.sha.slice(0, 7)})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export interface Target {
  /** The folder under actions/. */
  action: string;
  /** The repository that lists it on Marketplace, under the same owner. */
  repository: string;
}

export const TARGETS_FILE = '.github/marketplace-targets.json';

export function readTargets(cwd: string): Target[] {
  const targets = JSON.parse(readFileSync(join(cwd, TARGETS_FILE), 'utf8')) as Target[];
  for (const target of targets) {
    if (!/^[a-z0-9-]+$/.test(target.action) || !/^[A-Za-z0-9._-]+$/.test(target.repository)) {
      throw new ReleaseError(`${TARGETS_FILE}: ${JSON.stringify(target)} needs an "action" (a folder under actions/) and a "repository" (a repository name)`);
    }
    if (!existsSync(join(cwd, 'actions', target.action, 'action.yml'))) throw new ReleaseError(`${TARGETS_FILE}: actions/${target.action}/action.yml does not exist`);
  }
  return targets;
}

export interface StageOptions {
  /** The owner of the target repository, for the README's `uses:` lines. */
  owner: string;
  repository: string;
  /** owner/name of this repository, for links the README makes to files outside the action. */
  source: string;
  version: string;
}

/**
 * The files of one action's own repository, written into `dir`: action.yml at the root (the one
 * Marketplace reads) running dist/…, the action's bundles as dist/, and its README with `uses:`
 * lines and relative links made right for that repository.
 */
export function stageAction(cwd: string, action: string, dir: string, options: StageOptions): void {
  const bundles = join(cwd, 'dist', action);
  if (!existsSync(join(bundles, 'main', 'index.js'))) throw new ReleaseError(`dist/${action}/main/index.js does not exist: run npm run build`);
  const metadataText = readFileSync(join(cwd, 'actions', action, 'action.yml'), 'utf8');
  const metadata = parseYaml(metadataText) as { runs?: Record<string, unknown> };
  const prefix = `../../dist/${action}/`;
  const rewritten = metadataText.replaceAll(prefix, 'dist/');
  const runs = (parseYaml(rewritten) as { runs?: Record<string, unknown> }).runs ?? {};
  for (const key of ['main', 'pre', 'post'] as const) {
    const value = metadata.runs?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.startsWith(prefix) || runs[key] !== `dist/${value.slice(prefix.length)}`) {
      throw new ReleaseError(`actions/${action}/action.yml: runs.${key} must be ${prefix}…, not ${JSON.stringify(value)}`);
    }
  }
  writeFileSync(join(dir, 'action.yml'), rewritten);
  cpSync(bundles, join(dir, 'dist'), { recursive: true });
  const readmePath = join(cwd, 'actions', action, 'README.md');
  if (existsSync(readmePath)) writeFileSync(join(dir, 'README.md'), rewriteReadme(readFileSync(readmePath, 'utf8'), action, options));
  if (existsSync(join(cwd, 'LICENSE'))) cpSync(join(cwd, 'LICENSE'), join(dir, 'LICENSE'));
}

/** `<owner>/deploy-actions/actions/<name>@v2` becomes `<owner>/<repository>@v2`; `](../x)` a link into the source at the release's tag. */
export function rewriteReadme(readme: string, action: string, options: StageOptions): string {
  const sourceName = options.source.split('/')[1] ?? options.source;
  const uses = new RegExp(`[^\\s/'"]+/${sourceName}/actions/${action}@`, 'g');
  return readme
    .replace(uses, `${options.owner}/${options.repository}@`)
    .replace(/\]\((\.{1,2}\/[^)\s]*)\)/g, (_, link: string) => `](https://github.com/${options.source}/blob/${options.version}/${posix.join('actions', action, link)})`);
}

export interface PublishOptions extends StageOptions {
  /** The target repository's git URL (a path in tests). */
  remote: string;
  /** The commit of this repository the release is made from, named in the target's commit message. */
  sourceSha: string;
  /** Whether the major tag moves too (see movesMajor). */
  moveMajor: boolean;
  /** A token that may push to the remote (https://github.com/… only); never written to disk or argv. */
  token?: string;
  branch?: string;
}

const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/**
 * Publishes one action to its own repository: a commit on its branch with the staged files, the
 * annotated vX.Y.Z on it and the major tag moved there, pushed in one atomic push. Running it again
 * for a version already published with the same files changes nothing; with other files it refuses.
 */
export function publishAction(cwd: string, action: string, options: PublishOptions): { commit: string; changed: boolean } {
  const { tag, major } = parseVersion(options.version);
  const branch = options.branch ?? 'main';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: BOT.name,
    GIT_AUTHOR_EMAIL: BOT.email,
    GIT_COMMITTER_NAME: BOT.name,
    GIT_COMMITTER_EMAIL: BOT.email,
    GIT_TERMINAL_PROMPT: '0'
  };
  if (options.token) {
    // As actions/checkout does, but through the environment: the header lives only in this process's children.
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    console.log(`::add-mask::${basic}`);
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader', GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}` });
  }
  const work = mkdtempSync(join(tmpdir(), `publish-${action}-`));
  try {
    const run = (args: readonly string[]) => git(work, args, env);
    run(['init', '-q']);
    run(['remote', 'add', 'origin', options.remote]);
    const remoteRefs = run(['ls-remote', 'origin']);
    const hasBranch = remoteRefs.split('\n').some((line) => line.endsWith(`\trefs/heads/${branch}`));
    const hasTag = remoteRefs.split('\n').some((line) => line.endsWith(`\trefs/tags/${tag}`));
    if (hasBranch) {
      run(['fetch', '-q', 'origin', `refs/heads/${branch}:refs/remotes/origin/${branch}`]);
      run(['checkout', '-q', '-B', branch, `origin/${branch}`]);
    } else run(['checkout', '-q', '--orphan', branch]);
    // The target holds this action only: whatever an earlier release had and this one has not goes.
    for (const entry of readdirSync(work)) if (entry !== '.git') rmSync(join(work, entry), { recursive: true, force: true });
    stageAction(cwd, action, work, options);
    run(['add', '-A']);
    const changed = !hasBranch || run(['status', '--porcelain']).trim() !== '';

    if (hasTag) {
      run(['fetch', '-q', 'origin', `refs/tags/${tag}:refs/tags/${tag}`]);
      const publishedTree = run(['rev-parse', `${tag}^{tree}`]).trim();
      const stagedTree = run(['write-tree']).trim();
      if (publishedTree !== stagedTree) throw new ReleaseError(`${options.remote} already has ${tag} with other files; a release tag is never rewritten: release a new version`);
      const hasMajor = remoteRefs.split('\n').some((line) => line.endsWith(`\trefs/tags/${major}`));
      if (hasMajor) run(['fetch', '-q', 'origin', `refs/tags/${major}:refs/tags/${major}`]);
      const majorThere = hasMajor && run(['rev-parse', `${major}^{commit}`]).trim() === run(['rev-parse', `${tag}^{commit}`]).trim();
      if (options.moveMajor && !majorThere) {
        run(['tag', '-f', '-a', major, '-m', `${action} ${major} → ${tag}`, `${tag}^{commit}`]);
        run(['push', '-q', '--force', 'origin', `refs/tags/${major}`]);
      }
      return { commit: run(['rev-parse', `${tag}^{commit}`]).trim(), changed: false };
    }

    if (changed) run(['commit', '-q', '-m', `${action} ${tag}\n\nFrom ${options.source}@${options.sourceSha}`]);
    run(['tag', '-a', tag, '-m', `${action} ${tag}`]);
    const refs = [`refs/heads/${branch}`, `refs/tags/${tag}`];
    if (options.moveMajor) {
      run(['tag', '-f', '-a', major, '-m', `${action} ${major} → ${tag}`, `${tag}^{commit}`]);
      refs.push(`+refs/tags/${major}`);
    }
    run(['push', '-q', '--atomic', 'origin', ...refs]);
    return { commit: run(['rev-parse', 'HEAD']).trim(), changed };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface PinOptions {
  owner: string;
  repo: string;
  /** The release, vX.Y.Z: a released workflow runs the actions of its own release, never a moving tag. */
  version: string;
  /** Workflow file names that stay `./.github/workflows/<name>`: an example's own workflows, copied beside it into the user's repository. */
  ownWorkflows?: ReadonlySet<string>;
}

// `uses: ./actions/<name>` and `uses: ./.github/workflows/<file>` on a line of their own (a list item
// or a key), quoted or not, with a comment after or not.
const LOCAL_USES = /^(\s*(?:-\s+)?uses:\s*)(['"]?)\.\/((?:actions\/[A-Za-z0-9._-]+|\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml))\/?\2(\s*(?:#.*)?)$/gm;

/**
 * A workflow of this repository as it is released: each `uses: ./actions/<name>` becomes
 * `<owner>/<repo>/actions/<name>@<version>`, and each `uses: ./.github/workflows/<file>` the same
 * way, because in a reusable workflow called from another repository `./` is that repository's
 * workspace, where neither exists. The exact version: v2's workflows run v2.1.0's actions, the ones
 * released and tested with them. Nothing else in the text changes.
 */
export function pinActionReferences(text: string, options: PinOptions): string {
  const { tag } = parseVersion(options.version);
  if (!/^[A-Za-z0-9-]+$/.test(options.owner) || !/^[A-Za-z0-9._-]+$/.test(options.repo)) {
    throw new ReleaseError(`repository ${JSON.stringify(`${options.owner}/${options.repo}`)} is not owner/name`);
  }
  return text.replace(LOCAL_USES, (whole: string, lead: string, quote: string, path: string, tail: string) =>
    options.ownWorkflows?.has(posix.basename(path)) ? whole : `${lead}${quote}${options.owner}/${options.repo}/${path}@${tag}${quote}${tail}`
  );
}

/**
 * The workflow files to pin, relative to `cwd`: those of `.github/workflows`, and the examples' (which
 * users copy into their own `.github/workflows`, where `./actions` does not exist either).
 */
function workflowFiles(cwd: string): string[] {
  const yaml = (dir: string) =>
    existsSync(join(cwd, dir))
      ? readdirSync(join(cwd, dir), { recursive: true, encoding: 'utf8' })
          .filter((name) => /\.ya?ml$/.test(name))
          .map((name) => posix.join(dir, name.split('\\').join('/')))
      : [];
  return [...yaml('.github/workflows'), ...yaml('examples')].sort();
}

/**
 * Pins every workflow of `cwd` in place (see pinActionReferences); with `check`, changes nothing and
 * fails naming the files that still hold a local reference. Returns the files changed (or to change).
 */
export function pinWorkflows(cwd: string, options: PinOptions & { check?: boolean }): string[] {
  const changed: string[] = [];
  for (const file of workflowFiles(cwd)) {
    const text = readFileSync(join(cwd, file), 'utf8');
    // An example calls its own workflows by the names they get in the user's .github/workflows.
    const ownWorkflows = file.startsWith('examples/') ? new Set(readdirSync(join(cwd, posix.dirname(file))).filter((name) => /\.ya?ml$/.test(name))) : undefined;
    const pinned = pinActionReferences(text, { ...options, ownWorkflows });
    if (pinned === text) continue;
    changed.push(file);
    if (!options.check) writeFileSync(join(cwd, file), pinned);
  }
  if (options.check && changed.length > 0) {
    throw new ReleaseError(
      `${changed.join(', ')} still use ./actions or ./.github/workflows, which a caller's repository does not have: release by dispatching the release workflow, which pins them, or run node scripts/release.ts pin ${options.version} --repository ${options.owner}/${options.repo}, commit, and tag that commit`
    );
  }
  return changed;
}

function flag(args: string[], name: string): string {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? args[index + 1] : undefined;
  if (!value) throw new ReleaseError(`--${name} <value> is required`);
  return value;
}

function main(args: string[]): void {
  const [command, ...rest] = args;
  switch (command) {
    case 'check': {
      const { major, moveMajor } = checkVersion(repoRoot, rest[0] ?? '');
      process.stdout.write(`major=${major}\nmove-major=${moveMajor}\n`);
      return;
    }
    case 'notes':
      process.stdout.write(releaseNotes(repoRoot, rest[0] ?? ''));
      return;
    case 'targets':
      process.stdout.write(`targets=${JSON.stringify(readTargets(repoRoot))}\n`);
      return;
    case 'publish': {
      const [action = '', version = ''] = rest;
      const target = readTargets(repoRoot).find((t) => t.action === action);
      if (!target) throw new ReleaseError(`${action} is not listed in ${TARGETS_FILE}`);
      const result = publishAction(repoRoot, action, {
        version,
        remote: flag(rest, 'remote'),
        owner: flag(rest, 'owner'),
        repository: target.repository,
        source: flag(rest, 'source'),
        sourceSha: git(repoRoot, ['rev-parse', 'HEAD']).trim(),
        moveMajor: movesMajor(repoRoot, version),
        token: process.env.PUBLISH_TOKEN || undefined
      });
      console.log(`${action} ${version}: ${result.changed ? 'published' : 'unchanged files, tagged'} at ${result.commit}`);
      return;
    }
    case 'pin': {
      const version = rest[0] ?? '';
      const [owner = '', repo = ''] = flag(rest, 'repository').split('/');
      const check = rest.includes('--check');
      const files = pinWorkflows(repoRoot, { owner, repo, version, check });
      if (check) console.log(`the workflows name the actions of ${owner}/${repo} at ${version}`);
      else console.log(files.length > 0 ? `pinned to ${owner}/${repo} ${version}: ${files.join(', ')}` : 'no workflow uses ./actions or ./.github/workflows: nothing to pin');
      return;
    }
    default:
      throw new ReleaseError(`unknown command "${command ?? ''}": expected check, notes, targets, publish or pin`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`::error::${error.message}`);
    process.exitCode = 1;
  }
}
