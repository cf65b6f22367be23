// `{{ name }}` placeholders in requests: spec vars, the vars input, captures of the tests a test
// needs, and `{{ env.NAME }}` from the environment. A placeholder with no value is an error, never
// an empty string sent to a server.

export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export interface TemplateValues {
  vars: ReadonlyMap<string, string>;
  env: NodeJS.ProcessEnv;
}

/** Names of the `env.*` placeholders used in `value`, so their values can be masked. */
export function envNames(value: unknown): string[] {
  const names = new Set<string>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) if (match[1]!.startsWith('env.')) names.add(match[1]!.slice(4));
  });
  return [...names];
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => walkStrings(item, visit));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([key, item]) => (visit(key), walkStrings(item, visit)));
}

export function renderString(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    if (name.startsWith('env.')) {
      const value = values.env[name.slice(4)];
      if (value === undefined) throw new TemplateError(`{{ ${name} }}: the environment variable ${name.slice(4)} is not set`);
      return value;
    }
    const value = values.vars.get(name);
    if (value === undefined) {
      throw new TemplateError(`{{ ${name} }} has no value (known: ${[...values.vars.keys()].sort().join(', ') || 'none'}; a capture is known only to tests that need its test)`);
    }
    return value;
  });
}

/** Renders every string (keys included) in a JSON-like value. */
export function render<T>(value: T, values: TemplateValues): T {
  if (typeof value === 'string') return renderString(value, values) as T;
  if (Array.isArray(value)) return value.map((item) => render(item, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [renderString(key, values), render(item, values)])) as T;
  }
  return value;
}
