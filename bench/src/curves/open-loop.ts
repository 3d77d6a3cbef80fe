import { Agent, request as httpRequest } from 'node:http';
import { percentile, sortedSamples } from '../stats.js';

/**
 * Open-loop (constant-rate) load: request i is due at start + i / rate whatever happened to the ones before, and its
 * latency runs from when it was DUE, not from when it left. A closed loop (autocannon) sends the next request only
 * when a connection is free, so when the server stalls it stops sending and never records the wait the unsent
 * requests would have had (coordinated omission): its latencies stay flat past the knee. Here, past the knee,
 * requests queue (in the agent's socket queue, then in the server) and their latency shows it.
 */

/** How many requests are due `elapsedMs` into a run of `rate` per second: request i is due at i × 1000 / rate. */
export function dueCount(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * rate) / 1_000) + 1);
}

/** One request of the load: what to send. The body and headers may differ per request. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface StepResult {
  /** Requests per second asked for. */
  offered: number;
  /** Requests per second actually sent (the generator may fall behind on a busy machine). */
  sent: number;
  /** 2xx answers per second over the step. */
  answered: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, errors and requests unanswered after the timeout. */
  failed: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

function send(agent: Agent, base: URL, request: LoadRequest): Promise<number> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: request.path,
        method: request.method,
        headers: request.body === undefined ? request.headers : { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => resolve(0));
    outgoing.end(request.body);
  });
}

/**
 * Offers `rate` requests per second for `seconds` to `base`, over up to `maxSockets` keep-alive connections; answers
 * when every request has been answered or has timed out. `next` builds each request.
 */
export async function offerLoad(base: string, rate: number, seconds: number, next: () => LoadRequest, maxSockets = 256): Promise<StepResult> {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const url = new URL(base);
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let failed = 0;
  let ok = 0;
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  try {
    let issued = 0;
    while (issued < total) {
      const due = dueCount(performance.now() - started, rate, total);
      while (issued < due) {
        const dueAt = started + (issued * 1_000) / rate;
        issued++;
        inFlight.push(
          send(agent, url, next()).then((status) => {
            if (status >= 200 && status < 300) {
              ok++;
              latencies.push(performance.now() - dueAt);
            } else {
              failed++;
            }
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const sendSeconds = (performance.now() - started) / 1_000;
    await Promise.all(inFlight);
    const allSeconds = (performance.now() - started) / 1_000;
    const sorted = sortedSamples(latencies);
    return {
      offered: rate,
      sent: total / Math.max(sendSeconds, seconds),
      answered: ok / allSeconds,
      p50: sorted.length > 0 ? percentile(sorted, 50, { sorted: true }) : 0,
      p99: sorted.length > 0 ? percentile(sorted, 99, { sorted: true }) : 0,
      failed,
    };
  } finally {
    agent.destroy();
  }
}
