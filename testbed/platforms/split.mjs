// bin/split's work; plain JavaScript like forward.mjs. It never builds a shell string: each CLI runs
// with an argument array, found on PATH like any pipeline step's.

import { execFileSync } from 'node:child_process';

const USAGE = [
  'usage: split aws set <function> <alias> <canary> <stable> <percentage>',
  '       split aws status <function> <alias>',
  '       split vercel set <project> <canary> <stable> <0|100>',
  '       split vercel status <project>',
  '       split shuttle set <project> <canary> <stable> <0|100>',
  '       split shuttle status <project>'
].join('\n');

function fail(message, code = 2) {
  process.stderr.write(`split: ${message}\n${USAGE}\n`);
  process.exit(code);
}

/** Runs a CLI; its own error output and exit code pass through unchanged. */
function cli(program, args) {
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
  } catch (error) {
    if (typeof error.status === 'number') process.exit(error.status);
    fail(`could not run ${program}: ${error.message}`, 127);
  }
}

function printSplit(id, versions) {
  process.stdout.write(`${JSON.stringify({ id, versions })}\n`);
}

function parsePercentage(raw, wholeOnly) {
  const percentage = Number(raw);
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw) || percentage > 100) fail(`percentage must be a number from 0 to 100, got ${raw}`);
  if (wholeOnly && percentage !== 0 && percentage !== 100) fail(`${wholeOnly} serves one deployment at a time: only 0 (stable) and 100 (canary), not ${raw}; use steps: 0,100`);
  return percentage;
}

/** A Lambda alias: the stable version with the canary as its one additional version, weight = percentage / 100. */
function awsSplit(command, args) {
  const [fn, alias, ...rest] = args;
  if (!fn || !alias) fail('aws needs <function> <alias>');
  if (command === 'set') {
    const [canary, stable, raw, ...extra] = rest;
    if (!canary || !stable || extra.length > 0) fail('set needs <canary> <stable> <percentage>');
    const percentage = parsePercentage(raw, false);
    const functionVersion = percentage === 100 ? canary : stable;
    const weights = percentage === 0 || percentage === 100 ? {} : { [canary]: Math.round(percentage * 100) / 10000 };
    process.stdout.write(cli('aws', ['lambda', 'update-alias', '--function-name', fn, '--name', alias, '--function-version', functionVersion, '--routing-config', JSON.stringify({ AdditionalVersionWeights: weights })]));
    return;
  }
  if (rest.length > 0) fail(`unexpected argument ${rest[0]}`);
  const config = JSON.parse(cli('aws', ['lambda', 'get-alias', '--function-name', fn, '--name', alias]));
  const extra = Object.entries(config.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([version, weight]) => ({ version, percentage: Math.round(weight * 10000) / 100 }));
  const main = Math.round((100 - extra.reduce((sum, share) => sum + share.percentage, 0)) * 100) / 100;
  printSplit(`${fn}:${alias}@${config.RevisionId}`, [{ version: config.FunctionVersion, percentage: main }, ...extra]);
}

/** Vercel production: promote the canary (100) or roll back to stable (0). */
function vercelSplit(command, args) {
  const [project, ...rest] = args;
  if (!project) fail('vercel needs <project>');
  if (command === 'set') {
    const [canary, stable, raw, ...extra] = rest;
    if (!canary || !stable || extra.length > 0) fail('set needs <canary> <stable> <0|100>');
    const percentage = parsePercentage(raw, 'Vercel production');
    process.stdout.write(cli('vercel', percentage === 100 ? ['promote', canary, '--yes'] : ['rollback', stable, '--yes']));
    return;
  }
  if (rest.length > 0) fail(`unexpected argument ${rest[0]}`);
  const current = JSON.parse(cli('vercel', ['ls', project, '--json'])).deployments.find((d) => d.current);
  if (!current) fail(`vercel project ${project} has no production deployment`, 1);
  printSplit(`${project}@${current.id}`, [{ version: current.id, percentage: 100 }]);
}

/**
 * Shuttle: redeploy the canary's or stable's build. A redeploy gets a new id, so status names the
 * build it came from: the version canary-shift knows.
 */
function shuttleSplit(command, args) {
  const [project, ...rest] = args;
  if (!project) fail('shuttle needs <project>');
  const deployments = () => JSON.parse(cli('shuttle', ['deployment', 'list', '--name', project, '--output', 'json'])).deployments;
  const build = (deployment) => deployment.redeploy_of ?? deployment.id;
  if (command === 'set') {
    const [canary, stable, raw, ...extra] = rest;
    if (!canary || !stable || extra.length > 0) fail('set needs <canary> <stable> <0|100>');
    const target = parsePercentage(raw, 'Shuttle') === 100 ? canary : stable;
    const running = deployments().find((d) => d.state === 'running');
    if (running && build(running) === target) return;
    process.stdout.write(cli('shuttle', ['deployment', 'redeploy', target, '--name', project]));
    return;
  }
  if (rest.length > 0) fail(`unexpected argument ${rest[0]}`);
  const running = deployments().find((d) => d.state === 'running');
  if (!running) fail(`shuttle project ${project} has no running deployment`, 1);
  printSplit(`${project}@${running.id}`, [{ version: build(running), percentage: 100 }]);
}

const PLATFORMS = { aws: awsSplit, vercel: vercelSplit, shuttle: shuttleSplit };

export function main(argv) {
  const [platform, command, ...args] = argv;
  const adapter = PLATFORMS[platform];
  if (!adapter) fail(platform ? `unknown platform ${platform}` : 'no platform given');
  if (command !== 'set' && command !== 'status') fail(command ? `unknown command ${command}` : 'no command given');
  adapter(command, args);
}
