/**
 * How readers learn that a read model moved. Every projection announces `<projection>:<position>` on this Postgres
 * NOTIFY channel when its checkpoint commits (the projector's checkpoint store), and the query service's
 * read-your-writes waits listen to it, so a reader holding a Consistency-Token wakes without polling.
 */
export const PROJECTION_POSITION_CHANNEL = 'shop_projection';
export const projectionPositionPayload = (projection: string, position: bigint): string => `${projection}:${position}`;
export function parseProjectionPositionPayload(payload: string): { projection: string; position: bigint } | undefined {
  const match = /^([a-z0-9_-]+):(\d+)$/.exec(payload);
  return match ? { projection: match[1]!, position: BigInt(match[2]!) } : undefined;
}
