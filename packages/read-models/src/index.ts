export * from './catalog/catalog.read-model.js';
export * from './sales/sales.read-model.js';
export * from './sales/sales.index.js';
