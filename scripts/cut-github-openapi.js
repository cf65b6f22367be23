// Cuts from GitHub's own OpenAPI description (npm @octokit/openapi) the operations the GitHub stand-in
// serves, with every component they reach, into testbed/github/openapi-subset.json: an OpenAPI 3.1
// document whose schemas are JSON Schema 2020-12, so ajv validates the stand-in's traffic with them.
//
// GitHub's description is OpenAPI 3.0, and read literally by a JSON Schema validator it rejects valid
// GitHub data. The cut fixes what it reaches:
//   - `nullable: true` becomes null in `type` (`["string", "null"]`), or `anyOf [..., {type: null}]`
//     where there is no `type` (a nullable `oneOf`, say);
//   - a nullable `enum` that does not list null gains null (`state_reason`, an issue type's `color`);
//   - a `oneOf` whose alternatives are all nullable would match null more than once, which `oneOf`
//     forbids: null becomes an alternative of its own (validation-error's `value`);
//   - a `format` whose own default is "" (a deployment status's `target_url`, `log_url`,
//     `environment_url`: format uri, default "", and GitHub sends "" when none was given) accepts "";
//   - `example` becomes `examples: [example]`; `x-*` extensions inside schemas are dropped (a strict
//     validator refuses unknown keywords).
//
// The source is `generated/api.github.com.json`, resolved directly: the package's index loads every
// description it ships (~390 MB). The output is committed; a test cuts again and fails when the
// committed file differs (a changed @octokit/openapi, or an edited cut).
//
//   node scripts/cut-github-openapi.js     writes testbed/github/openapi-subset.json
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The operationIds the stand-in serves: the GitHub calls the project makes. */
export const OPERATIONS = [
  'issues/create',
  'issues/get',
  'issues/update',
  'issues/list-for-repo',
  'issues/create-comment',
  'issues/list-comments',
  'issues/update-comment',
  'issues/get-label',
  'issues/create-label',
  'repos/create-deployment',
  'repos/list-deployments',
  'repos/create-deployment-status',
  'repos/list-deployment-statuses',
  'repos/get'
];

export const SUBSET_PATH = fileURLToPath(new URL('../testbed/github/openapi-subset.json', import.meta.url));

const require = createRequire(import.meta.url);
const SOURCE = '@octokit/openapi/generated/api.github.com.json';

/** The cut as the file's text. */
export function cutGithubOpenapi() {
  const description = JSON.parse(readFileSync(require.resolve(SOURCE), 'utf8'));
  const { version } = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8'));

  const paths = {};
  const wanted = new Set(OPERATIONS);
  for (const [path, item] of Object.entries(description.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!wanted.has(operation?.operationId)) continue;
      wanted.delete(operation.operationId);
      (paths[path] ??= {})[method] = convertOperation(operation);
    }
  }
  if (wanted.size > 0) throw new Error(`@octokit/openapi ${version} has no operation ${[...wanted].join(', ')}`);

  // Every component the operations reach, followed through $refs until none is new.
  const components = {};
  const pending = collectRefs(paths);
  for (let ref = pending.shift(); ref !== undefined; ref = pending.shift()) {
    const [kind, name] = ref.replace(/^#\/components\//, '').split('/');
    if ((components[kind] ??= {})[name] !== undefined) continue;
    const found = description.components[kind]?.[name];
    if (found === undefined) throw new Error(`${ref} is not in @octokit/openapi ${version}`);
    const converted = convertComponent(kind, found);
    components[kind][name] = converted;
    pending.push(...collectRefs(converted));
  }

  const document = {
    openapi: '3.1.0',
    info: {
      title: description.info.title,
      version: description.info.version,
      description: `The operations the GitHub stand-in serves, cut by scripts/cut-github-openapi.js from ${SOURCE} ${version}. Do not edit.`
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: description.servers,
    paths: sortKeys(paths),
    components: Object.fromEntries(Object.entries(components).sort(byKey).map(([kind, entries]) => [kind, sortKeys(entries)]))
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function convertOperation(operation) {
  const { operationId, summary, tags, externalDocs, parameters, requestBody, responses } = operation;
  return dropUndefined({
    operationId,
    summary,
    tags,
    externalDocs,
    parameters: parameters?.map((parameter) => convertComponent('parameters', parameter)),
    requestBody: requestBody && convertMediaHolder(requestBody),
    responses: Object.fromEntries(Object.entries(responses).map(([status, response]) => [status, convertMediaHolder(response)]))
  });
}

function convertComponent(kind, value) {
  if (value.$ref) return value;
  switch (kind) {
    case 'schemas':
      return convertSchema(value);
    case 'parameters':
    case 'headers':
      return dropUndefined({ ...value, schema: value.schema && convertSchema(value.schema) });
    case 'responses':
      return convertMediaHolder(value);
    default:
      return value;
  }
}

/** A request body or a response: schemas of its content (and headers) converted. */
function convertMediaHolder(holder) {
  if (holder.$ref) return holder;
  const converted = { ...holder };
  if (holder.content) {
    converted.content = Object.fromEntries(
      Object.entries(holder.content).map(([type, media]) => [type, dropUndefined({ ...media, schema: media.schema && convertSchema(media.schema) })])
    );
  }
  if (holder.headers) {
    converted.headers = Object.fromEntries(Object.entries(holder.headers).map(([name, header]) => [name, convertComponent('headers', header)]));
  }
  return converted;
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else'];

/** One OpenAPI 3.0 schema object as JSON Schema 2020-12 (see the top of the file). */
function convertSchema(schema) {
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || key === 'nullable') continue;
    if (key === 'example') out.examples = [value];
    else if (SUBSCHEMA_MAPS.includes(key)) out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convertSchema(sub)]));
    else if (SUBSCHEMA_LISTS.includes(key)) out[key] = value.map(convertSchema);
    else if (SUBSCHEMAS.includes(key) && typeof value === 'object') out[key] = convertSchema(value);
    else out[key] = value;
  }

  if (typeof out.format === 'string' && out.default === '' && out.anyOf === undefined) {
    const { format, ...rest } = out;
    return convertNullable(schema, { ...rest, anyOf: [{ format }, { const: '' }] });
  }
  if (Array.isArray(out.oneOf) && out.oneOf.filter(acceptsNull).length > 1) {
    out.oneOf = [...out.oneOf.map(withoutNull), { type: 'null' }];
  }
  return convertNullable(schema, out);
}

/** `nullable` (and an enum listing null) of the 3.0 `schema` as null allowed by the converted `out`. */
function convertNullable(schema, out) {
  const nullable = schema.nullable === true || (Array.isArray(schema.enum) && schema.enum.includes(null));
  if (!nullable || acceptsNull(out)) return out;
  if (out.type !== undefined) {
    out.type = [...[out.type].flat(), 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.enum)) {
    out.enum = [...out.enum, null];
    return out;
  }
  // No type to add null to (a nullable oneOf or allOf): null is one more alternative.
  const { description, title, deprecated, ...rest } = out;
  return dropUndefined({ description, title, deprecated, anyOf: [rest, { type: 'null' }] });
}

/** Whether a converted schema admits null on its own terms (as far as its type/enum say). */
function acceptsNull(schema) {
  if (schema.type !== undefined) return [schema.type].flat().includes('null') && (!Array.isArray(schema.enum) || schema.enum.includes(null));
  if (Array.isArray(schema.enum)) return schema.enum.includes(null);
  return Array.isArray(schema.anyOf) && schema.anyOf.some(acceptsNull);
}

function withoutNull(schema) {
  if (!acceptsNull(schema) || schema.type === undefined) return schema;
  const types = [schema.type].flat().filter((type) => type !== 'null');
  const out = { ...schema, type: types.length === 1 ? types[0] : types };
  if (Array.isArray(out.enum)) out.enum = out.enum.filter((value) => value !== null);
  return out;
}

function collectRefs(value, refs = []) {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.push(item);
      else collectRefs(item, refs);
    }
  }
  return refs;
}

function dropUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function byKey([a], [b]) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(byKey));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(SUBSET_PATH, cutGithubOpenapi());
  console.log(`wrote ${SUBSET_PATH}`);
}
