// The only place build-cache-key reads its inputs; everything is checked before any file is read.
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import { InputError, Inputs, parseBoolean, parseEnum, parseList } from '@deploy-actions/inputs';
import { CHANGED_SINCE_FORM, type KeyRequest } from './compute.js';
import { parsePatterns } from './key.js';

export interface CacheKeyInputs {
  request: KeyRequest;
  /** Build output paths (lines), relative to `working-directory`; `{package}` stands for a package folder. */
  paths: string[];
  /** `working-directory` from the workspace (GITHUB_WORKSPACE), `/`-separated; '' when they are the same. */
  underWorkspace: string;
  lookupOnly: boolean;
  failOnCacheMiss: boolean;
  /** enable-cross-os-archive. */
  crossOs: boolean;
}

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): CacheKeyInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const fileLines = parseList(inputs.raw('files'), { commas: false });
  const packages = parseList(inputs.raw('packages'), { commas: false });
  if (fileLines.length === 0 && packages.length === 0) {
    throw new InputError('files', 'it is empty and no packages are given', 'glob patterns of the files the key covers, one per line, such as src/** and package-lock.json');
  }
  for (const glob of packages) {
    if (glob.startsWith('/') || glob.startsWith('!') || glob.split('/').includes('..')) {
      throw new InputError('packages', `${JSON.stringify(glob)} is not a folder glob inside the workspace`, 'globs of package folders such as services/* or packages/*');
    }
  }
  const prefix = inputs.string('prefix');
  if (!/^[A-Za-z0-9._/-]+$/.test(prefix)) {
    throw new InputError('prefix', `${JSON.stringify(prefix)} has characters a cache key should not`, 'letters, digits and . _ / - (no commas or spaces)');
  }
  const paths = parseList(inputs.raw('path'), { commas: false });
  if (paths.some((path) => path.includes('{package}')) && packages.length === 0) {
    throw new InputError('path', '{package} is used but no packages are given', 'packages set as well, or a path without {package}');
  }
  const failOnCacheMiss = inputs.with('fail-on-cache-miss', parseBoolean);
  if (failOnCacheMiss && paths.length === 0) {
    throw new InputError('fail-on-cache-miss', 'there is no path to look up', 'path set as well (the build output whose cache entry must exist)');
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const folder = inputs.raw('working-directory');
  const workingDirectory = resolve(workspace, folder);
  const underWorkspace = relative(workspace, workingDirectory).split(sep).join('/');
  const folderForm = 'a folder inside the workspace, such as app or services/api';
  // Outside it, the cache (which stores paths relative to the workspace) could not restore the output where it was.
  if (underWorkspace === '..' || underWorkspace.startsWith('../') || isAbsolute(underWorkspace)) {
    throw new InputError('working-directory', `${JSON.stringify(folder)} is outside the workspace`, folderForm);
  }
  if (!statSync(workingDirectory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError('working-directory', `${JSON.stringify(folder)} is not a folder`, folderForm);
  }
  const git = inputs.with('git', (name, raw) => parseEnum(name, raw, ['auto', 'true', 'false'] as const));
  const changedSince = inputs.string('changed-since');
  // Never taken for an option by git: the value is passed to it as an argument.
  if (changedSince.startsWith('-') || /\s/.test(changedSince)) {
    throw new InputError('changed-since', `${JSON.stringify(changedSince)} is not a commit name`, CHANGED_SINCE_FORM);
  }
  if (changedSince && git === 'false') throw new InputError('changed-since', "it needs git's history, and git is false", CHANGED_SINCE_FORM);
  return {
    request: {
      workspace: workingDirectory,
      files: fileLines.length > 0 ? parsePatterns('files', fileLines) : undefined,
      packages,
      prefix,
      extra: parseList(inputs.raw('extra'), { commas: false }),
      git,
      ...(changedSince ? { changedSince } : {}),
      outputs: paths
    },
    paths,
    underWorkspace,
    lookupOnly: inputs.with('lookup-only', parseBoolean),
    crossOs: inputs.with('enable-cross-os-archive', parseBoolean),
    failOnCacheMiss
  };
}
