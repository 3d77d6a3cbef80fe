import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';
import { CATALOG_PROJECTION, CATALOG_TABLE, CUSTOMERS_PROJECTION, ORDERS_PROJECTION, ORDERS_TABLE, SALES_PROJECTION } from '@shop/read-models';
import { repoPath } from '../paths.js';
import { isOk, type CommandRecord } from './traffic.js';

const run = promisify(execFile);

/** The projections whose Postgres read models are rebuilt and compared (Elasticsearch analytics is not run here). */
export const CHECKED_PROJECTIONS = [CATALOG_PROJECTION, ORDERS_PROJECTION, CUSTOMERS_PROJECTION, SALES_PROJECTION] as const;

/** One invariant's verdict; `detail` names what broke it (or what was checked). */
export interface Verdict {
  invariant: string;
  ok: boolean;
  detail: string;
}

const EVENT_OF: Record<'pay' | 'cancel', string> = { pay: 'OrderPaid', cancel: 'OrderCancelled' };

/** Order ids of `type` events in the store, with how often each occurs. */
async function occurrences(pool: pg.Pool, type: string): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ order_id: string; n: number }>(
    "SELECT data->>'orderId' AS order_id, count(*)::int AS n FROM events WHERE event_type = $1 GROUP BY 1",
    [type],
  );
  return new Map(rows.map((row) => [row.order_id, row.n]));
}

const sample = (items: readonly string[], n = 5): string => items.slice(0, n).join(', ') + (items.length > n ? ` … (${items.length})` : '');

/**
 * Every acknowledged command is in the store exactly once; every failed one, retried after the fault with its key,
 * got one answer and is in the store at most once (exactly once if that answer was a 2xx, or — for pay and cancel —
 * the 409 saying it had already happened); nothing is in the store that no command asked for.
 */
export async function checkCommands(pool: pg.Pool, records: readonly CommandRecord[]): Promise<Verdict[]> {
  const placedInStore = await occurrences(pool, 'OrderPlaced');
  const answered = records.filter((r) => r.kind === 'place' && (isOk(r.first) || isOk(r.final))).map((r) => r.orderId!);
  const unanswered = records.filter((r) => r.kind === 'place' && !isOk(r.first) && !isOk(r.final));
  const missing = answered.filter((id) => placedInStore.get(id) !== 1);
  const answeredSet = new Set(answered);
  const unasked = [...placedInStore.keys()].filter((id) => !answeredSet.has(id));
  const verdicts: Verdict[] = [
    {
      invariant: 'every placed order answered 2xx (first try or retried with its key) is in the store exactly once',
      ok: missing.length === 0 && answeredSet.size === answered.length,
      detail: missing.length ? `not exactly once: ${sample(missing.map((id) => `${id}×${placedInStore.get(id) ?? 0}`))}` : `${answered.length} orders`,
    },
    {
      invariant: 'no order is in the store that no answered key placed (a failed, never-answered write left nothing)',
      ok: unasked.length === 0,
      detail: unasked.length ? `unasked orders: ${sample(unasked)}` : `${placedInStore.size} OrderPlaced events`,
    },
    {
      invariant: 'every failed place-order, retried with its key after the fault, got one final answer',
      ok: unanswered.length === 0,
      detail: unanswered.length ? `still unanswered: ${sample(unanswered.map((r) => `${r.idempotencyKey} (${String(r.final)} ${r.finalCode ?? ''})`))}` : 'all answered',
    },
  ];
  for (const kind of ['pay', 'cancel'] as const) {
    const inStore = await occurrences(pool, EVENT_OF[kind]);
    const actions = records.filter((r) => r.kind === kind);
    // A retry answered `illegal_transition` means the first attempt committed before its answer was lost.
    const happened = actions.filter((r) => isOk(r.first) || isOk(r.final) || r.finalCode === 'illegal_transition');
    const wrong = happened.filter((r) => inStore.get(r.orderId!) !== 1);
    const asked = new Set(actions.map((r) => r.orderId!));
    const unaskedActions = [...inStore.keys()].filter((id) => !asked.has(id));
    const unsettled = actions.filter((r) => !happened.includes(r));
    verdicts.push({
      invariant: `every ${kind} acknowledged (or retried to a final answer) is in the store exactly once, and no other`,
      ok: wrong.length === 0 && unaskedActions.length === 0 && unsettled.length === 0,
      detail:
        [
          wrong.length ? `not exactly once: ${sample(wrong.map((r) => `${r.orderId}×${inStore.get(r.orderId!) ?? 0}`))}` : '',
          unaskedActions.length ? `never asked: ${sample(unaskedActions)}` : '',
          unsettled.length ? `no final answer: ${sample(unsettled.map((r) => `${r.orderId} (${String(r.final)} ${r.finalCode ?? ''})`))}` : '',
        ]
          .filter(Boolean)
          .join('; ') || `${happened.length} ${kind} events`,
    });
  }
  return verdicts;
}

/** Resolves once every partition of every checked projection has reached the store's last event. */
export async function waitForProjections(pool: pg.Pool, timeoutMs: number): Promise<Verdict> {
  const started = Date.now();
  let behind = '';
  while (Date.now() - started < timeoutMs) {
    const { rows } = await pool.query<{ projection: string; behind: string }>(
      `SELECT c.projection, (SELECT coalesce(max(global_position), 0) FROM events) - c.position AS behind
         FROM projection_checkpoints c WHERE split_part(c.projection, '/', 1) = ANY ($1)`,
      [CHECKED_PROJECTIONS],
    );
    const lagging = rows.filter((row) => BigInt(row.behind) > 0n);
    behind = lagging.map((row) => `${row.projection} −${row.behind}`).join(', ');
    if (rows.length > 0 && lagging.length === 0) {
      return { invariant: 'every projection caught up with the store', ok: true, detail: `${rows.length} checkpoints in ${Date.now() - started} ms` };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { invariant: 'every projection caught up with the store', ok: false, detail: `still behind after ${timeoutMs} ms: ${behind || 'no checkpoints'}` };
}

/** How long after the projections caught up a cache may still converge: a projector reconnecting to Redis sends the markers Redis refused during the fault (projector/src/cache/cache-invalidator.ts). */
export const CACHE_CONVERGENCE_MS = 10_000;

/**
 * Every product and order the cache answers with (through the gateway, as a shopper reads it) is at the version its
 * read model holds: once the projections have caught up and traffic has stopped, nothing older may be served — at
 * once, or within CACHE_CONVERGENCE_MS when the fault cut the projector off Redis (the detail says how long it took).
 */
export async function checkCache(pool: pg.Pool, url: string, shopperToken: string, productIds: readonly string[], orderIds: readonly string[]): Promise<Verdict> {
  const staleNow = async (): Promise<string[]> => {
    const stale: string[] = [];
    const compare = async (path: string, table: string, id: string): Promise<void> => {
      const { rows } = await pool.query<{ version: string }>(`SELECT version FROM ${table} WHERE id = $1`, [id]);
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${shopperToken}` } });
      const body = (await response.json()) as { version?: number };
      const expected = rows[0] ? Number(rows[0].version) : undefined;
      if (response.status !== 200 || body.version !== expected) stale.push(`${path}: served ${response.status} v${String(body.version)}, read model v${String(expected)}`);
    };
    for (const id of productIds) await compare(`/api/products/${id}`, CATALOG_TABLE, id);
    for (const id of orderIds) await compare(`/api/orders/${id}`, ORDERS_TABLE, id);
    return stale;
  };
  const started = Date.now();
  let stale = await staleNow();
  while (stale.length > 0 && Date.now() - started < CACHE_CONVERGENCE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stale = await staleNow();
  }
  const waited = Date.now() - started;
  const checked = `${productIds.length} products, ${orderIds.length} orders`;
  return {
    invariant: 'the cache serves nothing older than its read model',
    ok: stale.length === 0,
    detail: stale.length
      ? `still stale after ${CACHE_CONVERGENCE_MS} ms: ${sample(stale, 3)}`
      : `${checked} at their read model's version${waited > 250 ? ` (after ${waited} ms)` : ''}`,
  };
}

/**
 * Each checked projection rebuilt from position 0 by the projections CLI (`npm run projections -- rebuild`), whose
 * digest of every row must equal the live read model's at the same position.
 */
export async function checkRebuilds(env: NodeJS.ProcessEnv): Promise<Verdict[]> {
  // One CLI process per projection, side by side: each locks only its own projection's checkpoints.
  return Promise.all(
    CHECKED_PROJECTIONS.map(async (projection): Promise<Verdict> => {
      let output: string;
      try {
        ({ stdout: output } = await run(process.execPath, [repoPath('projector/dist/cli.js'), 'rebuild', projection], { env, timeout: 120_000 }));
      } catch (error) {
        output = `the rebuild failed: ${String((error as { stderr?: string }).stderr ?? error)}`;
      }
      const last = output.trim().split('\n').at(-1) ?? '';
      return {
        invariant: `the ${projection} read model equals a rebuild from the store (digest)`,
        ok: last.includes('identical to the live ones'),
        detail: last.replace(/^\[projections\] /, ''),
      };
    }),
  );
}
