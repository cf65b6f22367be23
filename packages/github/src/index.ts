export * from './client.js';
export * from './deployments.js';
export * from './issues/limit.js';
export * from './issues/marker.js';
export * from './issues/plan.js';
export * from './issues/sections.js';
export * from './issues/tracker.js';
export * from './issues/incident.js';
