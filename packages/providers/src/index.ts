export * from './types.js';
export * from './cloudflare-analytics.js';
export * from './config.js';
export * from './factory.js';
export { splitArguments, fillArguments, PLACEHOLDERS } from './arguments.js';
