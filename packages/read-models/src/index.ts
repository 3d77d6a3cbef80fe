export * from './catalog/catalog.read-model.js';
export * from './cache/stamped-cache.js';
