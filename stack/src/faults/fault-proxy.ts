import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the bytes between a service and one dependency:
 * - `pass`: forwards them as they come;
 * - `latency`: forwards each chunk `ms` later, in order (a slow or distant link);
 * - `reset`: resets every open connection and every new one at once (a crashed peer, a firewall's RST);
 * - `blackhole`: holds every byte, in both directions, without a word to either side (a partition: the sender's TCP
 *   would retransmit, so on heal what was held is delivered, in order, as TCP would after the link comes back).
 */
export type ProxyMode = { kind: 'pass' } | { kind: 'latency'; ms: number } | { kind: 'reset' } | { kind: 'blackhole' };

export interface FaultProxy {
  /** Its port on 127.0.0.1: point the service at this instead of the dependency. */
  readonly port: number;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): void;
  /** Open connection pairs (client side), for tests and the report. */
  readonly connections: number;
  /** Bytes held while black-holed (both directions, every connection): a test's signal that the proxy took them. */
  readonly heldBytes: number;
  close(): Promise<void>;
}

const PASS: ProxyMode = { kind: 'pass' };

/** One direction of one connection: where its bytes go, and what is held while the link is black-holed. */
interface Lane {
  to: Socket;
  held: Buffer[];
}

/**
 * A TCP proxy in front of a real dependency (Postgres, Redis, NATS), written on node:net so a fault is exactly
 * what its mode says and nothing else; the dependency itself stays real.
 */
export async function startFaultProxy(target: { host: string; port: number }, port = 0): Promise<FaultProxy> {
  let mode: ProxyMode = PASS;
  const pairs = new Set<{ client: Socket; upstream: Socket; lanes: [Lane, Lane] }>();

  const send = (lane: Lane, chunk: Buffer): void => {
    if (mode.kind === 'blackhole' || lane.held.length > 0) {
      lane.held.push(chunk);
    } else if (mode.kind === 'latency') {
      // Timers of one duration fire in the order they were set: the chunks keep their order.
      setTimeout(() => lane.to.destroyed || lane.to.write(chunk), mode.ms);
    } else {
      lane.to.write(chunk);
    }
  };

  const server: Server = createServer((client) => {
    if (mode.kind === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const lanes: [Lane, Lane] = [
      { to: upstream, held: [] },
      { to: client, held: [] },
    ];
    const pair = { client, upstream, lanes };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => send(lanes[0], chunk));
    upstream.on('data', (chunk: Buffer) => send(lanes[1], chunk));
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });

  const actualPort = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });

  return {
    port: actualPort,
    get mode() {
      return mode;
    },
    get heldBytes() {
      let bytes = 0;
      for (const { lanes } of pairs) for (const lane of lanes) for (const chunk of lane.held) bytes += chunk.length;
      return bytes;
    },
    get connections() {
      return pairs.size;
    },
    setMode(next) {
      mode = next;
      if (next.kind === 'reset') {
        for (const { client, upstream } of pairs) {
          client.resetAndDestroy();
          upstream.resetAndDestroy();
        }
        pairs.clear();
        return;
      }
      if (next.kind === 'blackhole') return;
      // The link is back: what was held goes out first, in order.
      for (const { lanes } of pairs) {
        for (const lane of lanes) {
          const held = lane.held.splice(0);
          for (const chunk of held) send(lane, chunk);
        }
      }
    },
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
