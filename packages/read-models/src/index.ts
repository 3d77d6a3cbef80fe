export * from './catalog/catalog.read-model.js';
