import type { ErrorRequestHandler } from 'express';
import { isDomainError, type DomainErrorCode } from '@shop/domain';
import { StaleExpectedVersion, VersionConflict } from '@shop/kernel';
import { ProblemError } from '@shop/service-kit';
import { EmailTaken } from '../customers/register/register.js';
import { SkuTaken } from '../products/create-product/create-product.js';
import { preconditionFailed } from './preconditions.js';

/** Every domain error code has exactly one HTTP answer; a new code without an entry fails to compile. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  product_already_exists: { status: 409, title: 'Product already exists' },
  product_not_found: { status: 404, title: 'Product not found' },
  product_discontinued: { status: 409, title: 'Product discontinued' },
  invalid_quantity: { status: 422, title: 'Invalid quantity' },
  invalid_image_url: { status: 422, title: 'Invalid image URL' },
  insufficient_stock: { status: 409, title: 'Insufficient stock' },
  out_of_stock: { status: 409, title: 'Out of stock' },
  order_already_exists: { status: 409, title: 'Order already exists' },
  order_not_found: { status: 404, title: 'Order not found' },
  illegal_transition: { status: 409, title: 'Illegal transition' },
  empty_order: { status: 422, title: 'Empty order' },
  duplicate_order_line: { status: 422, title: 'Duplicate order line' },
  currency_mismatch: { status: 422, title: 'Currency mismatch' },
  customer_already_registered: { status: 409, title: 'Customer already registered' },
  customer_not_found: { status: 404, title: 'Customer not found' },
  customer_forgotten: { status: 410, title: 'Customer forgotten' },
};

/**
 * The one mapper from what the command side throws to its HTTP problem: domain errors by code, a stale If-Match
 * as 412 with the current ETag, a conflict that outlived its retries as 409, and the use cases' own refusals.
 * Undefined for anything else (a failure: service-kit's problem handler answers it 500 or 503).
 */
export function commandProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (isDomainError(error)) {
    const { status, title } = DOMAIN_ERROR_STATUS[error.code];
    return new ProblemError(status, error.code, title, error.message);
  }
  if (error instanceof StaleExpectedVersion) return preconditionFailed(error.actual);
  if (error instanceof VersionConflict) {
    return new ProblemError(409, 'version_conflict', 'Version conflict', error.message, {
      expectedVersion: String(error.expected),
      actualVersion: error.actual.toString(),
    });
  }
  if (error instanceof SkuTaken) return new ProblemError(409, 'sku_taken', 'SKU already in use', `Another product already has the SKU ${error.sku}`);
  if (error instanceof EmailTaken) return new ProblemError(409, 'email_taken', 'Email already registered', 'Log in, or register another email');
  return undefined;
}

/** The edge's error middleware: what `commandProblem` knows becomes its problem; everything else passes on unchanged. */
export const domainProblems: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  next(commandProblem(error) ?? error);
};
