import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';

/** express's own names for address ranges (proxy-addr): 127/8 and ::1; 169.254/16 and fe80::/10; 10/8, 172.16/12, 192.168/16 and fc00::/7. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * What express's `trust proxy` gets: the addresses or ranges of the gateways whose `X-Forwarded-For` is believed,
 * or `false` (trust none: `req.ip` is the socket's peer).
 */
export type TrustedProxies = readonly string[] | false;

/**
 * The gateway hop as `npm start` and a compose network place it: nginx on loopback, or on a compose bridge network
 * (Docker hands those out of 172.16/12 and 192.168/16, both in `uniquelocal`). A client cannot reach a service
 * from those ranges except through the gateway, which replaces X-Forwarded-For with the address it saw.
 */
export const DEFAULT_TRUSTED_PROXIES = 'loopback,uniquelocal';

const isAddressOrRange = (entry: string): boolean => {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
};

/**
 * Parses TRUSTED_PROXIES: a comma-separated list of express range names, addresses and CIDR ranges, or `none`.
 * Answers the list, or the entries it does not understand (so a typo fails the start instead of trusting nothing
 * or everything).
 */
export function parseTrustedProxies(value: string): { ok: true; value: TrustedProxies } | { ok: false; invalid: string[] } {
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 1 && entries[0] === 'none') return { ok: true, value: false };
  if (entries.length === 0) return { ok: false, invalid: ['(empty: say `none` to trust no proxy)'] };
  const invalid = entries.filter((entry) => !NAMED_RANGES.has(entry) && !isAddressOrRange(entry));
  return invalid.length ? { ok: false, invalid } : { ok: true, value: entries };
}

/** The env setting every service reads (spread into its config schema). */
export const ClientIdentityConfig = {
  TRUSTED_PROXIES: z
    .string()
    .default(DEFAULT_TRUSTED_PROXIES)
    .transform((value, context): TrustedProxies => {
      const parsed = parseTrustedProxies(value);
      if (parsed.ok) return parsed.value;
      context.addIssue({ code: 'custom', message: `not an address, CIDR range, loopback/linklocal/uniquelocal or none: ${parsed.invalid.join(', ')}` });
      return z.NEVER;
    }),
};

/** Request ids we pass on as they came: short, and nothing that could break a log line or a header. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REQUEST_ID_LOCAL = 'requestId';

/** The request id to use: the one given when well-formed, else a new one. */
export const acceptedRequestId = (given: string | undefined): string => (given !== undefined && REQUEST_ID.test(given) ? given : randomUUID());

/** The `X-Request-Id` of this request (the caller's when well-formed, else one made here). */
export const requestIdOf = (res: Response): string | undefined => res.locals[REQUEST_ID_LOCAL] as string | undefined;

/**
 * Takes the `X-Request-Id` the gateway (or caller) sent, or makes one, and answers it, so that a line in any
 * service's log can be matched to the answer a client got. A malformed id is replaced rather than refused: it is
 * a tracing aid, not input.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const id = acceptedRequestId(req.get('x-request-id'));
  res.locals[REQUEST_ID_LOCAL] = id;
  res.setHeader('X-Request-Id', id);
  next();
};
