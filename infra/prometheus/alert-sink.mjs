// The default destination of Alertmanager's webhook (SHOP_ALERT_WEBHOOK_URL) in the compose profile `observability`:
// logs each notification it receives as one JSON line on stdout (`docker-compose logs alert-sink`) and answers 200.
// A stand-in for a real paging or chat bridge; the containers test reads its log to see an alert arrive.
// Plain JavaScript run by the Node of the projector image (no build step, no dependency).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? '9099');
const MAX_BODY_BYTES = 1024 * 1024;

const log = (fields) => process.stdout.write(`${JSON.stringify({ '@timestamp': new Date().toISOString(), service: 'alert-sink', ...fields })}\n`);

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","service":"alert-sink"}');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let notification;
    try {
      notification = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      log({ message: 'not JSON', path: req.url });
      res.writeHead(400).end();
      return;
    }
    // Alertmanager's webhook payload (version 4): status, receiver and the alerts with their labels.
    const alerts = Array.isArray(notification.alerts) ? notification.alerts : [];
    log({
      message: 'alert notification',
      path: req.url,
      receiver: notification.receiver,
      status: notification.status,
      alerts: alerts.map((alert) => ({ status: alert.status, labels: alert.labels, summary: alert.annotations?.summary })),
    });
    res.writeHead(200).end();
  });
});
server.listen(port, () => log({ message: 'alert-sink listening', port }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
