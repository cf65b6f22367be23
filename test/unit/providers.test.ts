// The command provider runs the user's own commands: templates split into arguments without a shell,
// placeholders filled inside their argument, failures told with the command's own stderr.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@deploy-actions/inputs';
import { Masker } from '@deploy-actions/report';
import { ProviderError, createProvider, fillArguments, splitArguments, type CommandProviderConfig } from '@deploy-actions/providers';

describe('splitArguments', () => {
  it('splits on whitespace, keeps quoted spaces and joins quotes to the text beside them', () => {
    expect(splitArguments('shift-command', '  ./shift.sh   {canary}\t{percentage} ')).toEqual(['./shift.sh', '{canary}', '{percentage}']);
    expect(splitArguments('shift-command', `deploy --note 'two words' "say \\"hi\\"" a"b c"d`)).toEqual(['deploy', '--note', 'two words', 'say "hi"', 'ab cd']);
    expect(splitArguments('shift-command', `x 'it''s' "" ''`)).toEqual(['x', 'its', '', '']);
    expect(splitArguments('shift-command', 'x a\\ b \\$HOME "\\n"')).toEqual(['x', 'a b', '$HOME', '\\n']);
  });

  it('leaves shell syntax as plain text: no pipes, variables or command substitution', () => {
    expect(splitArguments('shift-command', 'echo $(id) | rm -rf ; `x` $HOME > out')).toEqual(['echo', '$(id)', '|', 'rm', '-rf', ';', '`x`', '$HOME', '>', 'out']);
  });

  it('refuses an unterminated quote, an empty command and an unknown placeholder, naming the input', () => {
    expect(() => splitArguments('shift-command', `./shift.sh 'oops`)).toThrow(InputError);
    expect(() => splitArguments('shift-command', `./shift.sh 'oops`)).toThrow(
      `input shift-command: has an unterminated ' quote; expected a command and its arguments, e.g. ./shift.sh {canary} {percentage}, quoted with ' or " where an argument has spaces`
    );
    expect(() => splitArguments('rollback-command', '   ')).toThrow(/^input rollback-command: is empty; expected a command/);
    expect(() => splitArguments('shift-command', './shift.sh {canery}')).toThrow('input shift-command: has an unknown placeholder {canery}; expected only {canary}, {stable}, {percentage}, {fraction}');
    // JSON braces are not placeholders.
    expect(splitArguments('shift-command', `curl -d '{"weight":{percentage}}'`)).toEqual(['curl', '-d', '{"weight":{percentage}}']);
  });
});

describe('fillArguments', () => {
  it('replaces placeholders inside their argument, so a value with spaces or quotes stays one argument', () => {
    const args = splitArguments('shift-command', `./shift.sh --to={canary} {stable} '{percentage}%' {canary}`);
    expect(fillArguments(args, { canary: `v2 "new"; rm -rf /`, stable: 'v1', percentage: '25' })).toEqual([
      './shift.sh',
      `--to=v2 "new"; rm -rf /`,
      'v1',
      '25%',
      `v2 "new"; rm -rf /`
    ]);
  });

  it('gives {fraction}, the canary share as a fraction of one, as the shortest decimal', () => {
    // A Lambda alias takes the further version's weight from 0 to 1, as JSON.
    const args = splitArguments('shift-command', `aws --routing-config '{"AdditionalVersionWeights":{"{canary}":{fraction}}}' {percentage}`);
    const filled = (percentage: string) => fillArguments(args, { canary: '7', stable: '6', percentage })[2];
    expect(filled('5')).toBe('{"AdditionalVersionWeights":{"7":0.05}}');
    expect(['0', '7', '12.5', '29', '57', '100'].map(filled)).toEqual(['0', '0.07', '0.125', '0.29', '0.57', '1'].map((w) => `{"AdditionalVersionWeights":{"7":${w}}}`));
    // status-command has no share to give: both are empty.
    expect(fillArguments(['x', '[{percentage}|{fraction}]'], { canary: 'b', stable: 'a', percentage: '' })).toEqual(['x', '[|]']);
  });
});

describe('the command provider', () => {
  let dir: string;
  let record: string;
  const node = process.execPath;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'command-provider-'));
    record = join(dir, 'calls.jsonl');
    // Records its arguments; exits with $EXIT_WITH after writing $STDERR_TEXT to stderr.
    writeFileSync(
      join(dir, 'record.mjs'),
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)) + '\\n');
if (process.env.STDERR_TEXT) process.stderr.write(process.env.STDERR_TEXT);
process.stdout.write('shifted\\n');
process.exit(Number(process.env.EXIT_WITH ?? 0));
`
    );
    writeFileSync(join(dir, 'status.mjs'), `process.stdout.write('reading the router\\n' + require_split());
function require_split() { return process.env.SPLIT ?? ''; }
`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function calls(): string[][] {
    try {
      return readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]);
    } finally {
      rmSync(record, { force: true });
    }
  }

  function config(extra: Partial<CommandProviderConfig> = {}): CommandProviderConfig {
    return {
      provider: 'command',
      canaryVersion: 'v2 (blue)',
      stableVersion: 'v1',
      shiftCommand: `"${node}" record.mjs shift --canary {canary} --stable={stable} '{percentage}'`,
      rollbackCommand: `"${node}" record.mjs rollback {stable} {percentage}`,
      canaryUrl: 'https://canary.example.test/',
      stableUrl: 'https://stable.example.test/',
      workingDirectory: dir,
      env: { ...process.env, EXIT_WITH: '0', STDERR_TEXT: '' },
      ...extra
    };
  }

  it('runs shift-command with the canary, the stable version and the canary percentage as separate arguments', async () => {
    const provider = await createProvider(config());
    expect(provider.description).toBe('command provider');
    const deployment = await provider.shift(
      [
        { versionId: 'v1', percentage: 75 },
        { versionId: 'v2 (blue)', percentage: 25 }
      ],
      'canary step 2'
    );
    expect(calls()).toEqual([['shift', '--canary', 'v2 (blue)', '--stable=v1', '25']]);
    expect(deployment.versions).toEqual([
      { versionId: 'v1', percentage: 75 },
      { versionId: 'v2 (blue)', percentage: 25 }
    ]);
    // Without status-command, what this run set is what it reports.
    expect(await provider.currentDeployment()).toEqual(deployment);
    expect((await provider.listDeployments()).map((d) => d.versions)).toEqual([deployment.versions, [{ versionId: 'v1', percentage: 100 }]]);
  });

  it('rolls back with rollback-command, {stable} being the target and {percentage} the canary share left', async () => {
    const provider = await createProvider(config());
    const deployment = await provider.rollback('v1', { message: 'rollback', force: false });
    expect(calls()).toEqual([['rollback', 'v1', '0']]);
    expect(deployment.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
    expect(provider.toolCalls).toEqual([{ command: 'rollback-command', durationMs: expect.any(Number), exitCode: 0 }]);
  });

  it('fills {fraction} with the canary share of each shift and rollback, as a weight from 0 to 1', async () => {
    const provider = await createProvider(
      config({ shiftCommand: `"${node}" record.mjs shift {canary}={fraction} {stable}`, rollbackCommand: `"${node}" record.mjs rollback {stable} {fraction}` })
    );
    for (const percentage of [5, 25, 100]) {
      await provider.shift(percentage === 100 ? [{ versionId: 'v2 (blue)', percentage }] : [{ versionId: 'v2 (blue)', percentage }, { versionId: 'v1', percentage: 100 - percentage }], `step ${percentage}`);
    }
    await provider.rollback('v1', { message: 'rollback', force: false });
    expect(calls()).toEqual([
      ['shift', 'v2 (blue)=0.05', 'v1'],
      ['shift', 'v2 (blue)=0.25', 'v1'],
      ['shift', 'v2 (blue)=1', 'v1'],
      ['rollback', 'v1', '0']
    ]);
  });

  it('rolls back without a shift-command, and says a shift needs one', async () => {
    const provider = await createProvider(config({ shiftCommand: undefined }));
    await provider.rollback('v1', { message: 'rollback', force: false });
    expect(calls()).toEqual([['rollback', 'v1', '0']]);
    await expect(provider.shift([{ versionId: 'v1', percentage: 100 }], 'x')).rejects.toThrow(new ProviderError('the command provider has no shift-command to set a split with'));
  });

  it('routes probes to canary-url and stable-url', async () => {
    const provider = await createProvider(config());
    expect(provider.routeTo('v2 (blue)')).toEqual({ url: 'https://canary.example.test/', headers: [] });
    expect(provider.routeTo('v1')).toEqual({ url: 'https://stable.example.test/', headers: [] });
    const unrouted = await createProvider(config({ canaryUrl: undefined, stableUrl: undefined }));
    expect(unrouted.routeTo('v2 (blue)')).toEqual({ headers: [] });
  });

  it('refuses a split naming a version other than the canary and the stable one, running nothing', async () => {
    const provider = await createProvider(config());
    await expect(provider.shift([{ versionId: 'v9', percentage: 100 }], 'x')).rejects.toThrow(
      'the command provider shifts only between v2 (blue) (canary) and v1 (stable), not v9'
    );
    expect(() => calls()).toThrow();
  });

  it('tells a failed command by its exit code and its own last stderr line, masked, with the stderr tail kept', async () => {
    const masker = new Masker();
    masker.add('hunter2-secret');
    const provider = await createProvider(
      config({ masker, env: { ...process.env, EXIT_WITH: '3', STDERR_TEXT: 'connecting with hunter2-secret\nerror: weight 25 refused by the load balancer\n\n' } })
    );
    const error = (await provider.shift([{ versionId: 'v1', percentage: 95 }, { versionId: 'v2 (blue)', percentage: 5 }], 'x').catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe('shift-command failed with exit code 3: error: weight 25 refused by the load balancer');
    expect(error.stderr).toBe('connecting with ***\nerror: weight 25 refused by the load balancer');
    expect(error.stderr).not.toContain('hunter2');
    calls();
  });

  it('says so when a failed command printed nothing, and when the command cannot start', async () => {
    const silent = await createProvider(config({ env: { ...process.env, EXIT_WITH: '1', STDERR_TEXT: '' } }));
    await expect(silent.rollback('v1', { message: 'x', force: false })).rejects.toThrow('rollback-command failed with exit code 1: shifted');
    calls();
    // Found when the provider was made, gone when it runs.
    writeFileSync(join(dir, 'gone.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'gone.sh'), 0o755);
    const gone = await createProvider(config({ rollbackCommand: './gone.sh {stable}' }));
    rmSync(join(dir, 'gone.sh'));
    await expect(gone.rollback('v1', { message: 'x', force: false })).rejects.toThrow(/^rollback-command could not start \.\/gone\.sh: /);
  });

  it('refuses a command whose program is not there when the provider is made, naming the input, before any command runs', async () => {
    const FORM = 'expected a program on PATH, or the path of an executable file (relative to working-directory)';
    await expect(createProvider(config({ rollbackCommand: './no-such-script.sh {stable}' }))).rejects.toThrow(
      new InputError('rollback-command', 'its program "./no-such-script.sh" is not there or is not executable, so no command was run', 'a program on PATH, or the path of an executable file (relative to working-directory)')
    );
    await expect(createProvider(config({ shiftCommand: 'no-such-program-of-deploy-actions {canary} {percentage}' }))).rejects.toThrow(
      `input shift-command: its program "no-such-program-of-deploy-actions" is not on PATH or is not executable, so no command was run; ${FORM}`
    );
    // There, but not executable.
    writeFileSync(join(dir, 'status.sh'), '#!/bin/sh\necho "{}"\n');
    chmodSync(join(dir, 'status.sh'), 0o644);
    await expect(createProvider(config({ statusCommand: './status.sh' }))).rejects.toThrow(`input status-command: its program "./status.sh" is not there or is not executable, so no command was run; ${FORM}`);
    expect(() => calls()).toThrow();
    // A program a placeholder names is only known when the command runs.
    await expect(createProvider(config({ shiftCommand: '{canary} --to {percentage}' }))).resolves.toBeDefined();
  });

  it('refuses a bad template when the provider is made, before any command runs', async () => {
    await expect(createProvider(config({ shiftCommand: `./shift.sh "{canary}` }))).rejects.toThrow('input shift-command: has an unterminated " quote');
    await expect(createProvider(config({ statusCommand: './status.sh {percent}' }))).rejects.toThrow(/^input status-command: has an unknown placeholder \{percent\}/);
  });

  describe('with status-command', () => {
    const status = (split: string, extra: Partial<CommandProviderConfig> = {}) =>
      createProvider(config({ statusCommand: `"${node}" status.mjs`, env: { ...process.env, SPLIT: split, EXIT_WITH: '0' }, ...extra }));

    it('reads the current split from its JSON, so a change made by someone else shows', async () => {
      const provider = await status('{"id": "dep-7", "versions": [{"version": "v1", "percentage": 60}, {"version": "v3", "percentage": 40}]}');
      expect(await provider.currentDeployment()).toMatchObject({
        id: 'dep-7',
        versions: [
          { versionId: 'v1', percentage: 60 },
          { versionId: 'v3', percentage: 40 }
        ]
      });
      // The array alone, wrangler's version_id spelling; equal splits without an id get equal ids.
      const bare = await status('[{"version_id": "v1", "percentage": 100}]');
      const first = await bare.currentDeployment();
      expect(first.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
      expect((await bare.currentDeployment()).id).toBe(first.id);
    });

    it('reads a Lambda alias as aws lambda get-alias prints it: the further version has its weight, the alias version the rest', async () => {
      const alias = (routing: string) =>
        `{\n    "AliasArn": "arn:aws:lambda:us-east-1:123456789012:function:orders:live",\n    "Name": "live",\n    "FunctionVersion": "6",\n    "Description": ""${routing},\n    "RevisionId": "0000a1-rev"\n}\n`;
      const weighted = await status(alias(',\n    "RoutingConfig": {"AdditionalVersionWeights": {"7": 0.05}}'));
      expect((await weighted.currentDeployment()).versions).toEqual([
        { versionId: '6', percentage: 95 },
        { versionId: '7', percentage: 5 }
      ]);
      // Without a RoutingConfig the alias version serves alone; weight 1 leaves it nothing.
      expect((await (await status(alias(''))).currentDeployment()).versions).toEqual([{ versionId: '6', percentage: 100 }]);
      expect((await (await status(alias(',"RoutingConfig": {"AdditionalVersionWeights": {"7": 1}}'))).currentDeployment()).versions).toEqual([
        { versionId: '6', percentage: 0 },
        { versionId: '7', percentage: 100 }
      ]);
      const odd = await status(alias(',"RoutingConfig": {"AdditionalVersionWeights": {"7": 0.0707}}'));
      expect((await odd.currentDeployment()).versions).toEqual([
        { versionId: '6', percentage: 92.93 },
        { versionId: '7', percentage: 7.07 }
      ]);
      const broken = await status(alias(',"RoutingConfig": {"AdditionalVersionWeights": {"7": "lots"}}'));
      await expect(broken.currentDeployment()).rejects.toThrow(/^status-command printed "}", not a split/);
    });

    it('reads the split back after a shift', async () => {
      const provider = await status('{"versions": [{"version": "v1", "percentage": 95}, {"version": "v2 (blue)", "percentage": 5}]}');
      const deployment = await provider.shift([{ versionId: 'v1', percentage: 95 }, { versionId: 'v2 (blue)', percentage: 5 }], 'x');
      expect(calls()).toEqual([['shift', '--canary', 'v2 (blue)', '--stable=v1', '5']]);
      expect(deployment.versions).toEqual([{ versionId: 'v1', percentage: 95 }, { versionId: 'v2 (blue)', percentage: 5 }]);
    });

    it('refuses output that is not a split, quoting it', async () => {
      const provider = await status('{"versions": [{"version": "v1", "percentage": 60}]}');
      await expect(provider.currentDeployment()).rejects.toThrow(
        'status-command printed "{\\"versions\\": [{\\"version\\": \\"v1\\", \\"percentage\\": 60}]}", not a split; expected {"versions": [{"version": "<name>", "percentage": <0-100>}, ...]} or that array alone, or a Lambda alias as aws lambda get-alias prints it; percentages summing to 100'
      );
      const words = await status('all good');
      await expect(words.currentDeployment()).rejects.toThrow(/^status-command printed "all good", not a split/);
    });
  });
});

describe('finding wrangler', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wrangler-resolve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uses the workspace's wrangler from the working directory up", async () => {
    const { findWorkspaceWrangler } = await import('@deploy-actions/providers/wrangler');
    const project = join(dir, 'project');
    mkdirSync(join(project, 'node_modules/wrangler/bin'), { recursive: true });
    mkdirSync(join(project, 'apps/api'), { recursive: true });
    writeFileSync(join(project, 'node_modules/wrangler/bin/wrangler.js'), '');
    expect(findWorkspaceWrangler(join(project, 'apps/api'))).toBe(join(project, 'node_modules/wrangler/bin/wrangler.js'));
    expect(findWorkspaceWrangler(join(dir, 'elsewhere'))).toBeUndefined();
  });

  it('else installs wrangler@<version> into the cache folder with npm install --prefix, once', async () => {
    const { resolveWrangler } = await import('@deploy-actions/providers/wrangler');
    const bin = join(dir, 'bin');
    const calls = join(dir, 'npm-calls.jsonl');
    mkdirSync(bin, { recursive: true });
    // A stand-in npm: records its arguments and leaves what `npm install --prefix <p> wrangler@v` would.
    writeFileSync(
      join(bin, 'npm'),
      `#!${process.execPath}
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(calls)}, JSON.stringify(args) + '\\n');
if (process.env.NPM_FAILS) { console.error('npm error code E404'); console.error('npm error 404 No match found for version 9.9.9'); console.error('npm error A complete log of this run can be found in: /x.log'); process.exit(1); }
const prefix = args[args.indexOf('--prefix') + 1];
mkdirSync(prefix + '/node_modules/wrangler/bin', { recursive: true });
writeFileSync(prefix + '/node_modules/wrangler/bin/wrangler.js', '');
`
    );
    chmodSync(join(bin, 'npm'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      const cache = join(dir, 'cache', 'wrangler-4.164.0');
      const options = { workingDirectory: join(dir, 'elsewhere'), version: '4.164.0', cacheDirectory: cache, env: { ...process.env } };
      expect(await resolveWrangler(options)).toEqual({ bin: join(cache, 'node_modules/wrangler/bin/wrangler.js'), source: 'installed' });
      expect(await resolveWrangler(options)).toEqual({ bin: join(cache, 'node_modules/wrangler/bin/wrangler.js'), source: 'cache' });
      const recorded = readFileSync(calls, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
      expect(recorded).toEqual([['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', 'wrangler@4.164.0']]);

      const failing = resolveWrangler({ ...options, version: '9.9.9', cacheDirectory: join(dir, 'cache', 'wrangler-9.9.9'), env: { ...process.env, NPM_FAILS: '1' } });
      await expect(failing).rejects.toThrow(new ProviderError('npm install wrangler@9.9.9 failed with exit code 1: 404 No match found for version 9.9.9'));
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

describe("reading Cloudflare's error out of wrangler's stderr", () => {
  it("takes the code and message of the API's error line, colours and all", async () => {
    const { cloudflareErrorIn } = await import('@deploy-actions/providers/wrangler');
    const stderr =
      '\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1mA request to the Cloudflare API (/accounts/a/workers/scripts/w/versions/x) failed.\x1b[0m\n\n' +
      '  Version x of Worker w was not found. [code: 100146]\n  \n  If you think this is a bug, please open an issue at: https://github.com/cloudflare/workers-sdk/issues/new/choose\n';
    expect(cloudflareErrorIn(stderr)).toEqual({ code: 100146, message: 'Version x of Worker w was not found.' });
  });

  it("falls back to wrangler's own error line, and the code of its output file", async () => {
    const { cloudflareErrorIn } = await import('@deploy-actions/providers/wrangler');
    expect(cloudflareErrorIn('✘ [ERROR] The Worker w has no deployments.\n\n🪵  Logs were written to "/x.log"\n')).toEqual({
      code: undefined,
      message: 'The Worker w has no deployments.'
    });
    expect(cloudflareErrorIn('', [{ type: 'command-failed', code: 10000, message: 'Authentication error' }])).toEqual({ code: 10000, message: 'Authentication error' });
  });

  it("names the secrets of a 10220 as wrangler reads them", async () => {
    const { changedSecrets } = await import('@deploy-actions/providers/wrangler');
    expect(changedSecrets('A secret has changed since this version was active. The following secrets have changed: DB_PASSWORD, STRIPE_KEY')).toEqual(['DB_PASSWORD', 'STRIPE_KEY']);
    expect(changedSecrets('Something else')).toEqual([]);
  });
});
