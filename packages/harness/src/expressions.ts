// GitHub's expression language through GitHub's own implementation, @actions/expressions: the
// harness's `pre-if` / `post-if` and input defaults, and every `${{ }}` of the workflow runner. What
// the library leaves to the runner is supplied here: the status functions success(), failure(),
// cancelled() and always(), the implicit `success() &&` of a condition, and `${{ }}` in a string.
import { Evaluator, Lexer, Parser, data, type Expr } from '@actions/expressions';
import { TokenType } from '@actions/expressions/lexer';
import { Binary, FunctionCall, Grouping, IndexAccess, Logical, Unary } from '@actions/expressions/ast';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';

/** How a step ended, as the status functions see the job. */
export type StepConclusion = 'success' | 'failure';

export type ExpressionValue = string | number | boolean | null | ExpressionValue[] | { [key: string]: ExpressionValue };

/**
 * What success(), failure() and cancelled() return where a condition is evaluated: for a step, how
 * the job stands so far; for a job, how the jobs it needs ended (always() is always true).
 */
export interface StatusFunctions {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

const STATUS_FUNCTION_NAMES = ['success', 'failure', 'cancelled', 'always'];

/** The status functions for a job whose steps have so far ended as `conclusion`. */
export function jobStatus(conclusion: StepConclusion | 'cancelled'): StatusFunctions {
  return { success: conclusion === 'success', failure: conclusion === 'failure', cancelled: conclusion === 'cancelled' };
}

function statusFunctions(status: StatusFunctions): FunctionDefinition[] {
  const constant = (name: string, value: boolean): FunctionDefinition => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) });
  return [
    constant('success', status.success),
    constant('failure', status.failure),
    constant('cancelled', status.cancelled),
    constant('always', true)
  ];
}

/** A JSON-like value as the expression library's data. */
export function toExpressionData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** The library's data as a plain value. */
export function fromExpressionData(value: data.ExpressionData): ExpressionValue {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? 'null') as ExpressionValue;
}

function parse(expression: string, contextNames: string[], functions: FunctionDefinition[]): Expr {
  const { tokens } = new Lexer(expression).lex();
  // The library's lexer unescapes only the first '' of a string literal (`value.replace("''", "'")`,
  // 0.3.61); GitHub unescapes every one. Workflow text with quotes around `${{ }}` becomes such a
  // literal: `reason='<why>'` is format('… reason=''<why>''', …).
  for (const token of tokens) if (token.type === TokenType.STRING) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  return new Parser(tokens, contextNames, functions).parse();
}

/** Names the expression in an error from the library, whose messages say only what was wrong. */
function named(error: unknown, expression: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.includes('within expression') ? message : `${message} in expression: ${expression.trim()}`);
}

/**
 * Evaluates one expression (the text inside `${{ }}`) against plain-value contexts. The status
 * functions exist only when `status` is given, as only `if:` conditions may call them; a context or
 * function the expression names and this evaluation lacks (`hashFiles`, `secrets` where there are
 * none) is an error naming it.
 */
export function evaluateExpression(expression: string, contexts: Record<string, unknown>, status?: StatusFunctions): ExpressionValue {
  const functions = status ? statusFunctions(status) : [];
  try {
    const tree = parse(expression, Object.keys(contexts), functions);
    const scope = toExpressionData(contexts) as data.Dictionary;
    const result = new Evaluator(tree, scope, new Map(functions.map((f) => [f.name, f]))).evaluate();
    return fromExpressionData(result);
  } catch (error) {
    throw named(error, expression);
  }
}

/** Whether the expression calls success(), failure(), cancelled() or always() anywhere. */
function callsStatusFunction(node: Expr | undefined): boolean {
  if (node instanceof FunctionCall) {
    return STATUS_FUNCTION_NAMES.includes(node.functionName.lexeme.toLowerCase()) || node.args.some(callsStatusFunction);
  }
  if (node instanceof Binary) return callsStatusFunction(node.left) || callsStatusFunction(node.right);
  if (node instanceof Unary) return callsStatusFunction(node.expr);
  if (node instanceof Logical) return node.args.some(callsStatusFunction);
  if (node instanceof Grouping) return callsStatusFunction(node.group);
  if (node instanceof IndexAccess) return callsStatusFunction(node.expr) || callsStatusFunction(node.index);
  return false;
}

/** `${{ x }}` around a whole condition is optional, as in `if:`. */
function unwrap(condition: string): string {
  return /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition)?.[1] ?? condition;
}

/**
 * A condition as the runner reads `if:`, `pre-if` and `post-if`: one that calls no status function
 * is `success() && (...)`, and its value is judged truthy or not the expression language's way.
 */
export function evaluateCondition(
  condition: string,
  status: StepConclusion | 'cancelled' | StatusFunctions,
  contexts: Record<string, unknown> = {}
): boolean {
  const functions = typeof status === 'string' ? jobStatus(status) : status;
  let expression = unwrap(condition).trim() || 'success()';
  try {
    if (!callsStatusFunction(parse(expression, Object.keys(contexts), statusFunctions(functions)))) expression = `success() && (${expression})`;
  } catch (error) {
    throw named(error, expression);
  }
  return truthy(toExpressionData(evaluateExpression(expression, contexts, functions)));
}

/** A value where the runner needs a string (an input, an env value, a step name): objects as JSON. */
export function expressionText(value: ExpressionValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * Replaces each `${{ expression }}` in a string (an input's default in action.yml) with its value.
 * A string that is one expression keeps the expression's value as text.
 */
export function interpolate(template: string, contexts: Record<string, unknown>): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => expressionText(evaluateExpression(expression, contexts)));
}
