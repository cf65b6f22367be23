// Cloudflare's GraphQL Analytics API for Workers, answered from what the bed's router served
// (store.served): POST /client/v4/graphql, plugged into the API stand-in as its `graphql` option.
//
// Only the part of the schema a deploy pipeline reads is here, under Cloudflare's own names:
//   viewer { accounts(filter: { accountTag }) { workersInvocationsAdaptive(limit, filter) {
//     sum { requests errors }  quantiles { wallTimeP25 … wallTimeP999 }  dimensions { scriptName scriptVersion } } } }
// with the filters scriptName, scriptName_in, scriptVersion, scriptVersion_in, datetime_geq, datetime_leq,
// datetime_gt, datetime_lt. Sources of the names: Cloudflare's tutorial "Querying Workers Metrics with
// GraphQL" (viewer/accounts/accountTag, workersInvocationsAdaptive, limit, the scriptName and datetime_*
// filters, sum { requests errors }, quantiles, dimensions); the dataset's fields as exporters of it use
// them (dimension scriptVersion, quantiles wallTimeP25/P50/P75/P90/P99/P999 in microseconds; see
// packages/providers/src/cloudflare-analytics.ts). Anything else is answered with a GraphQL error
// naming what the bed does not have, never with made-up data.
//
// What the numbers mean here: requests are the requests the router served; errors those answered with
// a status of 500 or more (on Cloudflare, invocations that threw: the sample Worker fails by throwing,
// which workerd answers with a 500); wall time is the router's measure of each request, in microseconds.
//
// There is no GraphQL parser in the workspace's dependencies, so a small one reads the query language
// (operations, variables, aliases, arguments, nested selections; no fragments or directives).
//
// Erasable TypeScript importing only `./x.ts` siblings and workspace packages, so plain Node 24 runs it.

import { percentile } from '@deploy-actions/report';
import type { CloudflareStore, ServedRequest } from './store.ts';

/** The quantile levels of workersInvocationsAdaptive, as field suffix → percent. */
const QUANTILE_LEVELS: Record<string, number> = { P25: 25, P50: 50, P75: 75, P90: 90, P99: 99, P999: 99.9 };
const DIMENSIONS = new Set(['scriptName', 'scriptVersion']);
const SUMS = new Set(['requests', 'errors']);
const FILTERS = new Set([
  'scriptName',
  'scriptName_in',
  'scriptVersion',
  'scriptVersion_in',
  'datetime_geq',
  'datetime_leq',
  'datetime_gt',
  'datetime_lt'
]);

export class GraphQLError extends Error {}

/** Answers one GraphQL request body the way the API does: 200 with `data` and `errors`. */
export function answerGraphql(store: CloudflareStore, query: string, variables: Record<string, unknown> = {}): unknown {
  try {
    const operation = parseOperation(query);
    const values = bindVariables(operation, variables);
    return { data: executeRoot(store, operation.selection, values), errors: null };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { data: null, errors: [{ message: error.message, path: null, extensions: { timestamp: new Date().toISOString() } }] };
  }
}

/** The `graphql` option of startCloudflareApi. */
export function analyticsHandler(store: CloudflareStore) {
  return async (query: string, variables: Record<string, unknown>) => answerGraphql(store, query, variables ?? {});
}

// ---- execution -----------------------------------------------------------------------------------

type Values = Record<string, unknown>;

function executeRoot(store: CloudflareStore, fields: Field[], values: Values): Record<string, unknown> {
  return select(fields, 'Query', (field) => {
    if (field.name !== 'viewer') return undefined;
    noArguments(field);
    return select(need(field), 'viewer', (viewerField) => {
      if (viewerField.name !== 'accounts') return undefined;
      const filter = objectArgument(viewerField, 'filter', values) ?? {};
      const unknown = Object.keys(filter).filter((name) => name !== 'accountTag');
      if (unknown.length > 0) throw new GraphQLError(`accounts filter has no field "${unknown[0]}" on the test bed`);
      if (filter.accountTag !== store.accountId) return [];
      return [select(need(viewerField), 'account', (accountField) => {
        if (accountField.name !== 'workersInvocationsAdaptive') return undefined;
        return invocations(store, accountField, values);
      })];
    });
  });
}

function invocations(store: CloudflareStore, field: Field, values: Values): unknown[] {
  for (const name of Object.keys(field.arguments)) {
    if (name !== 'limit' && name !== 'filter') throw new GraphQLError(`workersInvocationsAdaptive has no argument "${name}" on the test bed`);
  }
  const limit = resolve(field.arguments.limit, values);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new GraphQLError('workersInvocationsAdaptive needs a limit: a positive whole number');
  }
  const filter = objectArgument(field, 'filter', values) ?? {};
  for (const name of Object.keys(filter)) {
    if (!FILTERS.has(name)) throw new GraphQLError(`workersInvocationsAdaptive filter has no field "${name}" on the test bed`);
  }
  const matches = store.served.filter((served) => matchesFilter(served, filter));

  const selection = need(field);
  const dimensionNames: string[] = [];
  for (const part of selection) {
    if (part.name !== 'dimensions') continue;
    for (const dimension of need(part)) {
      if (!DIMENSIONS.has(dimension.name)) throw new GraphQLError(`dimensions has no field "${dimension.name}" on the test bed`);
      dimensionNames.push(dimension.name);
    }
  }
  const groups = new Map<string, ServedRequest[]>();
  for (const served of matches) {
    const groupKey = JSON.stringify(dimensionNames.map((name) => dimensionOf(served, name)));
    let group = groups.get(groupKey);
    if (group === undefined) groups.set(groupKey, (group = []));
    group.push(served);
  }
  return [...groups.values()].slice(0, limit).map((group) =>
    select(selection, 'workersInvocationsAdaptive', (part) => {
      if (part.name === 'dimensions') {
        return select(need(part), 'dimensions', (dimension) => dimensionOf(group[0]!, dimension.name));
      }
      if (part.name === 'sum') {
        return select(need(part), 'sum', (sum) => {
          if (!SUMS.has(sum.name)) return undefined;
          return sum.name === 'requests' ? group.length : group.filter((served) => served.status >= 500).length;
        });
      }
      if (part.name === 'quantiles') {
        const sorted = group.map((served) => Math.round(served.durationMs * 1000)).sort((a, b) => a - b);
        return select(need(part), 'quantiles', (quantile) => {
          const level = /^wallTime(P\d+)$/.exec(quantile.name)?.[1];
          const percent = level === undefined ? undefined : QUANTILE_LEVELS[level];
          return percent === undefined ? undefined : percentile(sorted, percent);
        });
      }
      return undefined;
    })
  );
}

function dimensionOf(served: ServedRequest, name: string): string {
  return name === 'scriptName' ? served.worker : served.versionId;
}

function matchesFilter(served: ServedRequest, filter: Record<string, unknown>): boolean {
  const time = (name: string) => {
    const value = filter[name];
    if (value === undefined) return undefined;
    const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(parsed)) throw new GraphQLError(`filter ${name} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
    return parsed;
  };
  const list = (name: string) => {
    const value = filter[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw new GraphQLError(`filter ${name} must be a list`);
    return value;
  };
  const [geq, leq, gt, lt] = [time('datetime_geq'), time('datetime_leq'), time('datetime_gt'), time('datetime_lt')];
  if (geq !== undefined && served.at < geq) return false;
  if (leq !== undefined && served.at > leq) return false;
  if (gt !== undefined && served.at <= gt) return false;
  if (lt !== undefined && served.at >= lt) return false;
  if (filter.scriptName !== undefined && served.worker !== filter.scriptName) return false;
  if (filter.scriptVersion !== undefined && served.versionId !== filter.scriptVersion) return false;
  const names = list('scriptName_in');
  if (names !== undefined && !names.includes(served.worker)) return false;
  const versions = list('scriptVersion_in');
  if (versions !== undefined && !versions.includes(served.versionId)) return false;
  return true;
}

/** Resolves each selected field (under its alias); `resolver` answering undefined means no such field. */
function select(fields: Field[], type: string, resolver: (field: Field) => unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const value = resolver(field);
    if (value === undefined) throw new GraphQLError(`${type} has no field "${field.name}" on the test bed`);
    result[field.alias ?? field.name] = value;
  }
  return result;
}

function need(field: Field): Field[] {
  if (field.selection === undefined) throw new GraphQLError(`field "${field.name}" needs a selection of subfields`);
  return field.selection;
}

function noArguments(field: Field): void {
  const names = Object.keys(field.arguments);
  if (names.length > 0) throw new GraphQLError(`field "${field.name}" takes no argument "${names[0]}"`);
}

function objectArgument(field: Field, name: string, values: Values): Record<string, unknown> | undefined {
  const value = resolve(field.arguments[name], values);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new GraphQLError(`argument "${name}" of "${field.name}" must be an object`);
  return value as Record<string, unknown>;
}

function resolve(value: Value | undefined, values: Values): unknown {
  if (value === undefined) return undefined;
  switch (value.kind) {
    case 'variable':
      if (!(value.name in values)) throw new GraphQLError(`variable "$${value.name}" is not defined by the operation`);
      return values[value.name];
    case 'list':
      return value.items.map((item) => resolve(item, values));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([name, item]) => [name, resolve(item, values)]));
    case 'literal':
      return value.value;
  }
}

function bindVariables(operation: Operation, given: Values): Values {
  const values: Values = {};
  for (const [name, definition] of operation.variables) {
    if (name in given && given[name] !== undefined) values[name] = given[name];
    else if (definition.defaultValue !== undefined) values[name] = resolve(definition.defaultValue, {});
    else if (definition.required) throw new GraphQLError(`variable "$${name}" of type ${definition.type} is required`);
    else values[name] = null;
  }
  return values;
}

// ---- parsing -------------------------------------------------------------------------------------

type Value =
  | { kind: 'variable'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'list'; items: Value[] }
  | { kind: 'object'; fields: Record<string, Value> };

interface Field {
  alias?: string;
  name: string;
  arguments: Record<string, Value>;
  selection?: Field[];
}

interface Operation {
  variables: Map<string, { type: string; required: boolean; defaultValue?: Value }>;
  selection: Field[];
}

interface Token {
  kind: 'punctuator' | 'name' | 'number' | 'string';
  text: string;
  value?: unknown;
}

const TOKEN = /[\s,\ufeff]+|#[^\n\r]*|(\.\.\.|[!$&():=@[\]{|}])|([_A-Za-z][_0-9A-Za-z]*)|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\\n\r]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*")/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw new GraphQLError(`Syntax Error: unexpected character ${JSON.stringify(source[at])} at offset ${at}`);
    if (match[1] !== undefined) tokens.push({ kind: 'punctuator', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'number', text: match[3], value: Number(match[3]) });
    else if (match[4] !== undefined) tokens.push({ kind: 'string', text: match[4], value: JSON.parse(match[4]) });
  }
  return tokens;
}

function parseOperation(source: string): Operation {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const fail = (expected: string): never => {
    const token = peek();
    throw new GraphQLError(`Syntax Error: expected ${expected}, found ${token === undefined ? 'the end of the query' : JSON.stringify(token.text)}`);
  };
  const take = (text: string) => {
    if (peek()?.text !== text || peek()?.kind === 'string') fail(JSON.stringify(text));
    at++;
  };
  const name = (): string => {
    const token = peek();
    if (token?.kind !== 'name') return fail('a name');
    at++;
    return token.text;
  };
  const value = (constant: boolean): Value => {
    const token = peek();
    if (token === undefined) return fail('a value');
    if (token.text === '$' && token.kind === 'punctuator') {
      if (constant) fail('a constant value');
      at++;
      return { kind: 'variable', name: name() };
    }
    if (token.text === '[' && token.kind === 'punctuator') {
      at++;
      const items: Value[] = [];
      while (peek()?.text !== ']') items.push(value(constant));
      at++;
      return { kind: 'list', items };
    }
    if (token.text === '{' && token.kind === 'punctuator') {
      at++;
      const fields: Record<string, Value> = {};
      while (peek()?.text !== '}') {
        const field = name();
        take(':');
        fields[field] = value(constant);
      }
      at++;
      return { kind: 'object', fields };
    }
    at++;
    if (token.kind === 'number' || token.kind === 'string') return { kind: 'literal', value: token.value };
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      return { kind: 'literal', value: token.text }; // an enum value
    }
    at--;
    return fail('a value');
  };
  const typeReference = (): string => {
    let text: string;
    if (peek()?.text === '[') {
      at++;
      text = `[${typeReference()}]`;
      take(']');
    } else {
      text = name();
    }
    if (peek()?.text === '!') {
      at++;
      text += '!';
    }
    return text;
  };
  const selectionSet = (): Field[] => {
    take('{');
    const fields: Field[] = [];
    while (peek()?.text !== '}') {
      if (peek() === undefined) fail('"}"');
      if (peek()?.text === '...') throw new GraphQLError('fragments are not supported by the test bed');
      if (peek()?.text === '@') throw new GraphQLError('directives are not supported by the test bed');
      let fieldName = name();
      let alias: string | undefined;
      if (peek()?.text === ':') {
        at++;
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek()?.text === '(') {
        at++;
        while (peek()?.text !== ')') {
          const argument = name();
          take(':');
          args[argument] = value(false);
        }
        at++;
      }
      if (peek()?.text === '@') throw new GraphQLError('directives are not supported by the test bed');
      const field: Field = { name: fieldName, arguments: args };
      if (alias !== undefined) field.alias = alias;
      if (peek()?.text === '{') field.selection = selectionSet();
      fields.push(field);
    }
    at++;
    return fields;
  };

  const variables: Operation['variables'] = new Map();
  if (peek()?.kind === 'name') {
    const kind = name();
    if (kind !== 'query') throw new GraphQLError(`${kind} operations are not supported by the test bed (only query)`);
    if (peek()?.kind === 'name') name();
    if (peek()?.text === '(') {
      at++;
      while (peek()?.text !== ')') {
        take('$');
        const variable = name();
        take(':');
        const type = typeReference();
        const definition: { type: string; required: boolean; defaultValue?: Value } = { type, required: type.endsWith('!') };
        if (peek()?.text === '=') {
          at++;
          definition.defaultValue = value(true);
        }
        variables.set(variable, definition);
      }
      at++;
    }
  }
  const selection = selectionSet();
  if (at < tokens.length) {
    if (peek()?.text === 'fragment') throw new GraphQLError('fragments are not supported by the test bed');
    throw new GraphQLError('the test bed answers one operation per request');
  }
  return { variables, selection };
}
