// canary-shift's inputs: every bad value is one line naming the input, before anything is touched.
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../../actions/canary-shift/src/inputs.js';
import type { InputName } from '../../actions/canary-shift/src/generated/inputs.js';

const cloudflare = { worker: 'my-api', 'api-token': 'cf-token-7f3a9b', 'account-id': 'acc-1234abcd', url: 'https://my-api.example.com/health' };
const command = { provider: 'command', version: 'green', 'stable-version': 'blue', 'shift-command': './traffic.sh {canary} {percentage}', 'canary-url': 'http://127.0.0.1:9001', 'stable-url': 'http://127.0.0.1:9002' };
const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) => readInputs((name: InputName) => values[name] ?? '', env);

describe('canary-shift inputs', () => {
  it('reads the defaults: 0/5/25/50/100 judged on probes, 1 point over stable, 20 % of its p95', () => {
    const inputs = read(cloudflare);
    expect(inputs.provider).toMatchObject({ provider: 'cloudflare', worker: 'my-api', apiToken: 'cf-token-7f3a9b', accountId: 'acc-1234abcd', wranglerVersion: '4.164.0' });
    expect(inputs.plan.map((s) => s.percentage)).toEqual([0, 5, 25, 50, 100]);
    expect(inputs.metrics).toEqual(['probes']);
    expect(inputs.thresholds).toEqual({ maxErrorRate: 2, maxErrorRateIncrease: 1, maxLatencyMs: undefined, maxLatencyIncrease: 20, latencyFloorMs: 10, minSamples: 20 });
    expect(inputs.version).toEqual({ kind: 'newest' });
    expect(inputs.probeRate).toBe(10);
    expect(inputs.autoRollback).toBe(true);
    // The token and the account id are masked.
    expect(inputs.secrets).toEqual(expect.arrayContaining(['cf-token-7f3a9b', 'acc-1234abcd']));
  });

  it('takes the token and account from the environment, and reads 1 and 1% as one point', () => {
    const inputs = read({ worker: 'w', url: cloudflare.url, 'max-error-rate-increase': '1%', 'max-error-rate': '0.5' }, { CLOUDFLARE_API_TOKEN: 'env-token-123', CLOUDFLARE_ACCOUNT_ID: 'env-acc-456' });
    expect(inputs.provider).toMatchObject({ apiToken: 'env-token-123', accountId: 'env-acc-456' });
    expect(inputs.thresholds.maxErrorRateIncrease).toBe(1);
    expect(inputs.thresholds.maxErrorRate).toBe(0.5);
  });

  it('reads the command provider with its names and origins', () => {
    const inputs = read(command);
    expect(inputs.provider).toMatchObject({ provider: 'command', canaryVersion: 'green', stableVersion: 'blue', rollbackCommand: './traffic.sh {canary} {percentage}' });
    expect(inputs.version).toEqual({ kind: 'id', id: 'green' });
    expect(inputs.probe?.urls).toEqual([]);
  });

  it.each([
    [{ ...cloudflare, provider: 'aws' }, 'input provider: "aws" is not a known value; expected one of cloudflare, command'],
    [{ ...cloudflare, worker: '' }, "input worker: it is required but was not given; expected the Worker's name, as in wrangler.toml"],
    [{ ...cloudflare, 'api-token': '' }, 'input api-token: it is required with provider: cloudflare but was not given (nor CLOUDFLARE_API_TOKEN); expected a Cloudflare API token, such as ${{ secrets.CLOUDFLARE_API_TOKEN }}'],
    [{ ...cloudflare, 'account-id': '' }, 'input account-id: it is required with provider: cloudflare but was not given (nor CLOUDFLARE_ACCOUNT_ID); expected the Cloudflare account id, such as ${{ secrets.CLOUDFLARE_ACCOUNT_ID }}'],
    [{ ...cloudflare, steps: '5,25' }, 'input steps: the last step is 25, not 100; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    [{ ...cloudflare, bake: '10:1m' }, 'input bake: "10:1m" names step 10, which is not in steps (0,5,25,50,100)'],
    [{ ...cloudflare, interval: 'often' }, 'input interval: "often" is not a duration'],
    [{ ...cloudflare, metrics: 'datadog' }, 'input metrics: "datadog" is not a known value; expected one of probes, cloudflare-analytics'],
    [{ ...cloudflare, 'probe-rate': '0' }, 'input probe-rate: 0 is too small; expected a number from 0.1 to 1000'],
    [{ ...cloudflare, 'max-error-rate-increase': 'one' }, 'input max-error-rate-increase: "one" is not a number; expected a number from 0 to 100'],
    [{ ...cloudflare, 'max-latency-increase': 'lots' }, 'input max-latency-increase: "lots" is not a number'],
    [{ ...cloudflare, 'min-samples': '0' }, 'input min-samples: 0 is too small; expected an integer from 1 to 10000000'],
    [{ ...cloudflare, 'failure-limit': '-1' }, 'input failure-limit: -1 is too small; expected an integer from 0 to 1000'],
    [{ ...cloudflare, 'auto-rollback': 'yes' }, 'input auto-rollback: "yes" is not a boolean; expected true or false'],
    [{ ...cloudflare, url: '' }, 'input url: it is required because metrics includes probes; expected the URL to probe, such as https://my-worker.example.com/health'],
    [{ ...cloudflare, url: '', metrics: 'cloudflare-analytics' }, 'input url: it is required because steps starts with a 0 % step, which probes the canary'],
    [{ ...cloudflare, url: 'ftp://x' }, 'input url: "ftp://x" is not an http(s) URL'],
    [{ ...cloudflare, version: 'bad id!' }, 'input version: "bad id!" is not a version id'],
    [{ ...cloudflare, version: 'abc', 'stable-version': 'abc' }, 'input stable-version: it is the canary (abc); expected a version other than version'],
    [{ ...cloudflare, 'smoke-spec': 'smoke.yml', steps: '5,100' }, 'input smoke-spec: it runs at the 0 % step, but steps has none'],
    [{ ...cloudflare, 'wrangler-version': 'latest' }, 'input wrangler-version: "latest" is not a wrangler version; expected a version such as 4.164.0 or 4'],
    [{ ...command, version: '' }, 'input version: it is required but was not given'],
    [{ ...command, version: 'upload' }, 'input version: upload needs provider: cloudflare'],
    [{ ...command, 'shift-command': './x "{canary}' }, 'input shift-command:'],
    [{ ...command, 'stable-url': '' }, 'input stable-url: only one of canary-url and stable-url was given'],
    [{ ...command, metrics: 'cloudflare-analytics' }, 'input metrics: cloudflare-analytics needs provider: cloudflare']
  ])('refuses %j in one line', (values, message) => {
    let thrown: Error | undefined;
    try {
      read(values);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.name).toBe('InputError');
    expect(thrown?.message).toContain(message);
    expect(thrown?.message).not.toContain('\n');
  });
});
