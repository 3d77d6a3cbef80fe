import { z } from 'zod';
import { CATALOG_PROJECTION } from '../catalog/catalog.read-model.js';
import { CUSTOMERS_PROJECTION } from '../customers/customers.read-model.js';
import { ORDERS_PROJECTION } from '../orders/orders.read-model.js';
import { ANALYTICS_PROJECTION } from '../sales/sales.index.js';
import { SALES_PROJECTION } from '../sales/sales.read-model.js';

/**
 * Every projection the projector can run, by the name its checkpoint and dead letters are kept under (a partition's
 * rows add `/<i>of<n>`). Here rather than in the projector because the query service (dead-letter reads) and the
 * command service (redrive requests) validate names against it, and no service imports another. The projector's
 * tests hold its PROJECTIONS table to this list.
 */
export const PROJECTION_NAMES = [CATALOG_PROJECTION, ORDERS_PROJECTION, CUSTOMERS_PROJECTION, SALES_PROJECTION, ANALYTICS_PROJECTION] as const;
export const ProjectionName = z.enum(PROJECTION_NAMES);
export type ProjectionName = z.infer<typeof ProjectionName>;

/** Events a projection parked (see 0200-checkpoints.sql): the projector writes them, the query service lists them. */
export const DEAD_LETTERS_TABLE = 'projection_dead_letters';

/**
 * Requests to redrive a projection's dead letters (0910-projection-redrive-requests.sql): the command service records
 * them, a projector process that runs the projection takes each and records its outcome. At most one per projection
 * is open (not finished) at a time.
 */
export const REDRIVE_REQUESTS_TABLE = 'projection_redrive_requests';
/** NOTIFY channel a new redrive request is announced on (payload: the projection), by the table's insert trigger. */
export const REDRIVE_REQUEST_CHANNEL = 'shop_redrive_requests';
export const REDRIVE_OUTCOMES = ['redriven', 'failed'] as const;
export type RedriveOutcome = (typeof REDRIVE_OUTCOMES)[number];
