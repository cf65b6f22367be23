// bin/split's work; plain JavaScript like forward.mjs. It never builds a shell string: `aws` runs
// with an argument array.

import { execFileSync } from 'node:child_process';

const USAGE = 'usage: split aws set <function> <alias> <canary> <stable> <percentage>\n       split aws status <function> <alias>';

function fail(message, code = 2) {
  process.stderr.write(`split: ${message}\n${USAGE}\n`);
  process.exit(code);
}

/** Runs `aws`; its own error output and exit code pass through unchanged. */
function aws(args) {
  try {
    return execFileSync('aws', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
  } catch (error) {
    if (typeof error.status === 'number') process.exit(error.status);
    fail(`could not run aws: ${error.message}`, 127);
  }
}

export function main(argv) {
  const [platform, command, fn, alias, ...rest] = argv;
  if (platform !== 'aws') fail(platform ? `unknown platform ${platform}; only aws has weighted aliases` : 'no platform given');
  if (!fn || !alias) fail('the function and the alias are required');
  if (command === 'set') {
    const [canary, stable, raw, ...extra] = rest;
    if (!canary || !stable || raw === undefined || extra.length > 0) fail('set needs <canary> <stable> <percentage>');
    const percentage = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || percentage > 100) fail(`percentage must be a number from 0 to 100, got ${raw}`);
    const functionVersion = percentage === 100 ? canary : stable;
    const weights = percentage === 0 || percentage === 100 ? {} : { [canary]: Math.round(percentage * 100) / 10000 };
    process.stdout.write(aws(['lambda', 'update-alias', '--function-name', fn, '--name', alias, '--function-version', functionVersion, '--routing-config', JSON.stringify({ AdditionalVersionWeights: weights })]));
    return;
  }
  if (command === 'status') {
    if (rest.length > 0) fail(`unexpected argument ${rest[0]}`);
    const alias_ = JSON.parse(aws(['lambda', 'get-alias', '--function-name', fn, '--name', alias]));
    const extra = Object.entries(alias_.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([version, weight]) => ({ version, percentage: Math.round(weight * 10000) / 100 }));
    const main = Math.round((100 - extra.reduce((sum, share) => sum + share.percentage, 0)) * 100) / 100;
    process.stdout.write(`${JSON.stringify({ id: `${fn}:${alias}@${alias_.RevisionId}`, versions: [{ version: alias_.FunctionVersion, percentage: main }, ...extra] })}\n`);
    return;
  }
  fail(command ? `unknown command ${command}` : 'no command given');
}
