import type { Request } from 'express';
import type { ExpectedVersion } from '@shop/kernel';
import { ProblemError } from '@shop/service-kit';

/** Our ETags are the stream version, strong and quoted: `"7"`. */
export const streamVersionEtag = (version: bigint): string => `"${version}"`;

const ENTITY_TAG = /^"(\d{1,18})"$/;

/**
 * The expected version an update must hold, from `If-Match`: `"7"` → exactly version 7, `*` → the stream exists.
 * Missing → 428 when `required` (lost-update protection is not optional on PATCH), else `fallback`.
 */
export function expectedVersionFromIfMatch(req: Request, options: { required: boolean; fallback: ExpectedVersion }): ExpectedVersion {
  const header = req.get('if-match')?.trim();
  if (header === undefined || header === '') {
    if (options.required) {
      throw new ProblemError(428, 'precondition_required', 'Precondition Required', 'Send If-Match with the ETag you last read');
    }
    return options.fallback;
  }
  if (header === '*') return 'exists';
  const match = ENTITY_TAG.exec(header);
  if (!match) throw new ProblemError(400, 'invalid_if_match', 'Invalid If-Match', 'Expected one strong ETag such as "3", or *');
  return BigInt(match[1]!);
}

export const preconditionFailed = (currentVersion: bigint): ProblemError =>
  new ProblemError(412, 'precondition_failed', 'Precondition Failed', 'The resource changed since you read it; read it again', {
    currentEtag: streamVersionEtag(currentVersion),
  }, { ETag: streamVersionEtag(currentVersion) });
