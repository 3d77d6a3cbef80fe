export * from './shared/money.js';
export * from './shared/domain-error.js';
export * from './shared/exhaustive.js';
export * from './products/product.events.js';
export * from './products/product.decider.js';
