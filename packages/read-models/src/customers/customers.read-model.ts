import { z } from 'zod';

/**
 * The customers read model: written by the projector's customers projection. No secrets: credentials live in
 * `user_accounts` and never enter a read model. A forgotten customer (GDPR) keeps only its id and when it was
 * forgotten; email, name and registration time are erased.
 */
export const CUSTOMERS_PROJECTION = 'customers';
export const CUSTOMERS_TABLE = 'customers';

/** The customer representation a read may answer (allow-listed fields only; personal fields null once forgotten). */
export const CustomerView = z.strictObject({
  id: z.uuid(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  registeredAt: z.iso.datetime().nullable(),
  forgotten: z.boolean(),
  forgottenAt: z.iso.datetime().nullable(),
  version: z.number().int().min(1),
});
export type CustomerView = z.infer<typeof CustomerView>;

export interface CustomerRow {
  id: string;
  email: string | null;
  name: string | null;
  registered_at: Date | null;
  forgotten: boolean;
  forgotten_at: Date | null;
  version: string;
}

export const CUSTOMER_VIEW_COLUMNS = 'id, email, name, registered_at, forgotten, forgotten_at, version';

export const toCustomerView = (row: CustomerRow): CustomerView => ({
  id: row.id,
  email: row.email,
  name: row.name,
  registeredAt: row.registered_at?.toISOString() ?? null,
  forgotten: row.forgotten,
  forgottenAt: row.forgotten_at?.toISOString() ?? null,
  version: Number(row.version),
});

/** Redis keys the projector invalidates and the query service reads: one definition for both sides. */
export const CUSTOMERS_CACHE_PREFIX = 'shop:customers:';
export const customerCacheKey = (customerId: string): string => `${CUSTOMERS_CACHE_PREFIX}customer:${customerId}`;
