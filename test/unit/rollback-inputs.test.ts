// rollback's inputs: every bad value is one line naming the input, read before anything runs.
import { describe, expect, it } from '@jest/globals';
import { InputError } from '@deploy-actions/inputs';
import { readInputs } from '../../actions/rollback/src/inputs.js';
import type { InputName } from '../../actions/rollback/src/generated/inputs.js';

const ENV = { CLOUDFLARE_API_TOKEN: 'cf-token-5b7e1d9a', CLOUDFLARE_ACCOUNT_ID: 'acct-0123abcd', GITHUB_WORKSPACE: '/work/space' };

function read(given: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = ENV) {
  return readInputs((name) => given[name] ?? '', env);
}

async function failure(given: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = ENV): Promise<string> {
  const error = await read(given, env).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).message;
}

describe('rollback inputs', () => {
  it('reads one Worker rolled back to previous, with the token and account id masked and a message naming the run', async () => {
    const inputs = await read({ worker: 'my-api', environment: 'production', 'working-directory': 'apps/api' }, { ...ENV, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77' });
    expect(inputs).toMatchObject({ workers: ['my-api'], several: false, blind: false, target: { kind: 'previous' }, force: false, verification: undefined, workingDirectory: '/work/space/apps/api' });
    expect(inputs.message).toBe('Rollback from https://github.com/acme/shop/actions/runs/77');
    expect(inputs.secrets).toEqual(['cf-token-5b7e1d9a', 'acct-0123abcd']);
    expect(inputs.providers).toEqual([
      {
        worker: 'my-api',
        config: expect.objectContaining({ provider: 'cloudflare', worker: 'my-api', environment: 'production', apiToken: 'cf-token-5b7e1d9a', accountId: 'acct-0123abcd', wranglerVersion: '4.164.0', workingDirectory: '/work/space/apps/api' })
      }
    ]);
  });

  it('keeps the order of workers, one provider each', async () => {
    const inputs = await read({ workers: 'gateway\nusers, orders', to: 'stable' });
    expect(inputs.workers).toEqual(['gateway', 'users', 'orders']);
    expect(inputs.providers.map((p) => p.worker)).toEqual(['gateway', 'users', 'orders']);
    expect(inputs).toMatchObject({ several: true, target: { kind: 'stable' } });
  });

  it('verifies only with url, through the health-check probe inputs and verify-deadline', async () => {
    const inputs = await read({ worker: 'my-api', url: 'https://api.example.com/health', 'json-path': '$.status == "ok"', headers: 'Authorization: Bearer hdr-secret-91', 'verify-deadline': '45s' });
    expect(inputs.verification).toMatchObject({ urls: ['https://api.example.com/health'], deadlineMs: 45_000, maxAttempts: 0, consecutiveSuccesses: 1 });
    expect(inputs.verification!.assertions).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'json-path' })]));
    expect(inputs.secrets).toContain('Bearer hdr-secret-91');
  });

  it.each<[string, Partial<Record<InputName, string>>, NodeJS.ProcessEnv | undefined, string]>([
    ['no Worker', {}, undefined, 'input worker: it is required but was not given; expected a Worker name such as my-api (letters, digits, -, _ and .), or workers: several, in order'],
    ['worker and workers', { worker: 'a', workers: 'b' }, undefined, 'input workers: it was given together with worker; expected either worker (one Worker) or workers (several, in order)'],
    ['a name with a space', { workers: 'gateway, my api' }, undefined, 'input workers: "my api" is not a Worker name; expected a Worker name such as my-api (letters, digits, -, _ and .)'],
    ['a Worker twice', { workers: 'a\nb\na' }, undefined, 'input workers: a is listed twice; expected each Worker once, in the order they are rolled back'],
    ['an unknown to', { worker: 'a', to: 'last good' }, undefined, 'input to: "last good" is not a known value; expected previous, stable, last-good or a version id'],
    ['to: last-good without github-environment', { worker: 'a', to: 'last-good' }, undefined, 'input github-environment: it is required with to: last-good but was not given; expected the GitHub environment whose deployment records say what was good, such as production'],
    ['a version id for several Workers', { workers: 'a,b', to: '3f2a' }, undefined, "input to: a version id names one Worker's version, but several workers are given; expected previous or stable with workers, or one worker with a version id"],
    ['canary-version without to: stable', { worker: 'a', 'canary-version': 'v2' }, undefined, 'input canary-version: it is given with to: previous; expected canary-version only with to: stable'],
    ['no token', { worker: 'a' }, { CLOUDFLARE_ACCOUNT_ID: 'x' }, 'input api-token: it is required with provider: cloudflare but was not given (nor CLOUDFLARE_API_TOKEN); expected a Cloudflare API token, such as ${{ secrets.CLOUDFLARE_API_TOKEN }}'],
    ['no account id', { worker: 'a', 'api-token': 't0ken-abc' }, {}, 'input account-id: it is required with provider: cloudflare but was not given (nor CLOUDFLARE_ACCOUNT_ID); expected the Cloudflare account id, such as ${{ secrets.CLOUDFLARE_ACCOUNT_ID }}'],
    ['incident-issue without an environment', { worker: 'a', 'incident-issue': 'true', 'github-token': 'ghs_x' }, undefined, 'input incident-issue: it needs an environment to name the incident, but github-environment and environment are empty; expected github-environment (or environment) set, such as production'],
    ['a bad provider', { worker: 'a', provider: 'aws' }, undefined, 'input provider: "aws" is not a known value; expected one of cloudflare, command'],
    ['a bad force', { worker: 'a', force: 'yes' }, undefined, 'input force: "yes" is not a boolean; expected true or false'],
    ['a bad wrangler version', { worker: 'a', 'wrangler-version': 'latest' }, undefined, 'input wrangler-version: "latest" is not a wrangler version; expected a version such as 4.164.0 or 4'],
    ['an unclosed quote in pre-rollback-command', { worker: 'a', 'pre-rollback-command': `pg_dump --file 'backup.sql` }, undefined, "input pre-rollback-command: has an unterminated ' quote;"],
    ['a placeholder in pre-rollback-command', { worker: 'a', 'pre-rollback-command': './backup.sh --tag {stable}' }, undefined, 'input pre-rollback-command: has the placeholder {stable}, which only rollback-command fills; expected a command and its arguments as they are, such as ./backup.sh --label before-rollback'],
    ['a probe input without url', { worker: 'a', 'json-path': '$.ok == true' }, undefined, 'input url: json-path is given but there is no url to verify; expected url with the URLs to check after the rollback, or no probe inputs'],
    ['a bad verify-deadline', { worker: 'a', 'verify-deadline': 'soon' }, undefined, 'input verify-deadline: "soon" is not a duration;'],
    ['a url that is not http', { worker: 'a', url: 'ftp://x/health' }, undefined, 'input url: "ftp://x/health" is not an http(s) URL;'],
    ['a command input with cloudflare', { worker: 'a', 'rollback-command': './rb.sh {stable}' }, undefined, 'input rollback-command: it is given with provider: cloudflare; expected rollback-command only with provider: command'],
    ['command without rollback-command', { provider: 'command', to: 'v41' }, undefined, 'input rollback-command: it is required but was not given; expected the command that puts {stable} back at 100 %, such as ./deploy.sh --version {stable}'],
    ['command with to: previous', { provider: 'command', 'rollback-command': './rb.sh {stable}' }, undefined, 'input to: "previous" needs a deployment history the command provider does not have; expected the version id to roll back to, as rollback-command knows it ({stable})'],
    ['command with an unknown placeholder', { provider: 'command', to: 'v41', 'rollback-command': './rb.sh {version}' }, undefined, 'input rollback-command: has an unknown placeholder {version}; expected only {canary}, {stable}, {percentage}'],
    ['command with several workers', { provider: 'command', to: 'v41', workers: 'a,b', 'rollback-command': './rb.sh {stable}' }, undefined, 'input workers: the command provider rolls back one service; expected worker (a name for the summary), or provider: cloudflare']
  ])('%s: one line naming the input', async (_what, given, env, message) => {
    expect((await failure(given, env ?? ENV)).startsWith(message)).toBe(true);
  });

  it('reads the command provider: the target as {stable}, canary-version as what is left, blind without status-command', async () => {
    const inputs = await read({ provider: 'command', to: 'v41', 'canary-version': 'v42', 'rollback-command': './rb.sh {stable} --from {canary}' }, {});
    expect(inputs).toMatchObject({ workers: ['service'], blind: true, leaving: 'v42', target: { kind: 'version', id: 'v41' }, secrets: [] });
    expect(inputs.providers[0]!.config).toMatchObject({ provider: 'command', stableVersion: 'v41', canaryVersion: 'v42', rollbackCommand: './rb.sh {stable} --from {canary}' });
    const seeing = await read({ provider: 'command', worker: 'shop', to: 'v41', 'rollback-command': './rb.sh {stable}', 'status-command': './status.sh' }, {});
    expect(seeing).toMatchObject({ workers: ['shop'], blind: false });
  });
});
