// The GitHub stand-in's contract: the operations of openapi-subset.json (cut from GitHub's own
// description by scripts/cut-github-openapi.js), compiled once with ajv into validators for each
// operation's path parameters, query, request body and responses.
//
// Erasable TypeScript, so plain Node 24 can load the stand-in.

import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const SUBSET_FILE = new URL('./openapi-subset.json', import.meta.url);
const DOCUMENT_ID = 'https://api.github.com/openapi-subset.json';

type Json = Record<string, any>;

export interface Operation {
  operationId: string;
  /** Upper case, as requests carry it. */
  method: string;
  /** As the description writes it: /repos/{owner}/{repo}/issues/{issue_number} */
  pathTemplate: string;
  /** Matches a request path (below the API root); its groups are `pathParameters` in order. */
  pattern: RegExp;
  pathParameters: string[];
  /** Path or query parameter → the JSON types its schema allows, to read the URL's text as. */
  parameterTypes: Map<string, string[]>;
  documentationUrl: string;
  validatePath: ValidateFunction;
  /** Unknown query parameters are violations: GitHub ignores them, so a misspelt one would pass unseen. */
  validateQuery: ValidateFunction;
  /** Absent when the operation takes no body. */
  validateBody?: ValidateFunction;
  bodyRequired: boolean;
  /** Status → the validator of its JSON body (null: the status has no body). */
  responses: Map<number, ValidateFunction | null>;
}

export interface Contract {
  operations: Operation[];
  /** GitHub's generic error shapes, for answers an operation does not describe (401, faults, …). */
  validateBasicError: ValidateFunction;
  validateValidationError: ValidateFunction;
  /** Validates a value against any schema of the cut: `schema('issue')(value)`. */
  schema(name: string): ValidateFunction;
}

let loaded: Contract | undefined;

/** The contract, compiled on first use (about a second of ajv's work) and shared by every stand-in of the process. */
export function loadContract(): Contract {
  loaded ??= compileContract();
  return loaded;
}

function compileContract(): Contract {
  const document = JSON.parse(readFileSync(SUBSET_FILE, 'utf8')) as Json;
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  // The description is added whole so its `#/components/...` references resolve; its OpenAPI
  // members are not JSON Schema keywords, and are declared so strict mode lets them be.
  for (const keyword of ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'components']) ajv.addKeyword({ keyword });
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });

  const pointer = (...segments: string[]): ValidateFunction =>
    ajv.compile({ $ref: `${DOCUMENT_ID}#/${segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}` });
  const resolve = (value: Json): Json => {
    if (typeof value.$ref !== 'string') return value;
    const [kind, name] = value.$ref.replace('#/components/', '').split('/') as [string, string];
    return document.components[kind][name] as Json;
  };

  const operations: Operation[] = [];
  for (const [pathTemplate, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
      const parameters = ((operation.parameters ?? []) as Json[]).map(resolve);
      const pathParameters = [...pathTemplate.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
      const parameterSchema = (where: string, closed: boolean) => {
        const own = parameters.filter((parameter) => parameter.in === where);
        return ajv.compile({
          type: 'object',
          properties: Object.fromEntries(own.map((parameter) => [parameter.name, parameter.schema])),
          required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
          ...(closed ? { additionalProperties: false } : {})
        });
      };
      const responses = new Map<number, ValidateFunction | null>();
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const resolved = resolve(response);
        const media = resolved.content?.['application/json'];
        if (!media) responses.set(Number(status), null);
        else if (response.$ref) responses.set(Number(status), pointer('components', 'responses', response.$ref.split('/').pop(), 'content', 'application/json', 'schema'));
        else responses.set(Number(status), pointer('paths', pathTemplate, method, 'responses', status, 'content', 'application/json', 'schema'));
      }
      const body = operation.requestBody as Json | undefined;
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        pathTemplate,
        pattern: new RegExp(`^${pathTemplate.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
        pathParameters,
        parameterTypes: new Map(parameters.map((parameter) => [parameter.name, [parameter.schema?.type ?? 'string'].flat() as string[]])),
        documentationUrl: operation.externalDocs?.url ?? 'https://docs.github.com/rest',
        validatePath: parameterSchema('path', true),
        validateQuery: parameterSchema('query', true),
        ...(body ? { validateBody: pointer('paths', pathTemplate, method, 'requestBody', 'content', 'application/json', 'schema') } : {}),
        bodyRequired: body?.required === true,
        responses
      });
    }
  }

  return {
    operations,
    validateBasicError: pointer('components', 'schemas', 'basic-error'),
    validateValidationError: pointer('components', 'schemas', 'validation-error'),
    schema: (name) => pointer('components', 'schemas', name)
  };
}

/** A path segment's or query value's text as the JSON value its schema describes (`"2"` → 2 for an integer). */
export function readParameter(text: string, types: string[]): unknown {
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** ajv's errors as one line each, naming where: `body /labels must be array`. */
export function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const at = error.instancePath === '' ? where : `${where} ${error.instancePath}`;
    const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')})` : '';
    return `${at} ${error.message ?? error.keyword}${extra}`;
  });
}
