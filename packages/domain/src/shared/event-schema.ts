import { z } from 'zod';

/**
 * The schema of one domain event: `type` its past-tense name, `data` its payload, nothing else (strict, so that an
 * event with an unknown field fails to parse on read-back). The envelope (ids, versions, metadata) is the event
 * store's, not part of the event.
 */
export const eventSchema = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) => z.strictObject({ type: z.literal(type), data });

type EventUnion = { options: ReadonlyArray<{ shape: { type: z.ZodLiteral<string> } }> };
type TypeOf<Union extends EventUnion> = z.infer<Union['options'][number]['shape']['type']>;

/**
 * Schema version of each event type of `union` as written today: 1 for every type, unless `changed` names a later
 * one for a type whose schema changed (older versions are then upcast on read). A new event type starts at 1
 * without being listed.
 */
export function schemaVersions<Union extends EventUnion>(union: Union, changed: Partial<Record<TypeOf<Union>, number>> = {}): Record<TypeOf<Union>, number> {
  const versions = {} as Record<TypeOf<Union>, number>;
  for (const option of union.options) {
    const type = option.shape.type.value as TypeOf<Union>;
    versions[type] = changed[type] ?? 1;
  }
  return versions;
}
