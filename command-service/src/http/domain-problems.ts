import type { ErrorRequestHandler } from 'express';
import { isDomainError, type DomainErrorCode } from '@shop/domain';
import { VersionConflict } from '@shop/kernel';
import { ProblemError } from '@shop/service-kit';

/** Every domain error code has exactly one HTTP answer; a new code without an entry fails to compile. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  product_already_exists: { status: 409, title: 'Product already exists' },
  product_not_found: { status: 404, title: 'Product not found' },
  product_discontinued: { status: 409, title: 'Product discontinued' },
  invalid_quantity: { status: 422, title: 'Invalid quantity' },
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

/** Translates domain errors and store conflicts into problems; everything else passes through unchanged. */
export const domainProblems: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  if (isDomainError(error)) {
    const { status, title } = DOMAIN_ERROR_STATUS[error.code];
    next(new ProblemError(status, error.code, title, error.message));
    return;
  }
  if (error instanceof VersionConflict) {
    next(
      new ProblemError(409, 'version_conflict', 'Version conflict', error.message, {
        expectedVersion: String(error.expected),
        actualVersion: error.actual.toString(),
      }),
    );
    return;
  }
  next(error);
};
