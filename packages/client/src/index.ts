export { ConsistencyTokens } from './consistency.js';
export { ShopClient, ShopProblem, type Answer, type OrderLineRequest, type Page, type ShippingAddress, type ShopClientOptions } from './shop-client.js';
