export * from './runner.js';
export * from './report.js';
export * from './workflow-commands.js';
export { evaluateCondition, interpolate, type ExpressionContext } from './expressions.js';
