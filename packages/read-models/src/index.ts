export * from './projection-positions.js';
export * from './catalog/catalog.read-model.js';
export * from './cache/stamped-cache.js';
export * from './orders/orders.read-model.js';
export * from './customers/customers.read-model.js';
export * from './sales/sales.read-model.js';
export * from './sales/sales.index.js';
export * from './checkpoints/projections.js';
