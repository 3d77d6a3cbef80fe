import { PROJECTION_NAMES, ProjectionName } from '@shop/client';
import type { StatusMessage } from '../components/Status';
import { href } from '../route';

/** While a redrive is watched, the list is read again this often (only while the page is visible)… */
export const REDRIVE_POLL_MS = 2_000;
/** …until it is empty, or this long after the request: a letter that fails again stays listed for good. */
export const REDRIVE_WATCH_MS = 60_000;

/** The projection whose letters are shown, from the hash (`#/admin/dead-letters?projection=orders`); the first by default. */
export function parseDeadLetterProjection(hash: string): ProjectionName {
  const asked = ProjectionName.safeParse(new URLSearchParams(hash.split('?', 2)[1] ?? '').get('projection'));
  return asked.success ? asked.data : PROJECTION_NAMES[0];
}

export const deadLettersHref = (projection: ProjectionName): string => href.deadLetters(new URLSearchParams({ projection }).toString());

export type RedriveVerdict = 'watching' | 'emptied' | 'gaveUp';

/**
 * What a list read after a redrive request says about it: the projection's list going empty is the redrive done
 * (docs/openapi.json); still listed past REDRIVE_WATCH_MS, the watch gives up. `readAt` is when that list was read.
 */
export function redriveVerdict({ startedAt, readAt, remaining }: { startedAt: number; readAt: number; remaining: number }): RedriveVerdict {
  if (remaining === 0) return 'emptied';
  return readAt - startedAt >= REDRIVE_WATCH_MS ? 'gaveUp' : 'watching';
}

/** The sentence for the admin once the watch ends. */
export function redriveMessage(verdict: Exclude<RedriveVerdict, 'watching'>, projection: ProjectionName, remaining: number): StatusMessage {
  if (verdict === 'emptied') return { kind: 'ok', text: `Redriven: ${projection} has no dead letters left.` };
  const letters = remaining === 1 ? '1 letter is' : `${remaining} letters are`;
  return {
    kind: 'error',
    text: `After ${REDRIVE_WATCH_MS / 1000} s, ${letters} still listed: they failed again, or no projector running ${projection} took the request yet.`,
  };
}
