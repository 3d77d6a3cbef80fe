import type { LogAnchor, VerifyResult } from '@shop/client';
import { z } from 'zod';

/** `position:digest`, as `GET /api/audit/verify?anchor=` takes it and as every verification answers it. */
const ANCHOR = /^(\d{1,19}):([0-9a-fA-F]{64})$/;

export const anchorText = (anchor: LogAnchor): string => `${anchor.position}:${anchor.digest}`;

/** A pasted anchor, checked before it is sent (the API would answer 400); empty means "no anchor". */
export function parseAnchorText(text: string): { anchor: string | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { anchor: undefined };
  const match = ANCHOR.exec(trimmed);
  return match ? { anchor: `${match[1]}:${(match[2] ?? '').toLowerCase()}` } : { error: 'An anchor is <position>:<64 hex digits>, as a verification answers it.' };
}

/**
 * The fields of `npm run audit -- anchor --sign`'s document that the page needs (query-service's signed-anchor.ts is
 * the full, strict schema). The browser does not check the signature: that needs the auditor's public key and is
 * what `npm run audit -- verify --anchor <file> --public-key <file>` does; the page says so.
 */
const SignedAnchorFile = z.object({
  type: z.literal('shop-audit-anchor'),
  position: z.string().regex(/^\d{1,19}$/),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.string(),
});

/** The anchor a signed anchor file holds, from the file's text. */
export function anchorOfSignedFile(text: string): { anchor: string; time: string } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'This file is not JSON: choose the file `npm run audit -- anchor --sign` wrote.' };
  }
  const parsed = SignedAnchorFile.safeParse(json);
  return parsed.success
    ? { anchor: anchorText(parsed.data), time: parsed.data.time }
    : { error: 'This file is not a signed anchor (type shop-audit-anchor with a position and a digest).' };
}

export type Verdict =
  | { kind: 'intact' }
  | { kind: 'anchor_differs'; position: string }
  | { kind: 'broken'; firstBadPosition: string | null; anchorDiffers: boolean };

/**
 * What a verification says, first things first: a broken chain names its first bad position; an anchor whose digest
 * no longer matches means the log up to its position was rewritten even where every chain still holds (a consistent
 * rewrite, a swap, a deleted tail).
 */
export function verdictOf(result: VerifyResult): Verdict {
  const anchorDiffers = result.anchorCheck !== undefined && !result.anchorCheck.matches;
  if (result.firstBroken || result.brokenLinks > 0) return { kind: 'broken', firstBadPosition: result.firstBroken?.globalPosition ?? null, anchorDiffers };
  if (anchorDiffers && result.anchorCheck) return { kind: 'anchor_differs', position: result.anchorCheck.position };
  return result.ok ? { kind: 'intact' } : { kind: 'broken', firstBadPosition: null, anchorDiffers };
}
