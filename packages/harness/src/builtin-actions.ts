// actions/checkout and actions/setup-node as steps of the local runner. In a local run the workspace
// is the repository's checkout and the steps run on the Node found on PATH, so neither fetches nor
// installs anything: each says plainly what it found, honours the inputs that have a meaning here,
// fails the step on a value it cannot honour, and refuses (before the run) every other input by name.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StepRun } from './runner.js';
import { satisfies, validRange } from 'semver';

export interface BuiltinStepInput {
  /** The step's `with:`, evaluated. */
  inputs: Record<string, string>;
  /** The workspace (the repository's checkout). */
  workspace: string;
  /** `github.repository` of the run. */
  repository: string;
  /** The environment a `run:` step of the job would get (its PATH finds the Node). */
  env: Record<string, string>;
}

export interface BuiltinAction {
  /** `actions/checkout`, as the log names it. */
  name: string;
  /** The inputs it takes; any other is refused before the run. */
  inputs: readonly string[];
  run(step: BuiltinStepInput): StepRun;
}

/** A value the step cannot honour: the step fails with this line. */
class BuiltinInputError extends Error {}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

function stepRun(lines: string[], outputs: Record<string, string>, failure?: string): StepRun {
  const log = failure === undefined ? lines : [...lines, `##[error]${failure}`];
  return {
    exitCode: failure === undefined ? 0 : 1,
    signal: null,
    timedOut: false,
    cancelled: false,
    conclusion: failure === undefined ? 'success' : 'failure',
    outputs: failure === undefined ? outputs : {},
    summary: '',
    state: {},
    env: {},
    path: [],
    annotations: failure === undefined ? [] : [{ level: 'error', message: failure, properties: {} }],
    masks: [],
    debug: [],
    stdout: '',
    stderr: '',
    log: log.join('\n'),
    durationMs: 0
  };
}

/** Runs `body`; a BuiltinInputError becomes the step's failure, with what was logged before it. */
function guarded(body: (lines: string[]) => Record<string, string>): StepRun {
  const lines: string[] = [];
  try {
    return stepRun(lines, body(lines));
  } catch (error) {
    if (!(error instanceof BuiltinInputError)) throw error;
    return stepRun(lines, {}, error.message);
  }
}

// ---------------------------------------------------------------------------------------------------
// actions/checkout

const checkout: BuiltinAction = {
  name: 'actions/checkout',
  inputs: ['repository', 'ref', 'path', 'fetch-depth'],
  run: ({ inputs, workspace, repository }) =>
    guarded((lines): Record<string, string> => {
      const say = (line: string) => lines.push(`actions/checkout: ${line}`);
      const wanted = inputs.repository?.trim() ?? '';
      if (wanted !== '' && wanted.toLowerCase() !== repository.toLowerCase()) {
        throw new BuiltinInputError(
          `actions/checkout: input repository ${JSON.stringify(wanted)} is another repository; the local runner checks out only the run's own, ${repository} (leave repository out)`
        );
      }
      const path = inputs.path?.trim() ?? '';
      if (path !== '' && resolve(workspace, path) !== resolve(workspace)) {
        throw new BuiltinInputError(`actions/checkout: input path ${JSON.stringify(path)} is not the workspace; the local runner's checkout is the workspace itself (leave path out)`);
      }
      const depthText = inputs['fetch-depth']?.trim() || '1';
      if (!/^\d+$/.test(depthText)) throw new BuiltinInputError(`actions/checkout: input fetch-depth must be a whole number (0 for all history), not ${JSON.stringify(depthText)}`);
      const depth = Number(depthText);

      const sha = git(workspace, ['rev-parse', '--verify', '-q', 'HEAD']);
      const ref = inputs.ref?.trim() ?? '';
      if (sha === undefined) {
        if (ref !== '') throw new BuiltinInputError(`actions/checkout: input ref ${JSON.stringify(ref)}: the workspace ${workspace} is not a git repository, so it has no ref to match`);
        say(`the workspace is the local folder ${workspace} (not a git repository); nothing to fetch`);
        return {};
      }
      if (ref !== '') {
        const named = git(workspace, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
        if (named !== sha) {
          throw new BuiltinInputError(
            `actions/checkout: input ref ${JSON.stringify(ref)} ${named ? `is ${named}` : 'is not known to the local repository'}, not the commit the workspace is at (${sha}); the local runner runs on the checkout as it is: give HEAD, ${sha.slice(0, 7)} or the current branch, or leave ref out`
          );
        }
      }
      const branch = git(workspace, ['symbolic-ref', '-q', '--short', 'HEAD']);
      const changed = (git(workspace, ['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length;
      say(`the workspace is the local repository at ${sha}${branch ? ` (${branch})` : ''}; nothing to fetch`);
      if (changed > 0) say(`it has ${changed} uncommitted change${changed === 1 ? '' : 's'}, which the steps see as they are`);
      const commits = Number(git(workspace, ['rev-list', '--count', 'HEAD']) ?? '0');
      const shallow = git(workspace, ['rev-parse', '--is-shallow-repository']) === 'true';
      const history = `${commits} commit${commits === 1 ? '' : 's'}${shallow ? ', a shallow clone' : ''}`;
      if (depth === 0) {
        if (shallow) say(`fetch-depth 0 asks for all history, but the local clone is shallow (${history}): steps that read history see only these; run git fetch --unshallow for all`);
        else say(`fetch-depth 0: the local clone has all its history (${history})`);
      } else if (commits > depth) {
        say(`fetch-depth ${depth}: the local clone has more history than GitHub would fetch (${history}); steps see all of it`);
      } else {
        say(`fetch-depth ${depth}: the local clone has ${history}`);
      }
      return { ref: ref || (branch ? `refs/heads/${branch}` : sha), commit: sha };
    })
};

// ---------------------------------------------------------------------------------------------------
// actions/setup-node

/**
 * Whether `version` (x.y.z) satisfies a node-version as setup-node reads one (a major `24`, a partial
 * or exact version `24.1`, `v24.1.0`, x-ranges, comparators, `^`, `~`, `||`), by npm's semver: a
 * partial version is every version it starts. Undefined when the text is no version or range.
 */
export function satisfiesNodeVersion(version: string, range: string): boolean | undefined {
  const wanted = validRange(range.trim());
  if (wanted === null) return undefined;
  return satisfies(version.replace(/^v/, ''), wanted);
}

/** The node-version a node-version-file gives, as setup-node reads .nvmrc, .node-version, .tool-versions and package.json. */
function versionFromFile(workspace: string, file: string): string {
  const path = resolve(workspace, file);
  if (!existsSync(path)) throw new BuiltinInputError(`actions/setup-node: input node-version-file ${JSON.stringify(file)}: no such file in the workspace`);
  const text = readFileSync(path, 'utf8');
  if (file.endsWith('package.json')) {
    const manifest = JSON.parse(text) as { volta?: { node?: string }; engines?: { node?: string }; devEngines?: { runtime?: { name?: string; version?: string } } };
    const runtime = manifest.devEngines?.runtime;
    const found = manifest.volta?.node ?? (runtime?.name === 'node' ? runtime.version : undefined) ?? manifest.engines?.node;
    if (!found) throw new BuiltinInputError(`actions/setup-node: input node-version-file ${file} names no Node version (volta.node, devEngines.runtime or engines.node)`);
    return found;
  }
  const lines = text.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
  const line = file.endsWith('.tool-versions') ? lines.find((l) => /^(nodejs|node)\s/.test(l))?.split(/\s+/)[1] : lines[0];
  if (!line) throw new BuiltinInputError(`actions/setup-node: input node-version-file ${file} names no Node version`);
  return line;
}

// Caching makes setup-node faster on GitHub and changes nothing a step sees; locally the workspace's
// node_modules is used as it is, so these are accepted, and the log says they do nothing here.
const CACHE_INPUTS = ['cache', 'cache-dependency-path', 'package-manager-cache'];

const setupNode: BuiltinAction = {
  name: 'actions/setup-node',
  inputs: ['node-version', 'node-version-file', ...CACHE_INPUTS],
  run: ({ inputs, workspace, env }) =>
    guarded((lines): Record<string, string> => {
      const say = (line: string) => lines.push(`actions/setup-node: ${line}`);
      const given = inputs['node-version']?.trim() ?? '';
      const file = inputs['node-version-file']?.trim() ?? '';
      const wanted = given || (file ? versionFromFile(workspace, file) : '');
      let found: { version: string; path: string; lts: string };
      try {
        // The Node a `run: node ...` step of this job would start: the first on its PATH.
        const text = execFileSync('node', ['-p', 'JSON.stringify({ version: process.version, path: process.execPath, lts: process.release.lts || "" })'], {
          env,
          encoding: 'utf8',
          timeout: 30_000,
          stdio: ['ignore', 'pipe', 'pipe']
        });
        found = JSON.parse(text) as typeof found;
      } catch {
        throw new BuiltinInputError(`actions/setup-node: no node on the runner's PATH (${env.PATH ?? ''}); the local runner installs none: put the Node the workflow needs first on PATH`);
      }
      const node = `Node ${found.version} (${found.path})`;
      if (wanted === '') {
        say(`no node-version given: the steps run on ${node}, the first on the runner's PATH; nothing installed`);
      } else {
        const source = given ? `node-version ${given}` : `node-version ${wanted} (from ${file})`;
        let holds: boolean | undefined;
        if (/^lts\/\*$/i.test(wanted)) holds = found.lts !== '';
        else if (/^lts\/[a-z]+$/i.test(wanted)) holds = found.lts.toLowerCase() === wanted.slice(4).toLowerCase();
        else holds = satisfiesNodeVersion(found.version, wanted);
        if (holds === undefined) {
          throw new BuiltinInputError(
            `actions/setup-node: ${source} is not a version the local runner can check: give a major (24), a version (24.1.0), a range (>=22 <25, ^24.1, 24.x) or lts/*`
          );
        }
        if (!holds) {
          throw new BuiltinInputError(`actions/setup-node: ${source} is not satisfied by ${node}, the first on the runner's PATH; the local runner installs no Node: put a matching one first on PATH`);
        }
        say(`${source} is satisfied by ${node}, the first on the runner's PATH; nothing installed`);
      }
      for (const key of CACHE_INPUTS) {
        const value = inputs[key]?.trim();
        if (value) say(`${key} ${value}: no cache locally; the workspace's node_modules is used as it is`);
      }
      return { 'node-version': found.version };
    })
};

const BUILTINS = [checkout, setupNode];

/** The built-in step for `uses: actions/checkout@<ref>` or `actions/setup-node@<ref>` (any ref), if it is one. */
export function builtinAction(uses: string): BuiltinAction | undefined {
  const at = uses.lastIndexOf('@');
  if (at <= 0 || at === uses.length - 1) return undefined;
  const name = uses.slice(0, at).toLowerCase();
  return BUILTINS.find((builtin) => builtin.name === name);
}
