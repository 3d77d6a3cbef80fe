import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

/** A real TCP echo server stands behind the proxy: every byte sent comes back. */
describe('the fault proxy', () => {
  let echo: Server;
  let echoPort: number;
  let proxy: FaultProxy;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket).on('error', () => undefined));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    echoPort = (echo.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await proxy.close();
  });

  const open = async (): Promise<Socket> => {
    const socket = connect(proxy.port, '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  };
  /** Resolves with the first `length` bytes that come back. */
  const readBack = (socket: Socket, length: number): Promise<string> =>
    new Promise((resolve, reject) => {
      let got = '';
      socket.on('data', (chunk: Buffer) => {
        got += chunk.toString();
        if (got.length >= length) resolve(got);
      });
      socket.once('error', reject);
    });

  it('passes bytes both ways untouched', async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: echoPort });
    const socket = await open();
    const answer = readBack(socket, 5);
    socket.write('hello');
    expect(await answer).toBe('hello');
  });

  it('delays each direction by the latency it is given, keeping the order', async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: echoPort });
    proxy.setMode({ kind: 'latency', ms: 100 });
    const socket = await open();
    const answer = readBack(socket, 6);
    const sent = performance.now();
    socket.write('abc');
    socket.write('def');
    expect(await answer).toBe('abcdef');
    // There and back: two hops of 100 ms each (timers may fire a millisecond early).
    expect(performance.now() - sent).toBeGreaterThanOrEqual(195);
  });

  it('resets open connections, and new ones, until it is healed', async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: echoPort });
    const before = await open();
    // once() would reject on the 'error' that comes first: wait for the close itself.
    const closed = new Promise((resolve) => before.on('error', () => undefined).once('close', resolve));
    proxy.setMode({ kind: 'reset' });
    await closed;
    expect(proxy.connections).toBe(0);

    const during = connect(proxy.port, '127.0.0.1');
    sockets.push(during);
    const [error] = (await once(during, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');

    proxy.setMode({ kind: 'pass' });
    const after = await open();
    const answer = readBack(after, 2);
    after.write('ok');
    expect(await answer).toBe('ok');
  });

  it('holds every byte while black-holed and delivers them in order once healed', async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: echoPort });
    const socket = await open();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    proxy.setMode({ kind: 'blackhole' });
    socket.write('one');
    socket.write('two');
    // The proxy has taken the bytes (they left the client and wait in the proxy) and nothing came back.
    for (const until = Date.now() + 5_000; proxy.heldBytes < 6; ) {
      if (Date.now() > until) throw new Error(`the proxy holds ${proxy.heldBytes} of 6 bytes`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(proxy.heldBytes).toBe(6);
    expect(received).toBe('');
    const answer = readBack(socket, 6);
    proxy.setMode({ kind: 'pass' });
    expect(await answer).toBe('onetwo');
  });
});
