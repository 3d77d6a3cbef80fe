/**
 * The Emmett peer of `npm run bench -- commands`, composed as Emmett's express + PostgreSQL sample composes its app:
 * `getPostgreSQLEventStore`, `schema.migrate()`, `getApplication({ apis })`, a health route on an outer express
 * app, `startAPI`. Settings: DATABASE_URL, PORT. Its pg pool has 20 connections, as the command service's event pool.
 */
import { onShutdown } from '@event-driven-io/emmett';
import { getApplication, startAPI } from '@event-driven-io/emmett-expressjs';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import express from 'express';
import pg from 'pg';
import { shopApi } from './api.js';

const connectionString = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.PORT ?? 3000);

const pool = new pg.Pool({ connectionString, max: 20, application_name: 'emmett-peer' });
const eventStore = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool }, schema: { autoMigration: 'None' } });
await eventStore.schema.migrate();

const application = getApplication({ apis: [shopApi(eventStore, () => new Date())] });

const server = express();
server.get('/health', (_request, response) => {
  response.status(200).json({ status: 'ok' });
});
server.use(application);

const listening = startAPI(server, { port });

onShutdown(async () => {
  await new Promise((resolve) => listening.close(resolve));
  await eventStore.close();
  await pool.end();
  process.exit(0);
});
