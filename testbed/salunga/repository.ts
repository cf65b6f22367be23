// Salunga AI's repository as examples/salunga-ai expects it, for the example's end-to-end test and
// the demo: worker/ (src/ around the bed's sample Worker, a `build` script writing dist/, production
// and `[env.staging]` in wrangler.toml, the staging smoke tests) and api/, the backend the platform
// bed's `shuttle` deploys (its platform-app.json sets the API's behaviour). This repository's
// actions, workflows, bundles and node_modules are linked in, as a checkout of it would have them;
// everything is committed, so build-cache-key's key comes from git's index as in a job.
//
// Erasable TypeScript, run by plain Node 24 (the demo) and by jest (the test).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Shuttle project of the API, as the example's SHUTTLE_PROJECT variable names it. */
export const SALUNGA_API_PROJECT = 'salunga-api';

// Salunga's Worker answers its health contract, {"status": "ok", …}, around the sample Worker, which
// fails FAIL_PERCENT of its requests with a 500, evenly spread, the same every run.
const SALUNGA_WORKER = `import sample from './sample.js';

export default {
  async fetch(request, env, ctx) {
    const answer = await sample.fetch(request, env, ctx);
    return Response.json({ status: 'ok', ...(await answer.json()) });
  }
};
`;

export interface SalungaRepository {
  root: string;
  /** root/worker, where wrangler runs. */
  worker: string;
  git(args: string[]): string;
  /** Commits the next version: the Worker's label and the share of requests it fails (production and staging alike), and the API's label. */
  nextVersion(label: string, failPercent: number): void;
  /** Builds worker/dist by hand, for the first `wrangler deploy` before the pipeline runs; `removeBuild()` after it. */
  buildLocally(): void;
  removeBuild(): void;
  remove(): void;
}

export function makeSalungaRepository(): SalungaRepository {
  const root = mkdtempSync(join(tmpdir(), 'salunga-repo-'));
  const worker = join(root, 'worker');
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'user.name=salunga', '-c', 'user.email=dev@salunga.example', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
      cwd: root,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CEILING_DIRECTORIES: dirname(root) },
      encoding: 'utf8',
      timeout: 60_000
    }).trim();

  for (const link of ['actions', '.github', 'dist', 'node_modules']) symlinkSync(join(repoRoot, link), join(root, link));
  mkdirSync(join(worker, 'src'), { recursive: true });
  cpSync(join(repoRoot, 'testbed/cloudflare/worker/index.js'), join(worker, 'src/sample.js'));
  writeFileSync(join(worker, 'src/index.js'), SALUNGA_WORKER);
  writeFileSync(join(worker, 'package.json'), `${JSON.stringify({ name: 'salunga-worker', private: true, scripts: { build: 'mkdir -p dist && cp src/*.js dist/' } }, null, 2)}\n`);
  const sampleConfig = readFileSync(join(repoRoot, 'testbed/cloudflare/worker/wrangler.toml'), 'utf8');
  const vars = /\[vars\]\n(?:[A-Z_]+ = "[^"]*"\n)+/.exec(sampleConfig)?.[0];
  if (!vars) throw new Error('testbed/cloudflare/worker/wrangler.toml has no [vars] table');
  const config = sampleConfig.replace(/^name = "[^"]*"/m, 'name = "salunga-ai"').replace(/^main = "[^"]*"/m, 'main = "dist/index.js"');
  // wrangler does not inherit vars into an environment: staging repeats them.
  writeFileSync(join(worker, 'wrangler.toml'), `${config}\n[env.staging]\nname = "salunga-ai-staging"\n\n${vars.replace('[vars]', '[env.staging.vars]')}`);
  cpSync(join(repoRoot, 'examples/salunga-ai/smoke.yml'), join(worker, 'smoke.yml'));
  mkdirSync(join(root, 'api'));
  writeFileSync(join(root, 'api/platform-app.json'), `${JSON.stringify({ label: 'api-v1' })}\n`);
  writeFileSync(join(root, '.gitignore'), 'dist/\n');
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-qm', 'salunga: worker and api']);

  return {
    root,
    worker,
    git,
    nextVersion(label, failPercent) {
      const file = join(worker, 'wrangler.toml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace(/VERSION_LABEL = "[^"]*"/g, `VERSION_LABEL = "${label}"`)
          .replace(/FAIL_PERCENT = "[^"]*"/g, `FAIL_PERCENT = "${failPercent}"`)
      );
      writeFileSync(join(root, 'api/platform-app.json'), `${JSON.stringify({ label: `api-${label}` })}\n`);
      git(['commit', '-qam', label]);
    },
    buildLocally() {
      mkdirSync(join(worker, 'dist'), { recursive: true });
      for (const file of ['index.js', 'sample.js']) cpSync(join(worker, 'src', file), join(worker, 'dist', file));
    },
    removeBuild() {
      rmSync(join(worker, 'dist'), { recursive: true, force: true });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
