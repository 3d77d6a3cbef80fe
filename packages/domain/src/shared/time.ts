import { z } from 'zod';

/**
 * An instant as an ISO 8601 string, always supplied by the caller (deciders never read a clock).
 * Offsets are accepted so that an event once written never fails to parse on read-back.
 */
export const Timestamp = z.iso.datetime({ offset: true });
export type Timestamp = z.infer<typeof Timestamp>;
