import type { NewEvent, RecordedEvent } from '../event-store/event-store.port.js';
import type { DataKeyRing } from './data-key-ring.js';
import { Envelope, fieldAad, looksLikeEnvelope, openField, sealField, TamperedEnvelope } from './envelope.js';

/** Which fields of which events are personal, whose they are, and what an erased field reads as (the domain's). */
export interface CodecPolicy {
  readonly fields: Readonly<Record<string, { readonly subject: string; readonly paths: readonly string[] }>>;
  readonly erasures: Readonly<Record<string, string>>;
  /** What a field reads as once its subject's key is gone (the domain's `ERASED`). */
  readonly erased: string;
}

/** What a field that does not authenticate reads as, where the reader asked not to fail (the audit's views). */
export const UNREADABLE = '[unreadable]';

export interface DecodeOptions {
  /** `throw` (default): a tampered field fails the read. `mark`: it reads as UNREADABLE (the hash chain names it). */
  onTampered?: 'throw' | 'mark';
}

type Data = Record<string, unknown>;

const isRecord = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

function readPath(data: Data, segments: readonly string[]): unknown {
  let at: unknown = data;
  for (const segment of segments) at = isRecord(at) ? at[segment] : undefined;
  return at;
}

/** A copy of `data` with the value at `segments` replaced; only the objects along the path are copied. */
function writePath(data: Data, segments: readonly string[], value: unknown): Data {
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) return { ...data, [head]: value };
  const child = data[head];
  return isRecord(child) ? { ...data, [head]: writePath(child, rest, value) } : data;
}

type DecodableEvent = Pick<RecordedEvent, 'eventId' | 'type' | 'data'>;

/**
 * The event codec at the store's edge (crypto-shredding). On append, every personal field becomes an envelope
 * encrypted under its subject's data key; on read, envelopes become plaintext again, or the domain's `[erased]` once
 * the key was shredded. Events without personal fields pass untouched (the same objects), and so does a personal
 * field stored before encryption existed (plain JSON, not an envelope): old events stay readable.
 */
export class PersonalDataCodec {
  private readonly paths: ReadonlyMap<string, { subject: string; paths: string[][] }>;

  constructor(
    private readonly keys: DataKeyRing,
    private readonly policy: CodecPolicy,
  ) {
    this.paths = new Map(Object.entries(policy.fields).map(([type, rule]) => [type, { subject: rule.subject, paths: rule.paths.map((path) => path.split('.')) }]));
  }

  get keyRing(): DataKeyRing {
    return this.keys;
  }

  async encode(events: readonly NewEvent[]): Promise<NewEvent[]> {
    const encoded: NewEvent[] = [];
    for (const event of events) {
      const rule = this.paths.get(event.type);
      if (!rule) {
        encoded.push(event);
        continue;
      }
      const subject = event.data[rule.subject];
      if (typeof subject !== 'string' || subject.length === 0) throw new TypeError(`${event.type} has personal data but no subject in data.${rule.subject}`);
      const lookup = await this.keys.keyForWriting(subject);
      const aad = fieldAad(subject, event.eventId);
      let data = event.data;
      for (const segments of rule.paths) {
        const value = readPath(data, segments);
        if (value === undefined) continue;
        // A subject already erased keeps nothing: the field is stored as the placeholder, never as data.
        data = writePath(data, segments, lookup.status === 'active' ? sealField(lookup.key, subject, aad, value) : this.policy.erased);
      }
      encoded.push({ ...event, data });
    }
    return encoded;
  }

  /** Any event shape that carries its id, type and data: stored events, and events as a projection receives them. */
  async decode<E extends DecodableEvent>(events: readonly E[], options: DecodeOptions = {}): Promise<E[]> {
    const decoded: E[] = [];
    for (const event of events) {
      const erases = this.policy.erasures[event.type];
      if (erases !== undefined && typeof event.data[erases] === 'string') this.keys.forget(event.data[erases]);
      const rule = this.paths.get(event.type);
      decoded.push(rule ? await this.decodeEvent(event, rule.paths, options) : event);
    }
    return decoded;
  }

  private async decodeEvent<E extends DecodableEvent>(event: E, paths: readonly string[][], options: DecodeOptions): Promise<E> {
    let data = event.data;
    for (const segments of paths) {
      const value = readPath(data, segments);
      if (!looksLikeEnvelope(value)) continue;
      data = writePath(data, segments, await this.openOrMark(value, event, options));
    }
    return data === event.data ? event : { ...event, data };
  }

  private async openOrMark(value: Data, event: DecodableEvent, options: DecodeOptions): Promise<unknown> {
    try {
      const parsed = Envelope.safeParse(value);
      if (!parsed.success) throw new TamperedEnvelope(`a malformed personal-data envelope in event ${event.eventId}`);
      const lookup = await this.keys.keyForReading(parsed.data.kid);
      return lookup.status === 'active' ? openField(lookup.key, parsed.data, event.eventId) : this.policy.erased;
    } catch (error) {
      if (error instanceof TamperedEnvelope && options.onTampered === 'mark') return UNREADABLE;
      throw error;
    }
  }
}
