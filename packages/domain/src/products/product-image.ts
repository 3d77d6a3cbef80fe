import { z } from 'zod';

/** Long enough for a signed CDN address, short enough to bound an event and a catalog row. */
export const IMAGE_URL_MAX_LENGTH = 2_048;

/**
 * What is wrong with `text` as a product's image address, or undefined when nothing is. The web app puts it in an
 * `<img src>`, so only what a browser fetches from the web belongs here: an absolute http(s) URL, or a path on the
 * shop's own origin. `//host/x` (protocol-relative) and `/\host` (browsers read `\` as `/`) leave the origin while
 * looking like paths; credentials in a URL would be published with the catalog. The text is kept as written, not
 * normalised: what the admin typed is what the shopper's browser asks for.
 */
export function imageUrlProblem(text: string): string | undefined {
  if (text.length === 0) return 'must not be empty (leave it out, or send null to remove the image)';
  if (text.length > IMAGE_URL_MAX_LENGTH) return `must be at most ${IMAGE_URL_MAX_LENGTH} characters`;
  if (/[\s\\\p{Cc}]/u.test(text)) return 'must not contain spaces, control characters or backslashes';
  if (text.startsWith('/')) return text.startsWith('//') ? 'a path must start with a single "/" ("//host" is another site)' : undefined;
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return 'must be an absolute http(s) URL or a path starting with "/"';
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return undefined;
}

/** A product's image address as events and commands carry it (see imageUrlProblem). */
export const ImageUrl = z.string().superRefine((text, context) => {
  const problem = imageUrlProblem(text);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});
