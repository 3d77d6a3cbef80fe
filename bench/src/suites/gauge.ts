import autocannon from 'autocannon';

const GAUGE_CONNECTIONS = 16;
export const GAUGE_SECONDS = 5;

/**
 * The machine's speed gauge (`commands.gauge.healthz`): GET /healthz of a command service for 5 s over 16
 * connections, which does no I/O. Machines of this kind differ by up to 2× (a quiet one, a busy one); a figure read
 * against the gauge of the same round tells a slower machine from slower code.
 */
export async function healthzPerSecond(base: string): Promise<number> {
  const result = await autocannon({ url: `${base}/healthz`, connections: GAUGE_CONNECTIONS, duration: GAUGE_SECONDS });
  return result['2xx'] / GAUGE_SECONDS;
}
