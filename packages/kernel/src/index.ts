export * from './event-store/event-store.port.js';
export * from './event-store/postgres-event-store.js';
export * from './messaging/event-bus.js';
export * from './messaging/jetstream.js';
export * from './postgres/pool.js';
export * from './postgres/schema.js';
export * from './postgres/notifications.js';
