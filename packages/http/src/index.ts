export * from './probe.js';
export * from './retry.js';
