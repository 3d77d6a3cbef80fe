// The peer of the query suite: the smallest express 5 app, one JSON route. What the query service's cached read
// is compared with (issue 6: express is the ceiling on this path).
import { createServer } from 'node:http';
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});
const server = createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
