import { createServer, type Server } from 'node:http';
import { Jsz, renderNatsMetrics, Varz, type NatsScrape } from './nats-metrics.js';

export interface NatsExporterOptions {
  /** The server's monitoring endpoint, e.g. http://nats:8222 (nats-server -m 8222). */
  monitorUrl: string;
  /** How long one request to the monitoring port may take before the scrape reports nats_up 0. */
  timeoutMs: number;
}

/** One scrape: /varz and /jsz?consumers=true, parsed. Any failure (refused, timeout, a body that does not parse) is `up: false`. */
export async function scrapeNats(options: NatsExporterOptions): Promise<NatsScrape> {
  const get = async (path: string): Promise<unknown> => {
    const answer = await fetch(new URL(path, options.monitorUrl), { signal: AbortSignal.timeout(options.timeoutMs) });
    if (!answer.ok) throw new Error(`${path} answered ${answer.status}`);
    return answer.json();
  };
  try {
    const [varz, jsz] = await Promise.all([get('/varz'), get('/jsz?consumers=true')]);
    return { up: true, varz: Varz.parse(varz), jsz: Jsz.parse(jsz) };
  } catch {
    return { up: false };
  }
}

/** GET /metrics answers the text of a fresh scrape; GET /healthz answers 200 while the exporter runs. */
export function createNatsExporter(options: NatsExporterOptions): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      void scrapeNats(options).then((scrape) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderNatsMetrics(scrape));
      });
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","service":"nats-exporter"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"type":"about:blank","title":"Not Found","status":404,"code":"not_found"}');
  });
}
