// The shims' one job: send this call (arguments, working directory, and the few environment
// variables the real CLI would read) to the platform bed at PLATFORM_BED_URL, print what it answers,
// and exit with its exit code. Plain JavaScript for any Node ≥ 20, as `#!/usr/bin/env node` finds
// whatever Node is first on PATH. node:http, not fetch: it never goes through a proxy.

import { request } from 'node:http';

const FORWARDED_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'VERCEL_TOKEN',
  'VERCEL_ORG_ID',
  'VERCEL_PROJECT_ID',
  'SHUTTLE_API_KEY',
  'DATABASE_URL'
];

/** Bounds a call to a bed that stopped answering; the bed itself answers in milliseconds. */
const TIMEOUT_MS = 30_000;

export function forward(tool) {
  const base = process.env.PLATFORM_BED_URL;
  if (!base) {
    process.stderr.write(`${tool}: PLATFORM_BED_URL is not set. This ${tool} is the deploy-actions test bed's stand-in (testbed/platforms); start the bed and use its env.\n`);
    process.exit(255);
  }
  const env = {};
  for (const name of FORWARDED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  const body = JSON.stringify({ tool, argv: process.argv.slice(2), cwd: process.cwd(), env });
  const target = new URL('/_bed/run', base);
  const req = request(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: TIMEOUT_MS }, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => {
      let outcome;
      try {
        outcome = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        outcome = undefined;
      }
      if (res.statusCode !== 200 || !outcome || typeof outcome.exitCode !== 'number') {
        process.stderr.write(`${tool}: the platform bed at ${base} answered ${res.statusCode}: ${(outcome && outcome.error) || 'not an outcome'}\n`);
        process.exit(255);
      }
      process.stdout.write(outcome.stdout, () => process.stderr.write(outcome.stderr, () => process.exit(outcome.exitCode)));
    });
  });
  req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
  req.on('error', (error) => {
    process.stderr.write(`${tool}: cannot reach the platform bed at ${base}: ${error.message}\n`);
    process.exit(255);
  });
  req.end(body);
}
