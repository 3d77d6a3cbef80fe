import type { Request } from 'express';
import { ProblemError } from '@shop/service-kit';

/** Our ETags are the stream version, strong and quoted: `"7"`. */
export const streamVersionEtag = (version: bigint): string => `"${version}"`;

const ENTITY_TAG = /^"(\d{1,18})"$/;

/**
 * The stream version an update must find, from `If-Match`: `"7"` → exactly version 7; `*` → any version (the
 * command itself refuses a product that does not exist), as does a missing header unless `required` (428: lost-update
 * protection is not optional on PATCH).
 */
export function ifMatchVersion(req: Request, options: { required: boolean }): bigint | undefined {
  const header = req.get('if-match')?.trim();
  if (header === undefined || header === '') {
    if (options.required) {
      throw new ProblemError(428, 'precondition_required', 'Precondition Required', 'Send If-Match with the ETag you last read');
    }
    return undefined;
  }
  if (header === '*') return undefined;
  const match = ENTITY_TAG.exec(header);
  if (!match) throw new ProblemError(400, 'invalid_if_match', 'Invalid If-Match', 'Expected one strong ETag such as "3", or *');
  return BigInt(match[1]!);
}

/** A stale If-Match (StaleExpectedVersion) as its problem: 412 with the current ETag. */
export const preconditionFailed = (currentVersion: bigint): ProblemError =>
  new ProblemError(412, 'precondition_failed', 'Precondition Failed', 'The resource changed since you read it; read it again', {
    currentEtag: streamVersionEtag(currentVersion),
  }, { ETag: streamVersionEtag(currentVersion) });
