import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';
import { z } from 'zod';

/**
 * AES-256-GCM pieces of crypto-shredding (node:crypto only). A personal field is stored as an envelope: the field's
 * JSON encrypted under its subject's data key with a fresh 96-bit IV, authenticated together with the subject and the
 * event id (so a ciphertext cannot be passed off as another subject's or another event's). Data keys are stored
 * wrapped by the master key (key encryption key), authenticated with their subject's id.
 */
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

// Exactly the base64 lengths of a 12-byte IV and a 16-byte tag (checked by pattern: this runs for every field read).
const IV_TEXT = /^[A-Za-z0-9+/]{16}$/;
const TAG_TEXT = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

export const ENVELOPE_VERSION = 'v1';
export const Envelope = z.strictObject({
  enc: z.literal(ENVELOPE_VERSION),
  kid: z.string().min(1).max(200),
  iv: z.string().regex(IV_TEXT, '12 bytes, base64'),
  ct: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  tag: z.string().regex(TAG_TEXT, '16 bytes, base64'),
});
export type Envelope = z.infer<typeof Envelope>;

/** Anything shaped like an envelope (an object with `enc`) is one: parsed strictly, never passed through as data. */
export const looksLikeEnvelope = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'enc' in value;

/** An envelope that does not parse, or whose ciphertext does not authenticate: the stored event was altered. */
export class TamperedEnvelope extends Error {
  override readonly name = 'TamperedEnvelope';
}

/** The additional data every field of one event is authenticated with: its subject and the event. */
export const fieldAad = (kid: string, eventId: string): Buffer => Buffer.from(`shop-personal-data:${ENVELOPE_VERSION}:${kid}:${eventId}`);

/**
 * IVs are cut from a buffer of random bytes refilled every 256 IVs: one randomBytes call per IV cost as much as the
 * encryption itself (≈ 10 µs here). Each IV is still 96 fresh random bits, never reused (the buffer moves on).
 */
const IV_POOL = Buffer.alloc(IV_BYTES * 256);
let ivOffset = IV_POOL.length;
function freshIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

/** `aad`: fieldAad(kid, eventId), made once per event by the caller. */
export function sealField(key: Buffer, kid: string, aad: Buffer, value: unknown): Envelope {
  const iv = freshIv();
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { enc: ENVELOPE_VERSION, kid, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** The field's value; throws TamperedEnvelope when the ciphertext, IV, tag, subject or event do not match. */
export function openField(key: Buffer, envelope: Envelope, eventId: string): unknown {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(envelope.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(fieldAad(envelope.kid, eventId));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch (error) {
    throw new TamperedEnvelope(`personal data of ${envelope.kid} in event ${eventId} does not authenticate`, { cause: error });
  }
}

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

const wrapAad = (subject: string): Buffer => Buffer.from(`shop-data-key:${ENVELOPE_VERSION}:${subject}`);

/** iv ‖ tag ‖ ciphertext (60 bytes). */
export function wrapDataKey(masterKey: Buffer, subject: string, dataKey: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, masterKey, iv);
  cipher.setAAD(wrapAad(subject));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

export function unwrapDataKey(masterKey: Buffer, subject: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, masterKey, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(wrapAad(subject));
  decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    // Wrong master key (DATA_KEY_ENCRYPTION_KEY changed?) or an edited row: never a silent "[erased]".
    throw new Error(`the data key of ${subject} cannot be unwrapped with this DATA_KEY_ENCRYPTION_KEY`, { cause: error });
  }
}

/** DATA_KEY_ENCRYPTION_KEY: 32 random bytes, base64 (`openssl rand -base64 32`). */
export const MasterKey = z
  .string()
  .trim()
  .refine((text) => /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === KEY_BYTES, 'DATA_KEY_ENCRYPTION_KEY must be 32 bytes, base64 (openssl rand -base64 32)')
  .transform((text) => Buffer.from(text, 'base64'));
