// The AWS CLI v2 and SAM CLI subset the examples use, against the bed's Lambda functions.
//
// Shapes follow the AWS CLI reference for `aws lambda publish-version | create-alias | update-alias |
// get-alias | list-aliases | list-versions-by-function` (https://docs.aws.amazon.com/cli/latest/reference/lambda/),
// the UpdateAlias API (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html: one
// additional version, weight 0–1, RoutingConfig.AdditionalVersionWeights), the AWS CLI's return codes
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html: 252 bad syntax,
// 253 missing credentials or region, 254 the service said no) and `sam deploy --stack-name`
// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html).
//
// Differences, on purpose: there is no code upload; `publish-version` and `sam deploy` publish the
// working directory's platform-app.json as the next version (and create the function the first time).
// `sam deploy` names the function after the stack and, on the first deploy only, creates alias `live`
// at the new version (as AutoPublishAlias would); later deploys only publish, so traffic moves by
// update-alias. `--query` takes a JMESPath subset (field paths with `[N]`, `[-N]` and one `[*]`:
// `Version`, `RoutingConfig.AdditionalVersionWeights`, `Versions[-1].Version`, `Versions[*].Version`);
// `--output text` prints a scalar or a list of scalars tab-separated (a structure: its own scalar
// fields only, keys sorted); `--output table` is refused
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-filter.html, cli-usage-output-format.html).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, parseOptions, type CommandContext, type Handler, type Invocation, type Outcome } from './invocation.ts';
import { CliError, readBehaviour, type App, type LambdaAlias, type Share } from './store.ts';

const ACCOUNT = '123456789012';
const USAGE = `usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
`;

/** A command-line mistake, exit 252, in the CLI's usage-then-error form. */
function usageError(message: string): CliError {
  return new CliError(252, `\n${USAGE}\naws: error: ${message}\n`);
}

/** An error the Lambda service returned, exit 254. */
function serviceError(code: string, operation: string, message: string): CliError {
  return new CliError(254, `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`);
}

/** util.parseArgs's words in the CLI's: `Unknown options: --x`, `argument --x: expected one argument`. */
function awsParseError(problem: string): CliError {
  const unknown = /^Unknown option '([^']+)'/.exec(problem);
  if (unknown) return usageError(`Unknown options: ${unknown[1]}`);
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(problem);
  if (missing) return usageError(`argument ${missing[1]}: expected one argument`);
  return usageError(problem);
}

const GLOBAL_OPTIONS = {
  region: { type: 'string' },
  output: { type: 'string' },
  query: { type: 'string' },
  profile: { type: 'string' },
  'no-cli-pager': { type: 'boolean' },
  'cli-read-timeout': { type: 'string' },
  'cli-connect-timeout': { type: 'string' }
} as const;

interface Session {
  region: string;
  call: Invocation;
  context: CommandContext;
}

/** Region and credentials as the CLI resolves them (flags, then environment), checked against the bed's. */
function session(call: Invocation, context: CommandContext, region: string | undefined, operation: string): Session {
  const resolvedRegion = region ?? call.env.AWS_REGION ?? call.env.AWS_DEFAULT_REGION;
  if (!resolvedRegion) throw new CliError(253, '\nYou must specify a region. You can also configure your region by running "aws configure".\n');
  const keyId = call.env.AWS_ACCESS_KEY_ID;
  const secret = call.env.AWS_SECRET_ACCESS_KEY;
  if (!keyId || !secret) throw new CliError(253, '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n');
  if (keyId !== context.secrets.awsAccessKeyId) throw serviceError('UnrecognizedClientException', operation, 'The security token included in the request is invalid.');
  if (secret !== context.secrets.awsSecretAccessKey) throw serviceError('InvalidSignatureException', operation, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  return { region: resolvedRegion, call, context };
}

function functionArn(s: Session, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${s.region}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

/** `--function-name` may be a name, an ARN or a partial ARN (API_UpdateAlias "Name formats"). */
function functionName(raw: string): string {
  const match = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([a-zA-Z0-9_-]{1,64})$/.exec(raw);
  if (!match) throw usageError(`argument --function-name: ${JSON.stringify(raw)} is not a function name or ARN`);
  return match[1]!;
}

function existingFunction(s: Session, raw: string, operation: string): App {
  const name = functionName(raw);
  const app = s.context.store.app('aws', name);
  if (!app) throw serviceError('ResourceNotFoundException', operation, `Function not found: ${functionArn(s, name)}`);
  return app;
}

function versionConfiguration(s: Session, app: App, id: string) {
  const version = app.versions.find((v) => v.id === id)!;
  return {
    FunctionName: app.name,
    FunctionArn: functionArn(s, app.name, id),
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    CodeSha256: version.meta.codeSha256,
    Description: version.meta.description ?? '',
    Version: id,
    LastModified: version.createdOn.replace('Z', '+0000'),
    State: 'Active'
  };
}

/** Publishes the cwd's platform-app.json as the function's next version. */
function publish(s: Session, name: string, description: string): { app: App; version: string } {
  const behaviour = readBehaviour(s.call.cwd, (message) => serviceError('InvalidParameterValueException', 'PublishVersion', message));
  const app = s.context.store.appOrCreate('aws', name);
  const id = String(app.versions.length + 1);
  const codeSha256 = createHash('sha256').update(readFileSync(join(s.call.cwd, 'platform-app.json'))).digest('base64');
  s.context.store.addVersion(app, id, behaviour, s.call.cwd, { codeSha256, description });
  return { app, version: id };
}

/**
 * `--routing-config` in the CLI's shorthand (`AdditionalVersionWeights={"2"=0.05}`, quotes optional)
 * or JSON (`{"AdditionalVersionWeights":{"2":0.05}}`).
 */
export function parseRoutingConfig(raw: string): Record<string, number> {
  const text = raw.trim();
  let weights: unknown;
  if (text.startsWith('{')) {
    try {
      weights = (JSON.parse(text) as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights ?? {};
    } catch (error) {
      throw usageError(`argument --routing-config: Invalid JSON: ${(error as Error).message}\nJSON received: ${text}`);
    }
  } else {
    const match = /^AdditionalVersionWeights\s*=\s*\{(.*)\}$/s.exec(text);
    if (!match) throw new CliError(252, `\nError parsing parameter '--routing-config': Expected: 'AdditionalVersionWeights={"<version>"=<weight>}', received: '${text}'\n`);
    const entries: Record<string, number> = {};
    for (const pair of match[1]!.split(',').map((p) => p.trim()).filter(Boolean)) {
      const kv = /^"?([^"=]+)"?\s*=\s*([0-9.eE+-]+)$/.exec(pair);
      if (!kv) throw new CliError(252, `\nError parsing parameter '--routing-config': Expected: '<version>=<weight>', received: '${pair}'\n`);
      entries[kv[1]!] = Number(kv[2]);
    }
    weights = entries;
  }
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) throw usageError('argument --routing-config: AdditionalVersionWeights must be a map of version to weight');
  for (const [version, weight] of Object.entries(weights)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new CliError(252, `\nParameter validation failed:\nInvalid type for parameter RoutingConfig.AdditionalVersionWeights.${version}, value: ${JSON.stringify(weight)}, type: ${typeof weight}, valid types: <class 'float'>, <class 'decimal.Decimal'>, <class 'int'>\n`);
  }
  return weights as Record<string, number>;
}

function checkAlias(app: App, operation: string, functionVersion: string, weights: Record<string, number>): void {
  const known = (id: string) => app.versions.some((v) => v.id === id);
  if (!known(functionVersion)) throw serviceError('ResourceNotFoundException', operation, `Function not found: ${app.name}:${functionVersion}`);
  const entries = Object.entries(weights);
  if (entries.length > 1) throw serviceError('InvalidParameterValueException', operation, 'Number of items in AdditionalVersionWeights cannot be greater than 1');
  for (const [version, weight] of entries) {
    if (version === functionVersion) throw serviceError('InvalidParameterValueException', operation, `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
    if (!known(version)) throw serviceError('InvalidParameterValueException', operation, `Function not found: ${app.name}:${version}`);
    if (!(weight >= 0 && weight <= 1)) throw serviceError('ValidationException', operation, `1 validation error detected: Value '{${version}=${weight}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]`);
  }
}

/** The split alias `live` serves, in percent (the data plane routes through `live`). */
export function aliasSplit(alias: LambdaAlias): Share[] {
  const extra = Object.entries(alias.additionalVersionWeights).map(([version, weight]) => ({ version, percentage: Math.round(weight * 10000) / 100 }));
  const rest = Math.round((100 - extra.reduce((sum, share) => sum + share.percentage, 0)) * 100) / 100;
  return [{ version: alias.functionVersion, percentage: rest }, ...extra];
}

export const LIVE_ALIAS = 'live';

function setAlias(s: Session, app: App, alias: LambdaAlias, action: string): void {
  app.aliases[alias.name] = alias;
  if (alias.name === LIVE_ALIAS) s.context.store.setSplit(app, aliasSplit(alias), action);
}

function aliasConfiguration(s: Session, app: App, alias: LambdaAlias) {
  return {
    AliasArn: functionArn(s, app.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(alias.additionalVersionWeights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } } : {}),
    RevisionId: alias.revisionId
  };
}

type Step = { field: string } | { index: number } | { project: true };

/** The `--query` subset: `A.B[0].C`, `A[-1]`, `A[*].B` (one projection). */
export function parseQuery(query: string): Step[] {
  const steps: Step[] = [];
  const pattern = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]|\[\*\]/y;
  let at = 0;
  while (at < query.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(query);
    if (!match || (match[0].startsWith('.') && steps.length === 0)) {
      throw usageError(`argument --query: the test bed's aws takes field paths only (Version, A.B, A[0], A[-1], A[*].B), not ${JSON.stringify(query)}`);
    }
    steps.push(match[1] !== undefined ? { field: match[1] } : match[2] !== undefined ? { index: Number(match[2]) } : { project: true });
    at = pattern.lastIndex;
  }
  if (steps.filter((step) => 'project' in step).length > 1) throw usageError(`argument --query: one [*] at most in the test bed's aws, not ${JSON.stringify(query)}`);
  return steps;
}

function applyQuery(value: unknown, steps: readonly Step[]): unknown {
  let current: unknown = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if ('project' in step) return Array.isArray(current) ? current.map((item) => applyQuery(item, steps.slice(i + 1))).filter((item) => item !== null) : null;
    if ('field' in step) current = current !== null && typeof current === 'object' && !Array.isArray(current) ? ((current as Record<string, unknown>)[step.field] ?? null) : null;
    else current = Array.isArray(current) ? (current.at(step.index) ?? null) : null;
  }
  return current;
}

/** How the CLI prints a result: `--query` applied, then `--output json` (the default) or `text`. */
function printer(query: string | undefined, output: string | undefined): (value: unknown) => string {
  if (output !== undefined && output !== 'json' && output !== 'text') throw usageError(`argument --output: the test bed's aws prints json or text, not ${output}`);
  const steps = query === undefined ? undefined : parseQuery(query);
  return (value) => {
    const result = steps ? applyQuery(value, steps) : value;
    if (output !== 'text') return `${JSON.stringify(result, null, 4)}\n`;
    const scalar = (item: unknown) => item === null || typeof item !== 'object';
    if (scalar(result)) return `${result === null ? 'None' : String(result)}\n`;
    const text = (item: unknown) => (item === null ? 'None' : String(item));
    if (Array.isArray(result) && result.every(scalar)) return `${result.map(text).join('\t')}\n`;
    // Roughly AWS's text form of a structure: its own scalar fields, tab-separated, keys sorted; nested ones left out.
    const fields = Object.entries(result as Record<string, unknown>).filter(([, item]) => scalar(item)).sort(([a], [b]) => a.localeCompare(b));
    return `${fields.map(([, item]) => text(item)).join('\t')}\n`;
  };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw usageError(`the following arguments are required: ${name}`);
  return value;
}

const LAMBDA_OPTIONS = {
  ...GLOBAL_OPTIONS,
  'function-name': { type: 'string' },
  name: { type: 'string' },
  'function-version': { type: 'string' },
  'routing-config': { type: 'string' },
  description: { type: 'string' },
  'revision-id': { type: 'string' },
  'max-items': { type: 'string' }
} as const;

const OPERATIONS: Record<string, string> = {
  'publish-version': 'PublishVersion',
  'create-alias': 'CreateAlias',
  'update-alias': 'UpdateAlias',
  'get-alias': 'GetAlias',
  'list-aliases': 'ListAliases',
  'list-versions-by-function': 'ListVersionsByFunction'
};

/** Which options each operation takes besides the global ones (the CLI refuses any other). */
const OPERATION_OPTIONS: Record<string, readonly string[]> = {
  'publish-version': ['function-name', 'description', 'revision-id'],
  'create-alias': ['function-name', 'name', 'function-version', 'routing-config', 'description'],
  'update-alias': ['function-name', 'name', 'function-version', 'routing-config', 'description', 'revision-id'],
  'get-alias': ['function-name', 'name'],
  'list-aliases': ['function-name', 'max-items'],
  'list-versions-by-function': ['function-name', 'max-items']
};

function lambda(call: Invocation, context: CommandContext, subcommand: string | undefined, rest: string[]): Outcome {
  const operation = subcommand ? OPERATIONS[subcommand] : undefined;
  if (!subcommand || !operation) {
    throw usageError(`argument operation: Invalid choice, valid choices are:\n\n${Object.keys(OPERATIONS).join(' | ')}\n(the test bed's lambda supports only these)`);
  }
  const { values, positionals } = parseOptions(rest, LAMBDA_OPTIONS, awsParseError);
  const allowed = new Set([...Object.keys(GLOBAL_OPTIONS), ...OPERATION_OPTIONS[subcommand]!]);
  const unknown = Object.keys(values).filter((key) => !allowed.has(key));
  if (positionals.length > 0 || unknown.length > 0) throw usageError(`Unknown options: ${[...unknown.map((key) => `--${key}`), ...positionals].join(', ')}`);
  const json = printer(values.query, values.output);
  const s = session(call, context, values.region, operation);
  const fn = required(values['function-name'], '--function-name');

  if (subcommand === 'publish-version') {
    if (context.faulted()) throw serviceError('ServiceException', operation, 'injected fault (the bed was told to fail this call)');
    const { app, version } = publish(s, functionName(fn), values.description ?? '');
    return ok(json(versionConfiguration(s, app, version)));
  }
  const app = existingFunction(s, fn, operation);
  if (subcommand === 'list-versions-by-function') {
    const latest = app.versions.at(-1);
    const versions = [...(latest ? [{ ...versionConfiguration(s, app, latest.id), Version: '$LATEST', FunctionArn: functionArn(s, app.name, '$LATEST') }] : []), ...app.versions.map((v) => versionConfiguration(s, app, v.id))];
    return ok(json({ Versions: versions }));
  }
  if (subcommand === 'list-aliases') return ok(json({ Aliases: Object.values(app.aliases).map((alias) => aliasConfiguration(s, app, alias)) }));
  const aliasName = required(values.name, '--name');
  const existing = app.aliases[aliasName];
  if (subcommand === 'get-alias') {
    if (!existing) throw serviceError('ResourceNotFoundException', operation, `Alias not found: ${functionArn(s, app.name, aliasName)}`);
    return ok(json(aliasConfiguration(s, app, existing)));
  }
  if (subcommand === 'create-alias' && existing) throw serviceError('ResourceConflictException', operation, `Alias already exists: ${functionArn(s, app.name, aliasName)}`);
  if (subcommand === 'update-alias' && !existing) throw serviceError('ResourceNotFoundException', operation, `Alias not found: ${functionArn(s, app.name, aliasName)}`);
  if (/^[0-9]+$/.test(aliasName)) throw serviceError('ValidationException', operation, `1 validation error detected: Value '${aliasName}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`);
  if (values['revision-id'] !== undefined && existing && values['revision-id'] !== existing.revisionId) throw serviceError('PreconditionFailedException', operation, 'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id');
  const functionVersion = subcommand === 'create-alias' ? required(values['function-version'], '--function-version') : (values['function-version'] ?? existing!.functionVersion);
  const weights = values['routing-config'] !== undefined ? parseRoutingConfig(values['routing-config']) : subcommand === 'update-alias' ? existing!.additionalVersionWeights : {};
  checkAlias(app, operation, functionVersion, weights);
  if (context.faulted()) throw serviceError('ServiceException', operation, 'injected fault (the bed was told to fail this call)');
  const alias: LambdaAlias = {
    name: aliasName,
    functionVersion,
    additionalVersionWeights: Object.fromEntries(Object.entries(weights).filter(([, weight]) => weight > 0)),
    description: values.description ?? existing?.description ?? '',
    revisionId: `${context.store.nextSerial()}-rev`
  };
  setAlias(s, app, alias, `${subcommand} ${aliasName}`);
  return ok(json(aliasConfiguration(s, app, alias)));
}

function sts(call: Invocation, context: CommandContext, subcommand: string | undefined, rest: string[]): Outcome {
  if (subcommand !== 'get-caller-identity') throw usageError('argument operation: Invalid choice, valid choices are:\n\nget-caller-identity\n(the test bed\'s sts supports only this)');
  const { values } = parseOptions(rest, GLOBAL_OPTIONS, awsParseError);
  const json = printer(values.query, values.output);
  session(call, context, values.region, 'GetCallerIdentity');
  return ok(json({ UserId: 'AIDATESTBED', Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deploy` }));
}

export const aws: Handler = (call, context) => {
  const [service, subcommand, ...rest] = call.argv;
  if (service === 'lambda') return lambda(call, context, subcommand, rest);
  if (service === 'sts') return sts(call, context, subcommand, rest);
  if (service === undefined) throw usageError('the following arguments are required: command');
  throw usageError(`argument command: Invalid choice, valid choices are:\n\nlambda | sts\n(the test bed's aws supports only these)`);
};

const SAM_OPTIONS = {
  'stack-name': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'template-file': { type: 'string', short: 't' },
  template: { type: 'string' },
  's3-bucket': { type: 'string' },
  'resolve-s3': { type: 'boolean' },
  capabilities: { type: 'string', multiple: true },
  'parameter-overrides': { type: 'string', multiple: true },
  tags: { type: 'string', multiple: true },
  'no-confirm-changeset': { type: 'boolean' },
  'no-fail-on-empty-changeset': { type: 'boolean' },
  'no-progressbar': { type: 'boolean' },
  'use-container': { type: 'boolean' },
  debug: { type: 'boolean' }
} as const;

/** SAM's list options take several words (`--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND`); each becomes its own option. */
const SAM_LIST_OPTIONS = new Set(['--capabilities', '--parameter-overrides', '--tags']);

function spreadListOptions(args: readonly string[]): string[] {
  const spread: string[] = [];
  let list: string | undefined;
  for (const arg of args) {
    if (arg.startsWith('-')) {
      list = SAM_LIST_OPTIONS.has(arg) ? arg : undefined;
      spread.push(arg);
    } else if (list && spread.at(-1) !== list) {
      spread.push(list, arg);
    } else {
      spread.push(arg);
    }
  }
  return spread;
}

function samError(message: string): CliError {
  return new CliError(2, `Usage: sam deploy [OPTIONS]\nTry 'sam deploy -h' for help.\n\nError: ${message}\n`);
}

/** `sam build` checks the folder; `sam deploy --stack-name S` publishes it as function S's next version. */
export const sam: Handler = (call, context) => {
  const [command, ...rest] = call.argv;
  if (command !== 'deploy' && command !== 'build' && command !== 'validate') {
    throw new CliError(2, `Usage: sam [OPTIONS] COMMAND [ARGS]...\nTry 'sam -h' for help.\n\nError: No such command '${command ?? ''}'. (the test bed's sam supports build, validate and deploy)\n`);
  }
  const { values, positionals } = parseOptions(spreadListOptions(rest), SAM_OPTIONS, (problem) => samError(problem.replace(/^Unknown option/, 'No such option')));
  if (positionals.length > 0) throw samError(`Got unexpected extra argument (${positionals.join(' ')})`);
  const behaviour = readBehaviour(call.cwd, (message) => new CliError(1, `Error: ${message}\n`));
  if (command === 'build') return ok('', `Building codeuri: ${call.cwd}\n\nBuild Succeeded\n`);
  if (command === 'validate') return ok('', `${join(call.cwd, values['template-file'] ?? 'template.yaml')} is a valid SAM Template\n`);
  const stack = values['stack-name'];
  if (!stack) throw samError("Missing option '--stack-name'");
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(stack)) throw new CliError(1, `Error: Failed to create changeset for the stack: ${stack}, Parameter validation failed:\nInvalid StackName\n`);
  const s = session(call, context, values.region, 'CreateChangeSet');
  if (context.faulted()) throw new CliError(1, `Error: Failed to create/update the stack: ${stack}, Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: injected fault (the bed was told to fail this call)\n`);
  const { app, version } = publish(s, stack, `sam deploy ${behaviour.label}`);
  const firstDeploy = !app.aliases[LIVE_ALIAS];
  if (firstDeploy) {
    setAlias(s, app, { name: LIVE_ALIAS, functionVersion: version, additionalVersionWeights: {}, description: '', revisionId: `${context.store.nextSerial()}-rev` }, 'sam deploy (alias live created)');
  }
  const stderr = [
    '',
    `\tDeploying with following values`,
    `\t===============================`,
    `\tStack name                   : ${stack}`,
    `\tRegion                       : ${s.region}`,
    '',
    `Successfully ${firstDeploy ? 'created' : 'updated'} stack - ${stack} in ${s.region}`,
    ''
  ].join('\n');
  return ok(`${JSON.stringify({ StackName: stack, FunctionName: app.name, FunctionVersion: version, Alias: LIVE_ALIAS, AliasFunctionVersion: app.aliases[LIVE_ALIAS]!.functionVersion })}\n`, stderr);
};
