// The local workflow runner on workflows written here, each in a throwaway repository: what a user
// would read in the run (job results, step outcomes, outputs, the log) for each feature it supports,
// and a clear refusal, naming the feature, for what it does not.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { expandMatrix, runWorkflow, satisfiesNodeVersion, WorkflowError, type JobRun, type RunWorkflowOptions, type WorkflowRun } from '@deploy-actions/harness';
import { inspectWorkflow } from '@deploy-actions/harness';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A repository holding `files` (path → text); its workflow is .github/workflows/main.yml. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'workflow-repo-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(workflow: string, options: Partial<RunWorkflowOptions> = {}, files: Record<string, string> = {}): Promise<WorkflowRun> {
  const root = repository({ '.github/workflows/main.yml': workflow, ...files });
  return runWorkflow({ workflow: '.github/workflows/main.yml', root, ...options });
}

function job(result: WorkflowRun, name: string): JobRun {
  const found = result.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}; jobs: ${result.jobs.map((j) => j.name).join(', ')}`);
  return found;
}

/** The lines a step printed (the log without the runner's own lines). */
function printed(j: JobRun): string {
  return j.log.join('\n');
}

describe('jobs in needs order', () => {
  it('runs independent jobs at once and a job after all it needs', async () => {
    // a and b each wait (bounded) for the other's file: they can both succeed only by running together.
    const meet = (mine: string, theirs: string) => `
    runs-on: ubuntu-latest
    steps:
      - run: |
          for i in $(seq 1 600); do touch "$GITHUB_WORKSPACE/${mine}"; [ -e "$GITHUB_WORKSPACE/${theirs}" ] && exit 0; sleep 0.1; done
          echo "never met ${theirs}"; exit 1`;
    const result = await run(`on: push
jobs:
  a:${meet('a', 'b')}
  b:${meet('b', 'a')}
  c:
    needs: [a, b]
    runs-on: ubuntu-latest
    steps:
      - run: echo "after ${'$'}{{ needs.a.result }} and ${'$'}{{ needs.b.result }}"
`);
    expect(result.conclusion).toBe('success');
    const [a, b, c] = ['a', 'b', 'c'].map((name) => job(result, name));
    expect([a!.result, b!.result, c!.result]).toEqual(['success', 'success', 'success']);
    expect(c!.startedAt).toBeGreaterThanOrEqual(Math.max(a!.finishedAt, b!.finishedAt));
    expect(printed(c!)).toContain('after success and success');
  });
});

describe('if, continue-on-error and the status functions', () => {
  it('runs what a failure calls for and skips the rest', async () => {
    const result = await run(`on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: flaky
        run: exit 3
        continue-on-error: true
      - run: echo "flaky was ${'$'}{{ steps.flaky.outcome }}/${'$'}{{ steps.flaky.conclusion }}"
      - id: broken
        run: exit 1
      - run: echo not reached
      - if: failure()
        run: echo "on failure"
      - if: always()
        run: echo "always"
      - if: github.event_name == 'push'
        run: echo "implicitly success() too"
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo deploying
  report:
    needs: deploy
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo "build was ${'$'}{{ needs.deploy.result }}"
`);
    expect(result.conclusion).toBe('failure');
    const build = job(result, 'build');
    expect(build.result).toBe('failure');
    expect(build.steps.map((s) => [s.outcome, s.conclusion])).toEqual([
      ['failure', 'success'],
      ['success', 'success'],
      ['failure', 'failure'],
      ['skipped', 'skipped'],
      ['success', 'success'],
      ['success', 'success'],
      ['skipped', 'skipped']
    ]);
    expect(printed(build)).toContain('flaky was failure/success');
    expect(printed(build)).toContain('##[error]Process completed with exit code 1.');
    expect(printed(build)).not.toContain('\nnot reached');
    expect(job(result, 'deploy').result).toBe('skipped');
    // failure() of a job looks at every job before it, not only the ones it needs.
    expect(job(result, 'report').result).toBe('success');
    expect(printed(job(result, 'report'))).toContain('build was skipped');
  });

  it('lets a job that may fail fail without failing the run', async () => {
    const result = await run(`on: push
jobs:
  optional:
    runs-on: ubuntu-latest
    continue-on-error: true
    steps:
      - run: exit 1
  after:
    needs: optional
    runs-on: ubuntu-latest
    steps:
      - run: echo ran
`);
    expect(job(result, 'optional').result).toBe('failure');
    expect(job(result, 'after').result).toBe('success');
    expect(result.conclusion).toBe('success');
  });
});

describe('time limits and cancellation', () => {
  it('stops a step past its timeout-minutes and fails it', async () => {
    const started = Date.now();
    // 0.05 minutes = 3 s: time enough for a busy machine to start bash; the step would sleep 60 s.
    const result = await run(`on: push
jobs:
  slow:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 60
        timeout-minutes: 0.05
      - if: always()
        run: echo "after the timeout"
`);
    expect(Date.now() - started).toBeLessThan(50_000);
    const slow = job(result, 'slow');
    expect(slow.result).toBe('failure');
    expect(slow.steps[0]?.outcome).toBe('failure');
    expect(printed(slow)).toContain('##[error]The action has timed out.');
    expect(printed(slow)).toContain('\nafter the timeout');
  });

  it('cancels a run: the running step is stopped, only always() steps still run', async () => {
    const root = repository({
      '.github/workflows/main.yml': `on: push
jobs:
  long:
    runs-on: ubuntu-latest
    steps:
      - run: touch started; sleep 60
      - run: echo "not after a cancel"
      - if: always()
        run: echo "cleaning up, the job is ${'$'}{{ job.status }}"
`
    });
    const cancel = new AbortController();
    const running = runWorkflow({ workflow: '.github/workflows/main.yml', root, signal: cancel.signal });
    for (let i = 0; i < 300 && !readdirSync(root).includes('started'); i += 1) await new Promise((r) => setTimeout(r, 100));
    cancel.abort();
    const result = await running;
    expect(result.conclusion).toBe('cancelled');
    const long = job(result, 'long');
    expect(long.result).toBe('cancelled');
    expect(long.steps.map((s) => s.outcome)).toEqual(['cancelled', 'skipped', 'success']);
    expect(printed(long)).toContain('##[error]The operation was canceled.');
    expect(printed(long)).toContain('\ncleaning up, the job is cancelled');
  });
});

describe('outputs, env and defaults', () => {
  it('passes outputs from step to step and from job to job', async () => {
    const result = await run(`on: push
jobs:
  produce:
    runs-on: ubuntu-latest
    outputs:
      version: ${'$'}{{ steps.v.outputs.version }}
      notes: ${'$'}{{ steps.v.outputs.notes }}
    steps:
      - id: v
        run: |
          echo "version=1.2.3" >> "$GITHUB_OUTPUT"
          printf 'notes<<EOF\\nline one\\nline two\\nEOF\\n' >> "$GITHUB_OUTPUT"
      - env:
          VERSION: ${'$'}{{ steps.v.outputs.version }}
        run: echo "same job sees $VERSION"
  consume:
    needs: produce
    runs-on: ubuntu-latest
    steps:
      - env:
          VERSION: ${'$'}{{ needs.produce.outputs.version }}
          NOTES: ${'$'}{{ needs.produce.outputs.notes }}
        run: echo "next job sees $VERSION; $NOTES"
`);
    expect(job(result, 'produce').outputs).toEqual({ version: '1.2.3', notes: 'line one\nline two' });
    expect(printed(job(result, 'produce'))).toContain('same job sees 1.2.3');
    expect(printed(job(result, 'consume'))).toContain('next job sees 1.2.3; line one\nline two');
  });

  it('layers env: workflow, then job, then GITHUB_ENV, then step', async () => {
    const result = await run(`on: push
env:
  W: workflow
  J: workflow
  E: workflow
  S: workflow
jobs:
  show:
    runs-on: ubuntu-latest
    env:
      J: job
      E: job
      S: job
    steps:
      - run: echo "E=exported" >> "$GITHUB_ENV"; echo "S=exported" >> "$GITHUB_ENV"
      - env:
          S: step
        run: echo "W=$W J=$J E=$E S=$S env.E=${'$'}{{ env.E }}"
`);
    expect(printed(job(result, 'show'))).toContain('W=workflow J=job E=exported S=step env.E=exported');
  });

  it('applies defaults.run, the job over the workflow, a step over both', async () => {
    const result = await run(
      `on: push
defaults:
  run:
    shell: sh
    working-directory: one
jobs:
  workflow-defaults:
    runs-on: ubuntu-latest
    steps:
      - run: echo "in $(basename "$PWD") with ${'$'}{BASH_VERSION:-no bash}"
  job-defaults:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: bash
        working-directory: two
    steps:
      - run: echo "in $(basename "$PWD") with bash ${'$'}{BASH_VERSION%%.*}"
      - run: echo "in $(basename "$PWD")"
        working-directory: one
`,
      {},
      { 'one/.keep': '', 'two/.keep': '' }
    );
    expect(printed(job(result, 'workflow-defaults'))).toContain('in one with no bash');
    expect(printed(job(result, 'workflow-defaults'))).toContain('shell: sh -e {0}');
    expect(printed(job(result, 'job-defaults'))).toMatch(/in two with bash \d/);
    expect(printed(job(result, 'job-defaults'))).toContain('\nin one');
  });
});

describe('matrix', () => {
  it('expands the product, less exclude, plus include as GitHub does', () => {
    expect(
      expandMatrix({
        os: ['linux', 'mac'],
        node: [20, 24],
        exclude: [{ os: 'mac', node: 20 }],
        include: [{ node: 24, experimental: true }, { os: 'linux', node: 20, note: 'old' }, { os: 'windows' }]
      })
    ).toEqual([
      { os: 'linux', node: 20, note: 'old' },
      { os: 'linux', node: 24, experimental: true },
      { os: 'mac', node: 24, experimental: true },
      { os: 'windows' }
    ]);
    expect(expandMatrix({ include: [{ a: 1 }, { a: 2 }] })).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('runs a job per leg with its matrix values, and its name says which', async () => {
    const result = await run(`on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        service: [api, web]
        region: [eu, us]
        exclude:
          - service: web
            region: us
        include:
          - service: db
    steps:
      - run: echo "testing ${'$'}{{ matrix.service }} in ${'$'}{{ matrix.region || 'every region' }} (${'$'}{{ strategy.job-index }}/${'$'}{{ strategy.job-total }})"
`);
    expect(result.jobs.map((j) => j.name).sort()).toEqual(['test (api, eu)', 'test (api, us)', 'test (db)', 'test (web, eu)']);
    expect(printed(job(result, 'test (db)'))).toContain('testing db in every region (3/4)');
    expect(printed(job(result, 'test (api, us)'))).toContain('testing api in us (1/4)');
  });
});

describe('matrix fail-fast', () => {
  it('cancels the other legs when one fails, unless fail-fast is false', async () => {
    // The good leg waits (bounded) for a file nobody writes: only a cancel ends it early.
    const workflow = (failFast: boolean) => `on: push
jobs:
  legs:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: ${failFast}
      matrix:
        leg: [good, bad]
    steps:
      - run: |
          if [ "${'$'}{{ matrix.leg }}" = bad ]; then exit 1; fi
          for i in $(seq 1 ${failFast ? 600 : 5}); do [ -e never ] && exit 0; sleep 0.1; done
`;
    const fast = await run(workflow(true));
    expect(fast.conclusion).toBe('failure');
    expect(job(fast, 'legs (bad)').result).toBe('failure');
    expect(job(fast, 'legs (good)').result).toBe('cancelled');
    const patient = await run(workflow(false));
    expect(job(patient, 'legs (good)').result).toBe('success');
    expect(job(patient, 'legs (bad)').result).toBe('failure');
  });
});

/** A JavaScript action of the repository with pre, main and post that log what they see. */
const PROBE_ACTION = {
  'actions/probe/action.yml': `name: probe
description: logs its phases
inputs:
  label:
    description: what to call itself
    required: true
  token:
    description: the job token
    default: \${{ github.token }}
outputs:
  seen:
    description: what main saw
runs:
  using: node24
  pre: pre.mjs
  main: main.mjs
  post: post.mjs
  post-if: always()
`,
  'actions/probe/pre.mjs': `import { appendFileSync } from 'node:fs';
console.log('pre of ' + process.env.INPUT_LABEL);
appendFileSync(process.env.GITHUB_STATE, 'started=' + process.env.INPUT_LABEL + '\\n');`,
  'actions/probe/main.mjs': `import { appendFileSync } from 'node:fs';
console.log('main of ' + process.env.INPUT_LABEL + ' after ' + process.env.STATE_started + ', token ' + process.env.INPUT_TOKEN);
appendFileSync(process.env.GITHUB_OUTPUT, 'seen=' + process.env.INPUT_LABEL + '@' + process.env.GITHUB_EVENT_NAME + '\\n');
appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### ' + process.env.INPUT_LABEL + ' done\\n');
if (process.env.INPUT_LABEL === 'bad') process.exitCode = 1;`,
  'actions/probe/post.mjs': `console.log('post of ' + process.env.INPUT_LABEL + ' (state ' + process.env.STATE_started + ')');`
};

describe('actions of the repository, through the harness', () => {
  it('runs every pre first, mains in order, posts last in reverse, with state, outputs and summary', async () => {
    const result = await run(
      `on: workflow_dispatch
jobs:
  probe:
    runs-on: ubuntu-latest
    steps:
      - id: first
        uses: ./actions/probe
        with:
          label: first
      - run: echo "between, first saw $SEEN"
        env:
          SEEN: ${'$'}{{ steps.first.outputs.seen }}
      - uses: ./actions/probe
        with:
          label: second
`,
      { secrets: { GITHUB_TOKEN: 'ghs_secret_token' } },
      PROBE_ACTION
    );
    const probe = job(result, 'probe');
    expect(probe.result).toBe('success');
    const order = probe.log.filter((line) => /^(pre|main|post) of|^between/.test(line));
    expect(order).toEqual([
      'pre of first',
      'pre of second',
      'main of first after first, token ***',
      'between, first saw first@workflow_dispatch',
      'main of second after second, token ***',
      'post of second (state second)',
      'post of first (state first)'
    ]);
    expect(probe.summary).toBe('### first done\n\n### second done\n');
    expect(probe.log.join('\n')).not.toContain('ghs_secret_token');
  });
});

describe('reusable workflows', () => {
  const called = `on:
  workflow_call:
    inputs:
      environment:
        type: string
        required: true
      canary:
        type: boolean
        default: false
    secrets:
      DEPLOY_TOKEN:
        required: true
    outputs:
      url:
        description: where it went
        value: ${'$'}{{ jobs.deploy.outputs.url }}
jobs:
  deploy:
    runs-on: ubuntu-latest
    outputs:
      url: ${'$'}{{ steps.go.outputs.url }}
    steps:
      - id: go
        env:
          TOKEN: ${'$'}{{ secrets.DEPLOY_TOKEN }}
        run: |
          echo "deploying to ${'$'}{{ inputs.environment }} canary=${'$'}{{ inputs.canary }} with $TOKEN for ${'$'}{{ github.event_name }}"
          echo "url=https://${'$'}{{ inputs.environment }}.example.test" >> "$GITHUB_OUTPUT"
`;
  it('runs the called workflow with its inputs and secrets and hands back its outputs', async () => {
    const result = await run(
      `on: workflow_dispatch
jobs:
  staging:
    uses: ./.github/workflows/deploy.yml
    with:
      environment: staging
      canary: true
    secrets:
      DEPLOY_TOKEN: ${'$'}{{ secrets.STAGING_TOKEN }}
  check:
    needs: staging
    runs-on: ubuntu-latest
    steps:
      - run: echo "deployed at ${'$'}{{ needs.staging.outputs.url }}"
`,
      { secrets: { STAGING_TOKEN: 's3cr3t-staging' } },
      { '.github/workflows/deploy.yml': called }
    );
    expect(result.conclusion).toBe('success');
    const inner = job(result, 'staging / deploy');
    expect(inner.id).toBe('staging/deploy');
    expect(printed(inner)).toContain('deploying to staging canary=true with *** for workflow_dispatch');
    expect(printed(inner)).not.toContain('s3cr3t-staging');
    expect(printed(job(result, 'check'))).toContain('deployed at https://staging.example.test');
  });

  it('refuses a call that misses a required input, before anything runs', async () => {
    const attempt = run(
      `on: push
jobs:
  staging:
    uses: ./.github/workflows/deploy.yml
    secrets:
      DEPLOY_TOKEN: x
`,
      {},
      { '.github/workflows/deploy.yml': called }
    );
    await expect(attempt).rejects.toThrow(/Input environment is required/);
  });

  it('runs a workflow_call workflow on its own with inputs and secrets given', async () => {
    const root = repository({ '.github/workflows/deploy.yml': called });
    const result = await runWorkflow({
      workflow: '.github/workflows/deploy.yml',
      root,
      event: 'workflow_call',
      inputs: { environment: 'prod' },
      secrets: { DEPLOY_TOKEN: 'tok' }
    });
    expect(result.outputs).toEqual({ url: 'https://prod.example.test' });
    await expect(runWorkflow({ workflow: '.github/workflows/deploy.yml', root, event: 'workflow_call', inputs: { environment: 'prod' } })).rejects.toThrow(
      'secret DEPLOY_TOKEN is required by on.workflow_call.secrets'
    );
  });
});

describe('events, inputs and secrets', () => {
  const dispatch = `on:
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [staging, production]
        required: true
      dry-run:
        type: boolean
        default: true
  push:
  schedule:
    - cron: '0 6 * * *'
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "event=${'$'}{{ github.event_name }} target=${'$'}{{ inputs.target }} dry=${'$'}{{ inputs.dry-run }} typed=${'$'}{{ inputs.dry-run == true }}"
          echo "payload=${'$'}{{ github.event.inputs.target }} ${'$'}{{ github.event.schedule }} ${'$'}{{ github.event.after }} by ${'$'}{{ github.actor }}"
          echo "password is $PASSWORD"
        env:
          PASSWORD: ${'$'}{{ secrets.PASSWORD }}
`;
  it('gives workflow_dispatch its typed inputs and payload, and masks secrets', async () => {
    const result = await run(dispatch, { event: 'workflow_dispatch', inputs: { target: 'production' }, secrets: { PASSWORD: 'pa55word' }, actor: 'dana' });
    const text = printed(job(result, 'show'));
    expect(text).toContain('event=workflow_dispatch target=production dry=true typed=true');
    expect(text).toContain('payload=production   by dana');
    expect(text).toContain('password is ***');
    expect(text).not.toContain('pa55word');
  });

  it('gives push and schedule their payloads', async () => {
    const push = await run(dispatch, { event: 'push', sha: 'abc123', payload: { head_commit: { message: 'fix' } } });
    expect(printed(job(push, 'show'))).toContain('event=push target= dry= typed=false');
    expect(printed(job(push, 'show'))).toContain('payload=  abc123 by octocat');
    const schedule = await run(dispatch, { event: 'schedule' });
    expect(printed(job(schedule, 'show'))).toContain('payload= 0 6 * * *  by octocat');
  });

  it('points github.api_url and GITHUB_API_URL at the GitHub given (a server of ours, or GitHub\'s own by default)', async () => {
    const urls = `on: push
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: echo "context=${'$'}{{ github.api_url }} ${'$'}{{ github.server_url }} env=$GITHUB_API_URL $GITHUB_GRAPHQL_URL $GITHUB_SERVER_URL"
`;
    // GitHub Enterprise Server: REST at <host>/api/v3, GraphQL at <host>/api/graphql, the server at <host>.
    const enterprise = await run(urls, { apiUrl: 'http://127.0.0.1:9/api/v3/' });
    expect(printed(job(enterprise, 'show'))).toContain('context=http://127.0.0.1:9/api/v3 http://127.0.0.1:9 env=http://127.0.0.1:9/api/v3 http://127.0.0.1:9/api/graphql http://127.0.0.1:9');
    // A stand-in at a plain address: GraphQL beneath it, the server as given.
    const standIn = await run(urls, { apiUrl: 'http://127.0.0.1:9', serverUrl: 'http://127.0.0.1:8' });
    expect(printed(job(standIn, 'show'))).toContain('context=http://127.0.0.1:9 http://127.0.0.1:8 env=http://127.0.0.1:9 http://127.0.0.1:9/graphql http://127.0.0.1:8');
    const github = await run(urls);
    expect(printed(job(github, 'show'))).toContain('context=https://api.github.com https://github.com env=https://api.github.com https://api.github.com/graphql https://github.com');
  });

  it('refuses inputs it cannot use, naming the input and what it takes', async () => {
    await expect(run(dispatch, { event: 'workflow_dispatch' })).rejects.toThrow('input target is required by on.workflow_dispatch.inputs');
    await expect(run(dispatch, { event: 'workflow_dispatch', inputs: { target: 'qa' } })).rejects.toThrow('input target must be one of staging, production, not "qa"');
    await expect(run(dispatch, { event: 'workflow_dispatch', inputs: { target: 'staging', 'dry-run': 'maybe' } })).rejects.toThrow('input dry-run is a boolean');
    await expect(run(dispatch, { event: 'workflow_dispatch', inputs: { target: 'staging', tagret: 'x' } })).rejects.toThrow('input tagret is not declared');
    await expect(run(dispatch, { event: 'push', inputs: { target: 'staging' } })).rejects.toThrow('a push event has none');
  });
});

describe('what the runner does not support', () => {
  it.each([
    ['an action from another repository', 'steps:\n      - uses: actions/cache@v4', 'actions/cache@v4: only actions of this repository'],
    ['an input of actions/checkout with no local meaning', 'steps:\n      - uses: actions/checkout@v5\n        with:\n          sparse-checkout: src', "with.sparse-checkout: actions/checkout's input sparse-checkout (it takes repository, ref, path, fetch-depth locally)"],
    ['an input of actions/setup-node with no local meaning', 'steps:\n      - uses: actions/setup-node@v5\n        with:\n          registry-url: https://npm.example', "with.registry-url: actions/setup-node's input registry-url"],
    ['a container', 'container: node:24\n    steps:\n      - run: echo', 'job containers'],
    ['services', 'services:\n      db:\n        image: postgres\n    steps:\n      - run: echo', 'service containers'],
    ['hashFiles()', "steps:\n      - run: echo ${{ hashFiles('x') }}", 'the expression function hashFiles()'],
    ['another shell', 'steps:\n      - run: echo\n        shell: pwsh', 'shell: pwsh']
  ])('refuses %s, naming it, before any job runs', async (_, jobBody, named) => {
    const root = repository({
      '.github/workflows/main.yml': `on: push\njobs:\n  fine:\n    runs-on: ubuntu-latest\n    steps:\n      - run: touch ran\n  odd:\n    runs-on: ubuntu-latest\n    ${jobBody}\n`
    });
    const attempt = runWorkflow({ workflow: '.github/workflows/main.yml', root });
    await expect(attempt).rejects.toThrow(WorkflowError);
    await expect(attempt).rejects.toThrow(named);
    await expect(attempt).rejects.toThrow('not supported by the local runner');
    expect(readdirSync(root)).not.toContain('ran');
  });

  it('refuses an event it does not run, and one the workflow does not declare', async () => {
    await expect(run('on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n')).rejects.toThrow(
      'the workflow runs on pull_request; the local runner runs workflow_dispatch, workflow_call, push, schedule'
    );
    await expect(run('on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n', { event: 'schedule' })).rejects.toThrow('does not run on schedule');
  });

  it('reports what GitHub\'s parser finds wrong with a workflow', async () => {
    const workflow = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n  b:\n    runs-on: x\n    needs: nothing\n    steps:\n      - run: echo\n';
    await expect(run(workflow)).rejects.toThrow(/not valid[\s\S]*Job 'b' depends on unknown job 'nothing'/);
  });

  it("parses the repository's own workflows: checkout and setup-node run, only the other repositories' actions are refused", async () => {
    const problems = await inspectWorkflow('.github/workflows/ci.yml', repoRoot);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/uses: actions\/upload-artifact@v\d+: only actions of this repository/);
    expect(await inspectWorkflow('.github/workflows/release.yml', repoRoot)).toEqual([]);
  });
});

describe('actions/checkout and actions/setup-node, as the local runner does them', () => {
  const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();

  /** A git repository on branch main with three commits, holding the workflow and `files`. */
  function gitRepository(workflow: string, files: Record<string, string> = {}): { root: string; sha: string; first: string } {
    const root = repository({ '.github/workflows/main.yml': workflow, ...files });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'first');
    const first = git(root, 'rev-parse', 'HEAD');
    git(root, 'commit', '-q', '--allow-empty', '-m', 'second');
    git(root, 'commit', '-q', '--allow-empty', '-m', 'third');
    return { root, sha: git(root, 'rev-parse', 'HEAD'), first };
  }

  const checkoutWorkflow = (withBlock: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: checkout
        uses: actions/checkout@v5
${withBlock}
      - run: echo "commit=${'$'}{{ steps.checkout.outputs.commit }} ref=${'$'}{{ steps.checkout.outputs.ref }}"
`;

  it('says the workspace is the local repository at its commit, fetches nothing, and gives commit and ref', async () => {
    const { root, sha } = gitRepository(checkoutWorkflow('        with:\n          fetch-depth: 0'));
    const result = await runWorkflow({ workflow: '.github/workflows/main.yml', root });
    const build = job(result, 'build');
    expect(build.result).toBe('success');
    expect(build.log).toContain(`actions/checkout: the workspace is the local repository at ${sha} (main); nothing to fetch`);
    expect(build.log).toContain('actions/checkout: fetch-depth 0: the local clone has all its history (3 commits)');
    expect(printed(build)).toContain(`commit=${sha} ref=refs/heads/main`);
  });

  it('says so when the local clone has more history than fetch-depth, or less than fetch-depth 0 asks for', async () => {
    const { root } = gitRepository(checkoutWorkflow(''));
    const deep = await runWorkflow({ workflow: '.github/workflows/main.yml', root });
    expect(job(deep, 'build').log).toContain('actions/checkout: fetch-depth 1: the local clone has more history than GitHub would fetch (3 commits); steps see all of it');

    const shallow = mkdtempSync(join(tmpdir(), 'workflow-shallow-'));
    made.push(shallow);
    git(shallow, 'clone', '-q', '--depth', '1', `file://${root}`, 'clone');
    writeFileSync(join(shallow, 'clone', '.github/workflows/main.yml'), checkoutWorkflow('        with:\n          fetch-depth: 0'));
    const result = await runWorkflow({ workflow: '.github/workflows/main.yml', root: join(shallow, 'clone') });
    const build = job(result, 'build');
    expect(build.result).toBe('success');
    expect(build.log).toContain('actions/checkout: it has 1 uncommitted change, which the steps see as they are');
    expect(build.log).toContain(
      'actions/checkout: fetch-depth 0 asks for all history, but the local clone is shallow (1 commit, a shallow clone): steps that read history see only these; run git fetch --unshallow for all'
    );
  });

  it('takes a ref that names the commit the workspace is at, and fails the step, naming ref, for any other', async () => {
    const { root, sha, first } = gitRepository(checkoutWorkflow('        with:\n          ref: ${{ github.event.inputs.ref || github.sha }}'), {});
    for (const ref of ['HEAD', 'main', sha.slice(0, 7), sha]) {
      const result = await runWorkflow({ workflow: '.github/workflows/main.yml', root, payload: { inputs: { ref } } });
      expect(job(result, 'build').result).toBe('success');
    }
    const result = await runWorkflow({ workflow: '.github/workflows/main.yml', root, payload: { inputs: { ref: first } } });
    const build = job(result, 'build');
    expect(build.result).toBe('failure');
    expect(build.log).toContain(
      `##[error]actions/checkout: input ref "${first}" is ${first}, not the commit the workspace is at (${sha}); the local runner runs on the checkout as it is: give HEAD, ${sha.slice(0, 7)} or the current branch, or leave ref out`
    );
    expect(build.steps[0]!.annotations[0]!.message).toMatch(/^actions\/checkout: input ref /);
    expect(build.steps[1]!.outcome).toBe('skipped');
    const unknown = await runWorkflow({ workflow: '.github/workflows/main.yml', root, payload: { inputs: { ref: 'v9.9.9' } } });
    expect(job(unknown, 'build').log).toContain(
      `##[error]actions/checkout: input ref "v9.9.9" is not known to the local repository, not the commit the workspace is at (${sha}); the local runner runs on the checkout as it is: give HEAD, ${sha.slice(0, 7)} or the current branch, or leave ref out`
    );
  });

  it("takes repository only when it is the run's own, and path only when it is the workspace", async () => {
    const { root } = gitRepository(checkoutWorkflow('        with:\n          repository: ${{ github.event.inputs.repository }}\n          path: ${{ github.event.inputs.path }}'));
    const attempt = (inputs: Record<string, string>) => runWorkflow({ workflow: '.github/workflows/main.yml', root, repository: 'acme/shop', payload: { inputs } });
    expect(job(await attempt({ repository: 'acme/shop', path: '.' }), 'build').result).toBe('success');
    expect(job(await attempt({ repository: 'ACME/Shop', path: '' }), 'build').result).toBe('success');
    expect(job(await attempt({ repository: 'acme/other', path: '' }), 'build').log).toContain(
      '##[error]actions/checkout: input repository "acme/other" is another repository; the local runner checks out only the run\'s own, acme/shop (leave repository out)'
    );
    expect(job(await attempt({ repository: '', path: 'deploy-actions' }), 'build').log).toContain(
      '##[error]actions/checkout: input path "deploy-actions" is not the workspace; the local runner\'s checkout is the workspace itself (leave path out)'
    );
  });

  const pathNode = () => JSON.parse(execFileSync('node', ['-p', 'JSON.stringify([process.version, process.execPath])'], { encoding: 'utf8' })) as [string, string];
  const setupNodeWorkflow = (withBlock: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: node
        uses: actions/setup-node@v5
        with:
${withBlock}
      - run: echo "node-version=${'$'}{{ steps.node.outputs.node-version }} runs $(node --version)"
`;

  it("passes when the Node on the runner's PATH satisfies node-version, and says which Node it is", async () => {
    const [version, path] = pathNode();
    const major = version.slice(1).split('.')[0]!;
    const result = await run(setupNodeWorkflow(`          node-version: ${major}\n          cache: npm`));
    const build = job(result, 'build');
    expect(build.result).toBe('success');
    expect(build.log).toContain(`actions/setup-node: node-version ${major} is satisfied by Node ${version} (${path}), the first on the runner's PATH; nothing installed`);
    expect(build.log).toContain("actions/setup-node: cache npm: no cache locally; the workspace's node_modules is used as it is");
    expect(printed(build)).toContain(`node-version=${version} runs ${version}`);

    const fromFile = await run(setupNodeWorkflow('          node-version-file: .nvmrc'), {}, { '.nvmrc': `# the team's Node\nv${major}\n` });
    expect(job(fromFile, 'build').log).toContain(`actions/setup-node: node-version v${major} (from .nvmrc) is satisfied by Node ${version} (${path}), the first on the runner's PATH; nothing installed`);
  });

  it('fails the step in one line when the Node on PATH does not satisfy node-version, or the version cannot be checked', async () => {
    const [version, path] = pathNode();
    const result = await run(setupNodeWorkflow("          node-version: '>=99 <100'"));
    const build = job(result, 'build');
    expect(build.result).toBe('failure');
    expect(build.log).toContain(
      `##[error]actions/setup-node: node-version >=99 <100 is not satisfied by Node ${version} (${path}), the first on the runner's PATH; the local runner installs no Node: put a matching one first on PATH`
    );
    expect(build.steps[1]!.outcome).toBe('skipped');
    const latest = await run(setupNodeWorkflow('          node-version: latest'));
    expect(job(latest, 'build').log).toContain(
      '##[error]actions/setup-node: node-version latest is not a version the local runner can check: give a major (24), a version (24.1.0), a range (>=22 <25, ^24.1, 24.x) or lts/*'
    );
    const missing = await run(setupNodeWorkflow('          node-version-file: .nvmrc'));
    expect(job(missing, 'build').log).toContain('##[error]actions/setup-node: input node-version-file ".nvmrc": no such file in the workspace');
  });

  it('reads node-version as setup-node does: majors, partial versions, x-ranges, comparators, ^, ~ and ||', () => {
    const cases: Array<[string, string, boolean | undefined]> = [
      ['24.1.0', '24', true],
      ['24.1.0', 'v24', true],
      ['24.1.0', '22', false],
      ['24.1.0', '24.x', true],
      ['24.1.0', '24.1', true],
      ['24.1.0', '24.2', false],
      ['24.1.0', '24.1.0', true],
      ['24.1.0', '>=22 <25', true],
      ['25.0.0', '>=22 <25', false],
      ['24.1.0', '^24.0.5', true],
      ['25.0.0', '^24.0.5', false],
      ['24.1.9', '~24.1.2', true],
      ['24.2.0', '~24.1.2', false],
      ['24.3.0', '~24.1', false],
      ['24.1.0', '20 || 24', true],
      ['23.1.0', '20 || 24', false],
      ['24.1.0', 'latest', undefined],
      // semver, as setup-node reads it, allows a blank after the operator.
      ['24.1.0', '>= 24', true],
      ['24.1.0', '24 26', false],
      ['24.1.0', 'lts/*!', undefined]
    ];
    for (const [version, range, expected] of cases) expect([version, range, satisfiesNodeVersion(version, range)]).toEqual([version, range, expected]);
  });
});

describe('actions and reusable workflows of a repository mapped to a local folder', () => {
  const tools = () =>
    repository({
      ...PROBE_ACTION,
      '.github/workflows/called.yml': `on:
  workflow_call:
jobs:
  inner:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/deploy-actions/actions/probe@v2.1.0
        with:
          label: called
`
    });
  const caller = `on: push
jobs:
  direct:
    runs-on: ubuntu-latest
    steps:
      - id: probe
        uses: acme/deploy-actions/actions/probe@v2.1.0
        with:
          label: direct
      - run: echo "probe said ${'$'}{{ steps.probe.outputs.seen }}"
  reusable:
    uses: acme/deploy-actions/.github/workflows/called.yml@v2.1.0
`;

  it('runs owner/name/<path>@<ref> from the folder mapped to owner/name, or to */name for any owner, and says so', async () => {
    const folder = tools();
    for (const key of ['acme/deploy-actions', '*/deploy-actions']) {
      const result = await run(caller, { actionRepositories: { [key]: folder } });
      expect(result.conclusion).toBe('success');
      const direct = job(result, 'direct');
      expect(direct.log).toContain(`from the local folder ${join(folder, 'actions/probe')} (the ref after @ is not checked out: the folder runs as it is)`);
      expect(printed(direct)).toContain('probe said direct@push');
      expect(printed(job(result, 'reusable / inner'))).toContain('main of called after called');
    }
  });

  it('refuses them, naming each, when no folder is mapped to their repository', async () => {
    const folder = tools();
    const directOnly = caller.slice(0, caller.indexOf('  reusable:'));
    await expect(run(directOnly, { actionRepositories: { 'other/deploy-actions': folder } })).rejects.toThrow(
      'acme/deploy-actions/actions/probe@v2.1.0: only actions of this repository'
    );
    await expect(run(caller, { actionRepositories: { 'other/deploy-actions': folder } })).rejects.toThrow(
      'acme/deploy-actions/.github/workflows/called.yml@v2.1.0: a reusable workflow from another repository (one mapped to a local folder runs) (not supported by the local runner)'
    );
    await expect(run(caller, { actionRepositories: { 'not a repository': tools() } })).rejects.toThrow('actionRepositories: "not a repository" is not owner/name or */name');
  });
});
