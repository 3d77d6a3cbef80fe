import { z } from 'zod';

/** ISO 4217 codes the shop accepts. Money is always integer minor units (cents) of one of these. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'CAD', 'AUD', 'JPY'] as const;
export const Currency = z.enum(CURRENCIES);
export type Currency = z.infer<typeof Currency>;

/** Integer cents; fractional cents are a validation error, never rounded. Upper bound keeps sums of many lines exact. */
export const Cents = z.number().int().min(0).max(100_000_000_00);

/**
 * A sum of cents (line totals, order totals, payments): a price times a quantity can exceed `Cents`' bound,
 * so sums are only bounded by what a double still adds exactly.
 */
export const CentsTotal = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
