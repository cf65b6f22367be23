export * from './runner.js';
export * from './report.js';
export * from './workflow-commands.js';
export { evaluateCondition, evaluateExpression, expressionText, interpolate, jobStatus, type StatusFunctions } from './expressions.js';
