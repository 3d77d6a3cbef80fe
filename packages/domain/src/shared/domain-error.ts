/**
 * The closed set of domain error codes. They carry no HTTP status: the HTTP edge maps each one
 * (a map typed over this union, so a new code without a status fails to compile).
 */
export const DOMAIN_ERROR_CODES = [
  // products
  'product_already_exists',
  'product_not_found',
  'product_discontinued',
  'invalid_quantity',
  'invalid_image_url',
  'insufficient_stock',
  'out_of_stock',
  // orders
  'order_already_exists',
  'order_not_found',
  'empty_order',
  'duplicate_order_line',
  'currency_mismatch',
  'illegal_transition',
  // customers
  'customer_already_registered',
  'customer_not_found',
  'customer_forgotten',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
