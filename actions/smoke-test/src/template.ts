// `{{ name }}` placeholders in requests: spec vars, the vars input, captures of the tests a test
// needs, and `{{ env.NAME }}` from the environment. A placeholder with no value is an error, never
// an empty string sent to a server. A JSON value (a `json:` body, an `equals:` check) that is only
// one placeholder takes the value with its type (a captured id 3 stays the number 3); inside a
// longer string, or in a URL, header, query or form, a value is text.

export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$/;

export interface TemplateValues {
  /** Spec vars (with their YAML types), the vars input (text) and captures (any JSON value). */
  vars: ReadonlyMap<string, unknown>;
  env: NodeJS.ProcessEnv;
}

/** The names of the placeholders in `text`, in order. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/**
 * The names of the placeholders in every string of a JSON-like value, keys included, in order. A
 * start-up path: the value's JSON text is read in one go, and the strings are walked one by one only
 * when that text cannot tell. It can when every `{{` in it begins a placeholder: JSON adds no `{{` of
 * its own, and escapes only what no name holds, so a blank it escapes inside a placeholder (a tab)
 * is the one thing that makes the counts differ.
 */
export function placeholdersIn(value: unknown): string[] {
  const json = JSON.stringify(value ?? null);
  if (!json.includes('{{')) return [];
  const names = placeholderNames(json);
  if (names.length === json.split('{{').length - 1) return names;
  const all: string[] = [];
  walkStrings(value, (text) => {
    if (text.includes('{{')) all.push(...placeholderNames(text));
  });
  return all;
}

/** Names of the `env.*` placeholders used in `value`, so their values can be masked. */
export function envNames(value: unknown): string[] {
  return [...new Set(placeholdersIn(value).filter((name) => name.startsWith('env.')).map((name) => name.slice(4)))];
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => walkStrings(item, visit));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([key, item]) => (visit(key), walkStrings(item, visit)));
}

/** A value as text: strings as they are, anything else as JSON (3, true, null, {"a":1}). */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function valueOf(name: string, values: TemplateValues): unknown {
  if (name.startsWith('env.')) {
    const value = values.env[name.slice(4)];
    if (value === undefined) throw new TemplateError(`{{ ${name} }}: the environment variable ${name.slice(4)} is not set`);
    return value;
  }
  if (!values.vars.has(name)) {
    throw new TemplateError(`{{ ${name} }} has no value (known: ${[...values.vars.keys()].sort().join(', ') || 'none'}; a capture is known only to tests that need its test)`);
  }
  return values.vars.get(name);
}

export function renderString(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => textOf(valueOf(name, values)));
}

/** Renders every string (keys included) in a JSON-like value, as text. */
export function render<T>(value: T, values: TemplateValues): T {
  if (typeof value === 'string') return renderString(value, values) as T;
  if (Array.isArray(value)) return value.map((item) => render(item, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [renderString(key, values), render(item, values)])) as T;
  }
  return value;
}

/** Like render, but a string that is only one placeholder becomes that value, type and all. */
export function renderJson(value: unknown, values: TemplateValues): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    return whole ? valueOf(whole[1]!, values) : renderString(value, values);
  }
  if (Array.isArray(value)) return value.map((item) => renderJson(item, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [renderString(key, values), renderJson(item, values)]));
  }
  return value;
}
