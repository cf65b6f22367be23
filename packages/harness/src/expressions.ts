// Enough of the GitHub expression language for `pre-if` / `post-if` and input defaults such as
// `${{ github.token }}`. Unsupported syntax throws rather than guessing.

/** How the job stands when a condition is evaluated, as the status functions see it. */
export type StepConclusion = 'success' | 'failure';

export type ExpressionValue = string | number | boolean | null | ExpressionValue[] | { [key: string]: ExpressionValue };

export interface ExpressionContext {
  contexts: Record<string, ExpressionValue>;
  jobStatus: StepConclusion;
}

type ExpressionNode =
  | { type: 'literal'; value: ExpressionValue }
  | { type: 'named'; name: string }
  | { type: 'member'; object: ExpressionNode; key: ExpressionNode }
  | { type: 'call'; name: string; args: ExpressionNode[] }
  | { type: 'not'; operand: ExpressionNode }
  | { type: 'binary'; operator: string; left: ExpressionNode; right: ExpressionNode };

type ExpressionToken = { kind: 'punct' | 'word'; text: string } | { kind: 'value'; value: ExpressionValue };

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

function tokenize(source: string): ExpressionToken[] {
  const tokens: ExpressionToken[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const blank = /^\s+/.exec(rest);
    const punct = /^(&&|\|\||==|!=|<=|>=|[()[\].,!<>])/.exec(rest);
    const number = /^-?(0x[0-9a-f]+|0o[0-7]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)(?![\w-])/i.exec(rest);
    const word = /^[A-Za-z_][\w-]*/.exec(rest);
    if (blank) {
      at += blank[0].length;
    } else if (rest.startsWith("'")) {
      const end = /^'((?:[^']|'')*)'/.exec(rest);
      if (!end) throw new Error(`Unterminated string in expression: ${source}`);
      tokens.push({ kind: 'value', value: (end[1] ?? '').replace(/''/g, "'") });
      at += end[0].length;
    } else if (number) {
      tokens.push({ kind: 'value', value: Number(number[0].replace(/^(-?)0o/i, '$10o')) });
      at += number[0].length;
    } else if (punct) {
      tokens.push({ kind: 'punct', text: punct[0] });
      at += punct[0].length;
    } else if (word) {
      const literal: Record<string, ExpressionValue> = { true: true, false: false, null: null, NaN: Number.NaN, Infinity: Infinity };
      tokens.push(word[0] in literal ? { kind: 'value', value: literal[word[0]] ?? null } : { kind: 'word', text: word[0] });
      at += word[0].length;
    } else {
      throw new Error(`Unexpected character '${rest[0]}' in expression: ${source}`);
    }
  }
  return tokens;
}

function parseExpression(source: string): ExpressionNode {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (text: string) => {
    const token = tokens[at];
    return token !== undefined && token.kind === 'punct' && token.text === text;
  };
  const expect = (text: string) => {
    if (!peek(text)) throw new Error(`Expected '${text}' in expression: ${source}`);
    at += 1;
  };
  const binary = (operators: string[], next: () => ExpressionNode) => (): ExpressionNode => {
    let left = next();
    for (let op = operators.find(peek); op !== undefined; op = operators.find(peek)) {
      at += 1;
      left = { type: 'binary', operator: op, left, right: next() };
    }
    return left;
  };
  const primary = (): ExpressionNode => {
    const token = tokens[at++];
    if (!token) throw new Error(`Unexpected end of expression: ${source}`);
    if (token.kind === 'value') return { type: 'literal', value: token.value };
    if (token.kind === 'punct' && token.text === '(') {
      const inner = orExpression();
      expect(')');
      return inner;
    }
    if (token.kind === 'word') {
      if (!peek('(')) return { type: 'named', name: token.text };
      at += 1;
      const args: ExpressionNode[] = [];
      while (!peek(')')) {
        args.push(orExpression());
        if (!peek(')')) expect(',');
      }
      at += 1;
      return { type: 'call', name: token.text.toLowerCase(), args };
    }
    throw new Error(`Unexpected '${token.text}' in expression: ${source}`);
  };
  const postfix = (): ExpressionNode => {
    let node = primary();
    for (;;) {
      if (peek('.')) {
        at += 1;
        const key = tokens[at++];
        if (key?.kind !== 'word') throw new Error(`Expected a property name after '.' in expression: ${source}`);
        node = { type: 'member', object: node, key: { type: 'literal', value: key.text } };
      } else if (peek('[')) {
        at += 1;
        const key = orExpression();
        expect(']');
        node = { type: 'member', object: node, key };
      } else {
        return node;
      }
    }
  };
  const unary = (): ExpressionNode => {
    if (!peek('!')) return postfix();
    at += 1;
    return { type: 'not', operand: unary() };
  };
  const relational = binary(['<', '<=', '>', '>='], unary);
  const equality = binary(['==', '!='], relational);
  const andExpression = binary(['&&'], equality);
  const orExpression = binary(['||'], andExpression);
  const tree = orExpression();
  if (at < tokens.length) throw new Error(`Unexpected trailing tokens in expression: ${source}`);
  return tree;
}

function isTruthy(value: ExpressionValue): boolean {
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value !== false && value !== null && value !== '';
}

function toNumber(value: ExpressionValue): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value.trim());
  return Number.NaN;
}

function compare(operator: string, left: ExpressionValue, right: ExpressionValue): boolean {
  const objects = (typeof left === 'object' && left !== null) || (typeof right === 'object' && right !== null);
  if (operator === '==' || operator === '!=') {
    let equal: boolean;
    if (typeof left === 'string' && typeof right === 'string') equal = left.toUpperCase() === right.toUpperCase();
    else if (objects) equal = left === right;
    else equal = toNumber(left) === toNumber(right);
    return operator === '==' ? equal : !equal;
  }
  if (objects) return false;
  const [a, b] =
    typeof left === 'string' && typeof right === 'string' ? [left.toUpperCase(), right.toUpperCase()] : [toNumber(left), toNumber(right)];
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

function lookup(object: ExpressionValue, key: ExpressionValue): ExpressionValue {
  if (Array.isArray(object)) return typeof key === 'number' ? (object[key] ?? null) : null;
  if (typeof object !== 'object' || object === null) return null;
  const wanted = String(key).toLowerCase();
  const match = Object.keys(object).find((name) => name.toLowerCase() === wanted);
  return match === undefined ? null : (object[match] ?? null);
}

function expressionText(value: ExpressionValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

function evaluateNode(node: ExpressionNode, context: ExpressionContext): ExpressionValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'named': {
      const value = lookup(context.contexts, node.name);
      if (value === null && !Object.keys(context.contexts).some((name) => name.toLowerCase() === node.name.toLowerCase())) {
        throw new Error(`Unrecognized named-value: '${node.name}' (available: ${Object.keys(context.contexts).join(', ')})`);
      }
      return value;
    }
    case 'member':
      return lookup(evaluateNode(node.object, context), evaluateNode(node.key, context));
    case 'not':
      return !isTruthy(evaluateNode(node.operand, context));
    case 'binary': {
      const left = evaluateNode(node.left, context);
      if (node.operator === '&&') return isTruthy(left) ? evaluateNode(node.right, context) : left;
      if (node.operator === '||') return isTruthy(left) ? left : evaluateNode(node.right, context);
      return compare(node.operator, left, evaluateNode(node.right, context));
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateNode(arg, context));
      const text = (index: number) => expressionText(args[index] ?? null).toUpperCase();
      switch (node.name) {
        case 'success':
          return context.jobStatus === 'success';
        case 'failure':
          return context.jobStatus === 'failure';
        case 'cancelled':
          // The harness has no way to cancel a job, so nothing is ever cancelled.
          return false;
        case 'always':
          return true;
        case 'contains': {
          const haystack = args[0] ?? null;
          if (Array.isArray(haystack)) return haystack.some((item) => compare('==', item, args[1] ?? null));
          return text(0).includes(text(1));
        }
        case 'startswith':
          return text(0).startsWith(text(1));
        case 'endswith':
          return text(0).endsWith(text(1));
        default:
          throw new Error(`Function '${node.name}' is not supported by the harness`);
      }
    }
  }
}

function mentionsStatusFunction(node: ExpressionNode): boolean {
  switch (node.type) {
    case 'call':
      return STATUS_FUNCTIONS.includes(node.name) || node.args.some(mentionsStatusFunction);
    case 'member':
      return mentionsStatusFunction(node.object) || mentionsStatusFunction(node.key);
    case 'not':
      return mentionsStatusFunction(node.operand);
    case 'binary':
      return mentionsStatusFunction(node.left) || mentionsStatusFunction(node.right);
    default:
      return false;
  }
}

/**
 * Evaluates an `if`-style condition (`pre-if`, `post-if`). As in the runner, a condition that calls
 * none of success()/failure()/cancelled()/always() is implicitly `success() && (...)`, and a wrapping
 * `${{ }}` is optional.
 */
export function evaluateCondition(condition: string, jobStatus: StepConclusion, contexts: Record<string, ExpressionValue> = {}): boolean {
  const wrapped = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  const tree = parseExpression(wrapped ? (wrapped[1] ?? '') : condition);
  const context: ExpressionContext = { contexts, jobStatus };
  if (!mentionsStatusFunction(tree) && jobStatus !== 'success') return false;
  return isTruthy(evaluateNode(tree, context));
}

/** Replaces each `${{ expression }}` in a template string with its value. */
export function interpolate(template: string, context: ExpressionContext): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => expressionText(evaluateNode(parseExpression(expression), context)));
}
