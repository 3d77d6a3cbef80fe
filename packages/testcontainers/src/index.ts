export { DEFAULT_BASE_IMAGES, ShopImagesMissing, routedFetch, startShop, type StartedShop, type StartShopOptions } from './start-shop.js';
export {
  ALL_EVENTS_SUBJECT,
  EVENT_STREAM,
  createShopper,
  readEvents,
  seedProducts,
  subscribeToEvents,
  waitForConsistency,
  type EventSubscription,
  type ProductSeed,
  type SeededProduct,
  type ShopEvent,
  type Shopper,
  type StoredEvent,
} from './helpers.js';
export { generateShopSecrets, secretsAsEnvLines, type ShopSecrets } from './secrets.js';
