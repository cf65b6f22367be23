export * from './types.js';
export * from './cloudflare-analytics.js';
