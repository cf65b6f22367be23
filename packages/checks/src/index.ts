export * from './check.js';
export * from './probe-inputs.js';
