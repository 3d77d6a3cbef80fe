import { request, type IncomingHttpHeaders } from 'node:http';
import { isIPv6 } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The loopback source address (Linux routes all of 127/8 to lo), so that each client can have its own. */
  localAddress?: string;
}

/**
 * One HTTP request whose path goes on the wire exactly as written. fetch (a WHATWG URL) resolves `/../` and
 * `%2e%2e` before it sends anything, so what a gateway does with them can only be tested this way.
 */
export function rawRequest(origin: string, path: string, options: RawRequestOptions = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port: Number(port),
        method: options.method ?? 'GET',
        path,
        headers: options.headers,
        // From a chosen source address, `localhost` must resolve to an address of the same family.
        ...(options.localAddress ? { localAddress: options.localAddress, family: isIPv6(options.localAddress) ? 6 : 4 } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject).end(options.body);
  });
}

/**
 * Paths that climb `levels` folders above the web root to `file`, spelled each way a gateway must not be fooled by:
 * plain, with percent-encoded dots (either case), with encoded slashes, and from inside a sub-folder.
 */
export function climbsOutOfTheWebRoot(levels: number, file: string): string[] {
  return [
    `/${'../'.repeat(levels)}${file}`,
    `/${'%2e%2e/'.repeat(levels)}${file}`,
    `/${'%2E%2E/'.repeat(levels)}${file}`,
    `/${'..%2f'.repeat(levels)}${file}`,
    `/${'%2e%2e%2f'.repeat(levels)}${file}`,
    `/assets/${'../'.repeat(levels + 1)}${file}`,
    `/assets/${'..%2f'.repeat(levels + 1)}${file}`,
  ];
}
