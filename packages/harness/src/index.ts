export * from './runner.js';
export * from './report.js';
export * from './workflow-commands.js';
export { evaluateCondition, evaluateExpression, expressionText, interpolate, jobStatus, type StatusFunctions } from './expressions.js';
export { satisfiesNodeVersion } from './builtin-actions.js';
export { runWorkflow, githubUrls, inspectWorkflow, expandMatrix, WorkflowError, SUPPORTED_EVENTS, type RunWorkflowOptions, type WorkflowRun, type JobRun, type StepResult, type WorkflowEvent } from './workflow.js';
