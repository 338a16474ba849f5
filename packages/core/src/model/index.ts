export * from './ecosystem.js';
export * from './package.js';
export * from './diagnostic.js';
export * from './project.js';
export * from './severity.js';
export * from './finding.js';
export * from './purl.js';
