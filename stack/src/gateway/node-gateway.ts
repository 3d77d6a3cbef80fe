import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { extname, join, normalize } from 'node:path';
import { isWellFormedPercentEncoding } from '@shop/service-kit';
import type { GatewayRoutes } from './nginx.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Same routing as infra/nginx/nginx.conf, for machines without nginx: reads → query, writes → command; `turn` picks
 * the instance round robin.
 */
export function routeFor(method: string, routes: Pick<GatewayRoutes, 'commandUpstreams' | 'queryUpstreams'>, turn = 0): string {
  const upstreams = READ_METHODS.has(method) ? routes.queryUpstreams : routes.commandUpstreams;
  return upstreams[turn % upstreams.length]!;
}

/** Answers a problem+json, or cuts the connection when an answer has already begun. */
function sendProblem(res: ServerResponse, status: number, code: string, title: string, detail?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://shop.local/problems/${code}`, title, status, code, ...(detail ? { detail } : {}) }));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The headers sent upstream. X-Forwarded-For is REPLACED by the peer's address, never appended to: the services
 * trust this hop (TRUSTED_PROXIES), so whatever a client wrote there itself must not reach them. X-Request-Id is
 * passed on when well-formed, else made here, so one id names the request in every log.
 */
export function upstreamHeaders(req: IncomingMessage): IncomingMessage['headers'] {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  return { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-request-id': requestId };
}

function proxy(req: IncomingMessage, res: ServerResponse, upstream: string): void {
  const [host, port] = upstream.split(':');
  const forwarded = request({ host, port: Number(port), method: req.method, path: req.url, headers: upstreamHeaders(req) }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forwarded.on('error', () => sendProblem(res, 502, 'bad_gateway', 'Bad Gateway'));
  req.pipe(forwarded);
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, webRoot: string): Promise<void> {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const requested = join(webRoot, path);
  // Single-page app: any path that is not a file gets the app's index.html.
  const file = (await stat(requested).catch(() => undefined))?.isFile() ? requested : join(webRoot, 'index.html');
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `npm run build`.\n');
    return;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/**
 * A small stand-in gateway used only when nginx is not installed. It runs inside the `npm start` supervisor, so
 * nothing a request does may throw out of it: an undecodable URI is a 400 before anything reads it, and any other
 * failure (sync or async) becomes a problem answer, never an unhandled rejection that would take every service down.
 */
export function createNodeGateway(routes: GatewayRoutes): Server {
  let turn = 0;
  return createServer((req, res) => {
    const fail = (): void => sendProblem(res, 500, 'gateway_error', 'Internal Server Error');
    try {
      const url = req.url ?? '/';
      if (!isWellFormedPercentEncoding(url)) {
        sendProblem(res, 400, 'malformed_uri', 'Bad Request', 'The request URI holds a malformed percent-encoding');
        return;
      }
      if (url.startsWith('/api/')) proxy(req, res, routeFor(req.method ?? 'GET', routes, turn++));
      else serveStatic(req, res, routes.webRoot).catch(fail);
    } catch {
      fail();
    }
  });
}
