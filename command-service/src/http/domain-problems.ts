import type { ErrorRequestHandler } from 'express';
import { isDomainError, type DomainErrorCode } from '@shop/domain';
import { VersionConflict } from '@shop/kernel';
import { ProblemError } from '@shop/service-kit';

/** Every domain error code has exactly one HTTP answer; a new code without an entry fails to compile. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  product_already_exists: { status: 409, title: 'Product already exists' },
  product_not_found: { status: 404, title: 'Product not found' },
  invalid_stock: { status: 409, title: 'Invalid stock' },
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
