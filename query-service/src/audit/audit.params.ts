import { z } from 'zod';
import type { LogAnchor } from '@shop/kernel';

/** Positions and versions are Postgres int8; `after + 1` must still be one, so the largest is excluded. */
const MAX_INT8 = 9_223_372_036_854_775_807n;

/** A global position or a stream version as a decimal string (query strings, CLI arguments). */
export const PositionText = z
  .string()
  .regex(/^\d{1,19}$/, 'a non-negative decimal integer')
  .transform((text) => BigInt(text))
  .refine((value) => value < MAX_INT8, 'too large');

/** `<category>-<id>`: the id is a UUID, or for `sku-` streams the lower-cased SKU. */
export const StreamIdText = z
  .string()
  .max(128)
  .regex(/^[a-z]+-[a-z0-9][a-z0-9._-]*$/, 'a stream id: <category>-<id>, lower case');

/** `<position>:<sha256 hex>`, as a verification prints its anchor. */
export const AnchorText = z
  .string()
  .regex(/^\d{1,19}:[0-9a-fA-F]{64}$/, 'an anchor: <position>:<64 hex digits>, as a verification prints it')
  .transform((text): LogAnchor => {
    const [position, digest] = text.split(':') as [string, string];
    return { position: BigInt(position), digest: digest.toLowerCase() };
  })
  .refine((anchor) => anchor.position < MAX_INT8, 'position too large');

export const formatAnchor = (anchor: LogAnchor): string => `${anchor.position}:${anchor.digest}`;
