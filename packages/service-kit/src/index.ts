export * from './http/problem.js';
export * from './http/service-app.js';
export * from './http/openapi-routes.js';
export * from './auth/tokens.js';
export * from './config.js';
export * from './logger.js';
export * from './lifecycle.js';
export * from './free-port.js';
