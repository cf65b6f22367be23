// Publishing an action to a repository of its own, as the release workflow does, into a real (bare)
// git repository made in a temp dir: what lands there, its tags, a second run, a refusal, and the
// published action run from that repository's root the way the runner runs it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runAction } from '@deploy-actions/harness';
import { publishAction, ReleaseError, type PublishOptions } from '../../scripts/release.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let scratch: string;
let remote: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const options = (version: string, moveMajor = true): PublishOptions => ({
  version,
  moveMajor,
  remote,
  owner: 'octo-org',
  repository: 'deploy-actions-health-check',
  source: 'octo-org/deploy-actions',
  sourceSha: '0123456789abcdef0123456789abcdef01234567'
});

/** A fresh clone of the target at `ref`, as a user's workflow would fetch it. */
function cloneAt(ref: string): string {
  const dir = mkdtempSync(join(scratch, 'clone-'));
  git(scratch, 'clone', '-q', remote, dir);
  git(dir, 'checkout', '-q', ref);
  return dir;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'release-publish-'));
  remote = join(scratch, 'deploy-actions-health-check.git');
  git(scratch, 'init', '-q', '--bare', '-b', 'main', remote);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('publishing health-check to its own repository', () => {
  it('puts action.yml at the root running dist/, the bundles as dist/, and a README for that repository', () => {
    const result = publishAction(repoRoot, 'health-check', options('v2.0.0'));
    expect(result.changed).toBe(true);
    const clone = cloneAt('v2.0.0');
    expect(readdirSync(clone).filter((entry) => entry !== '.git').sort()).toEqual(['README.md', 'action.yml', 'dist']);
    const metadata = parseYaml(readFileSync(join(clone, 'action.yml'), 'utf8')) as { name: string; runs: Record<string, string>; branding: object };
    const source = parseYaml(readFileSync(join(repoRoot, 'actions/health-check/action.yml'), 'utf8')) as { name: string; branding: object };
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/main/index.js' });
    expect({ name: metadata.name, branding: metadata.branding }).toEqual({ name: source.name, branding: source.branding });
    expect(readdirSync(join(clone, 'dist/main')).sort()).toEqual(readdirSync(join(repoRoot, 'dist/health-check/main')).sort());
    expect(readFileSync(join(clone, 'dist/main/index.js'))).toEqual(readFileSync(join(repoRoot, 'dist/health-check/main/index.js')));
    const readme = readFileSync(join(clone, 'README.md'), 'utf8');
    expect(readme).toContain('- uses: octo-org/deploy-actions-health-check@v2');
    expect(readme).not.toContain('/deploy-actions/actions/health-check@');
    expect(git(clone, 'log', '-1', '--format=%s%n%b')).toBe('health-check v2.0.0\nFrom octo-org/deploy-actions@0123456789abcdef0123456789abcdef01234567');
  });

  it('tags the commit with an annotated v2.0.0 and the moving v2, on main', () => {
    const clone = cloneAt('main');
    expect(git(clone, 'cat-file', '-t', 'v2.0.0')).toBe('tag');
    expect(git(clone, 'rev-parse', 'v2.0.0^{commit}')).toBe(git(clone, 'rev-parse', 'HEAD'));
    expect(git(clone, 'rev-parse', 'v2^{commit}')).toBe(git(clone, 'rev-parse', 'HEAD'));
  });

  it('changes nothing when the same version is published again', () => {
    const before = git(remote, 'show-ref');
    expect(publishAction(repoRoot, 'health-check', options('v2.0.0')).changed).toBe(false);
    expect(git(remote, 'show-ref')).toBe(before);
  });

  it('tags a new version with the same files on the same commit and moves v2 to it; an older line leaves v2 alone', () => {
    const first = git(remote, 'rev-parse', 'v2.0.0^{commit}');
    expect(publishAction(repoRoot, 'health-check', options('v2.1.0')).changed).toBe(false);
    expect(git(remote, 'rev-parse', 'v2.1.0^{commit}')).toBe(first);
    expect(git(remote, 'describe', '--exact-match', 'v2')).toMatch(/^v2/);
    expect(git(remote, 'cat-file', '-p', 'v2')).toContain('health-check v2 → v2.1.0');
    publishAction(repoRoot, 'health-check', options('v2.0.1', false));
    expect(git(remote, 'cat-file', '-p', 'v2')).toContain('health-check v2 → v2.1.0');
  });

  it('refuses to publish other files under a version the repository already has, and leaves it as it was', () => {
    const before = git(remote, 'show-ref');
    const publishOther = () => publishAction(repoRoot, 'smoke-test', { ...options('v2.1.0'), repository: 'deploy-actions-smoke-test' });
    expect(publishOther).toThrow(ReleaseError);
    expect(publishOther).toThrow(`${remote} already has v2.1.0 with other files; a release tag is never rewritten: release a new version`);
    expect(git(remote, 'show-ref')).toBe(before);
  });
});

describe('the published action', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('runs from the root of its repository as `uses: octo-org/deploy-actions-health-check@v2` would', async () => {
    const run = await runAction({ actionDir: cloneAt('v2'), inputs: { url: `${base}/health`, 'json-path': '$.status == "ok"' } });
    expect({ exitCode: run.exitCode, healthy: run.outputs.healthy }).toEqual({ exitCode: 0, healthy: 'true' });
  });
});
