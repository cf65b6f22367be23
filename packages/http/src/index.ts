export * from './probe.js';
export * from './retry.js';
export * from './proxy.js';
