import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';

/**
 * A SKU belongs to one product. Each SKU has a stream of its own (`sku-<lower-cased sku>`) whose first event claims
 * it; creating a product appends to the product stream and the SKU stream atomically, both with `no_stream`, so a
 * second product with the same SKU is refused by the store itself, even across command-service instances.
 */
export const SKU_STREAM_PREFIX = 'sku-';
export const skuStreamId = (sku: string): string => `${SKU_STREAM_PREFIX}${sku.toLowerCase()}`;

export const SkuClaimed = eventSchema('SkuClaimed', z.strictObject({ sku: z.string().min(1), productId: z.uuid() }));
export type SkuClaimed = z.infer<typeof SkuClaimed>;

export const SKU_EVENT_VERSIONS = { SkuClaimed: 1 } as const;

export const claimSku = (sku: string, productId: string): SkuClaimed => ({ type: 'SkuClaimed', data: { sku, productId } });
