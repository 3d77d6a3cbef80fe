export { ConsistencyTokens, laterPosition } from './consistency.js';
export * from './contract.js';
export { operations, type Operation, type OperationName, type QueryOf, type RequestOf, type ResponseOf } from './operations.js';
export { exchange, shopRequests, ShopProblem, ShopResponseError, where, type Answer, type Connection, type ShopRequest } from './requests.js';
export { ShopClient, type ShopClientOptions } from './shop-client.js';
