// Command templates as argument lists, without a shell: the template is split the way a POSIX shell
// splits words (quotes and backslashes, nothing else: no variables, globs, pipes or redirections),
// then each placeholder is replaced inside its own argument, so a value with spaces or quotes stays
// one argument and can never become a second command.
//
// `{percentage}` is the canary's share in percent (`5`), `{fraction}` the same share as a fraction of
// one (`0.05`), for platforms that take a weight, such as a Lambda alias's AdditionalVersionWeights.

import { InputError } from '@deploy-actions/inputs';

export const PLACEHOLDERS = ['canary', 'stable', 'percentage', 'fraction'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const TEMPLATE_FORM = "a command and its arguments, e.g. ./shift.sh {canary} {percentage}, quoted with ' or \" where an argument has spaces";

/**
 * Splits a command template into arguments. `'…'` is literal; inside `"…"` a backslash escapes `"`
 * and `\`; outside quotes a backslash escapes any character; quotes next to text join it (`a"b c"` is
 * one argument). Throws InputError naming `input` for an unterminated quote or an empty command.
 */
export function splitArguments(input: string, template: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) current += template[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 === template.length) throw new InputError(input, 'ends with a lone backslash', TEMPLATE_FORM);
      current += template[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new InputError(input, `has an unterminated ${quote} quote`, TEMPLATE_FORM);
  if (inWord) args.push(current);
  if (args.length === 0) throw new InputError(input, 'is empty', TEMPLATE_FORM);
  for (const arg of args) {
    for (const [, name] of arg.matchAll(/\{([A-Za-z][\w-]*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name!)) {
        throw new InputError(input, `has an unknown placeholder {${name}}`, `only ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
      }
    }
  }
  return args;
}

/** A placeholder in an argument splitArguments accepted (it refuses every other name). */
const PLACEHOLDER_PATTERN = /\{(canary|stable|percentage|fraction)\}/g;

/**
 * The arguments with each placeholder replaced by its value, inside the argument it stands in.
 * `{fraction}` is derived from `percentage` (empty when it is).
 */
export function fillArguments(args: readonly string[], values: Record<Exclude<Placeholder, 'fraction'>, string>): string[] {
  const all: Record<Placeholder, string> = { ...values, fraction: fractionOf(values.percentage) };
  return args.map((arg) => arg.replace(PLACEHOLDER_PATTERN, (_, name: Placeholder) => all[name]));
}

/** Whether fillArguments would change `arg`: its value is known only when the command runs. */
export function hasPlaceholder(arg: string): boolean {
  return arg.search(PLACEHOLDER_PATTERN) >= 0;
}

/** `5` → `0.05`, `100` → `1`, `12.5` → `0.125`: the shortest decimal, without binary noise (`0.07`, not `0.06999…`). */
function fractionOf(percentage: string): string {
  if (percentage.trim() === '') return '';
  const value = Number(percentage);
  if (!Number.isFinite(value)) return '';
  return String(Number((value / 100).toPrecision(12)));
}
