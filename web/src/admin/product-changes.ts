import type { Product, StockAdjustmentRequest, UpdateProductRequest } from '@shop/client';
import { formatAmount, parseCents, parseCount } from '../money';

/** What the edit form holds: text as typed. */
export interface ProductDraft {
  name: string;
  description: string;
  price: string;
}

export type DraftErrors = Partial<Record<keyof ProductDraft, string>>;

export const draftOf = (product: Product): ProductDraft => ({
  name: product.name,
  description: product.description,
  price: formatAmount(product.priceCents),
});

/**
 * The PATCH body: only the fields that differ from the version the admin read (the API appends one event per
 * changed field, and refuses an empty body), or the problems to show, or `unchanged`.
 */
export function productChanges(base: Product, draft: ProductDraft): { changes: UpdateProductRequest } | { errors: DraftErrors } | { unchanged: true } {
  const errors: DraftErrors = {};
  const name = draft.name.trim();
  const description = draft.description.trim();
  const priceCents = parseCents(draft.price);
  if (!name) errors.name = 'Name is required.';
  else if (name.length > 200) errors.name = 'At most 200 characters.';
  if (description.length > 5000) errors.description = 'At most 5,000 characters.';
  if (priceCents === null) errors.price = 'Enter a price like 12.34 (at most two decimals).';
  if (Object.keys(errors).length > 0 || priceCents === null) return { errors };

  const changes: UpdateProductRequest = {};
  if (name !== base.name) changes.name = name;
  if (description !== base.description) changes.description = description;
  if (priceCents !== base.priceCents) changes.priceCents = priceCents;
  return Object.keys(changes).length > 0 ? { changes } : { unchanged: true };
}

export type StockDirection = 'received' | 'writtenOff';

export interface StockFields {
  direction: StockDirection;
  units: string;
  reason: string;
}

/** A receipt adds units, a write-off removes them: the API's signed, never-zero `delta`. */
export function stockAdjustment(fields: StockFields): { adjustment: StockAdjustmentRequest } | { errors: Partial<Record<'units' | 'reason', string>> } {
  const units = parseCount(fields.units);
  const reason = fields.reason.trim();
  const errors: Partial<Record<'units' | 'reason', string>> = {};
  if (units === null || units === 0 || units > MAX_UNITS) errors.units = 'Enter a whole number of units, 1 or more.';
  const reasonProblem = reasonError(reason);
  if (reasonProblem) errors.reason = reasonProblem;
  if (units === null || Object.keys(errors).length > 0) return { errors };
  return { adjustment: { delta: fields.direction === 'received' ? units : -units, reason } };
}

const MAX_UNITS = 1_000_000_000;

/** Why a stock change's reason (trimmed) cannot be sent, or nothing: the API wants one, of at most 200 characters. */
function reasonError(reason: string): string | undefined {
  if (!reason) return 'Say why (e.g. the delivery note).';
  return reason.length > 200 ? 'At most 200 characters.' : undefined;
}

/** The products list's inline stock change: the signed delta as typed (`+24`, `-2`, `24`) and the reason. */
export interface StockDeltaFields {
  delta: string;
  reason: string;
}

/** The API's signed, never-zero `delta` typed as such (a minus sign writes units off), or the problems to show. */
export function stockDelta(fields: StockDeltaFields): { adjustment: StockAdjustmentRequest } | { errors: Partial<Record<keyof StockDeltaFields, string>> } {
  const [, sign = '', digits = ''] = /^([+-]?)\s*(\d+)$/.exec(fields.delta.trim()) ?? [];
  const units = digits ? parseCount(digits) : null;
  const reason = fields.reason.trim();
  const errors: Partial<Record<keyof StockDeltaFields, string>> = {};
  if (units === null || units === 0 || units > MAX_UNITS) errors.delta = 'Enter whole units, not 0: 24 adds, -2 removes.';
  const reasonProblem = reasonError(reason);
  if (reasonProblem) errors.reason = reasonProblem;
  if (units === null || Object.keys(errors).length > 0) return { errors };
  return { adjustment: { delta: sign === '-' ? -units : units, reason } };
}
