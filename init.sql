-- Shop database schema: the one source of truth for every table. Idempotent: applied at every start
-- (`npm start`, the test harness) under an advisory lock, and by the Postgres container on first boot.

-- ───────────────────────── event store ─────────────────────────
-- Global positions are dense and commit in order: every append takes one transaction-scoped advisory lock
-- (append_lock()) before it reads the last position, and holds it to commit. So a reader following global
-- position can never pass an event that will still commit below it (DESIGN.md "Readers never skip an event":
-- we serialise appends; docs/decisions/0001). The last position is max(global_position), one backward probe of
-- the primary key; a counter row would be rewritten at every append and bloat.
DROP TABLE IF EXISTS event_store_head;

CREATE OR REPLACE FUNCTION append_lock() RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(7246002)
$$;

CREATE TABLE IF NOT EXISTS streams (
  stream_id       text    PRIMARY KEY,
  version         bigint  NOT NULL CHECK (version >= 1),
  last_hash       bytea   NOT NULL,
  -- Stream metadata: events below `truncate_before` are hidden from stream reads (the global log keeps them);
  -- a soft-deleted stream reads as empty and may be appended to again, continuing its version numbers.
  truncate_before bigint  NOT NULL DEFAULT 1,
  deleted         boolean NOT NULL DEFAULT false
);
ALTER TABLE streams ADD COLUMN IF NOT EXISTS truncate_before bigint NOT NULL DEFAULT 1;
ALTER TABLE streams ADD COLUMN IF NOT EXISTS deleted boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS events (
  global_position bigint      PRIMARY KEY,
  event_id        uuid        NOT NULL UNIQUE,
  stream_id       text        NOT NULL,
  stream_version  bigint      NOT NULL CHECK (stream_version >= 1),
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            bytea       NOT NULL,
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);

-- Latest snapshot of a long stream's state, so loading it reads O(1) events.
CREATE TABLE IF NOT EXISTS snapshots (
  stream_id      text        PRIMARY KEY,
  version        bigint      NOT NULL,
  schema_version integer     NOT NULL,
  state          jsonb       NOT NULL,
  taken_at       timestamptz NOT NULL DEFAULT now()
);

-- The hash chaining an event to its stream's previous one (the first event chains to 32 zero bytes):
-- sha256(previous hash || the canonical jsonb text of the event), i.e. of
--   jsonb_build_object('eventId', event_id, 'streamId', stream_id, 'streamVersion', stream_version, 'type', event_type,
--                      'schemaVersion', schema_version, 'data', data, 'metadata', metadata,
--                      'recordedAt', (extract(epoch FROM recorded_at) * 1000000)::bigint)::text
-- jsonb renders canonically (sorted keys, fixed spacing), so the same event always hashes the same. That text is
-- written out here instead of built: the keys in jsonb's own order (by length, then bytes), each value rendered by the
-- same output functions, the same bytes at less than half the cost (building a jsonb only to print it copies the
-- event's data and metadata once more). The audit verifier recomputes both forms with the expressions written out
-- (kernel postgres-hash-chain.ts; a test keeps them equal to this function on awkward data), so that redefining this
-- function cannot fool it. STABLE, not IMMUTABLE, because to_json is: that is what lets the planner inline it into
-- the append statement (a function call per event costs ~4x more).
CREATE OR REPLACE FUNCTION event_hash(
  previous_hash bytea, event_id uuid, stream_id text, stream_version bigint, event_type text,
  schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz
) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(previous_hash || convert_to('{"data": ' || data::text || ', "type": ' || to_json(event_type)::text
    || ', "eventId": "' || event_id::text || '", "metadata": ' || metadata::text || ', "streamId": ' || to_json(stream_id)::text
    || ', "recordedAt": ' || ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text
    || ', "schemaVersion": ' || schema_version::text || ', "streamVersion": ' || stream_version::text || '}', 'UTF8'))
$$;

-- event_hash as a running aggregate: used as a window function over a stream's new events (ordered by version),
-- it chains each to the previous one, starting from `seed` (the stream's last stored hash).
-- plpgsql, not sql: an aggregate's step function cannot be inlined, and a sql-language one would be set up anew
-- at every call; plpgsql keeps its (inlined) expression plan across calls.
CREATE OR REPLACE FUNCTION event_hash_step(
  state bytea, seed bytea, event_id uuid, stream_id text, stream_version bigint, event_type text,
  schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz
) RETURNS bytea LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN event_hash(COALESCE(state, seed), event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at);
END
$$;
CREATE OR REPLACE AGGREGATE event_hash_chain(bytea, uuid, text, bigint, text, integer, jsonb, jsonb, timestamptz) (
  SFUNC = event_hash_step,
  STYPE = bytea
);

-- Whether an append's expected version holds for a stream at `version` (0 = absent).
-- A soft-deleted stream counts as absent for 'no_stream' and 'exists'; an exact version still names its last event.
CREATE OR REPLACE FUNCTION expected_version_holds(expected text, version bigint, deleted boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN expected = 'any'       THEN true
    WHEN expected = 'no_stream' THEN version = 0 OR deleted
    WHEN expected = 'exists'    THEN version > 0 AND NOT deleted
    ELSE version = expected::bigint
  END
$$;

DROP FUNCTION IF EXISTS append_to_stream(text, text, jsonb);

-- Appends a batch of independent items in ONE transaction (group commit): the general path, for any batch.
-- The store's hot path is append_streams below, which hands it every batch its set-based statement cannot take
-- (a retried event id, a stream named twice in one batch). Each item is atomic on its own: one or several
-- streams, each with an expected version; an item whose expectation fails writes nothing and reports 'conflict'
-- with the actual version, while the other items of the batch still commit.
--   p_items: [{ "streams": [{ "streamId", "expected", "events": [{ "eventId", "type", "schemaVersion",
--             "data", "metadata" }] }], "claim"?: { "userId", "key", "requestHash" } }]
-- One row per stream of each item: outcome 'appended', 'duplicate' (a retry: every event id of the item is
-- already stored in its stream; the stored result is answered), 'conflict' (this stream's expectation failed),
-- 'skipped' (another stream of the same item conflicted) or 'claim_taken' (the item's idempotency claim: below).
-- An item may carry an idempotency claim: the HTTP layer's idempotency_keys row, written in the same transaction
-- as the item's events (the transactional inbox), naming the item's first stream. When that user already has the
-- key, the item writes nothing.
-- Global positions are dense and commit in order: the batch takes append_lock() first and holds it to commit,
-- so no reader following global position can pass an event that commits later.
CREATE OR REPLACE FUNCTION append_batch(p_items jsonb)
RETURNS TABLE (item integer, stream_id text, outcome text, next_version bigint, last_position bigint, actual_version bigint)
-- Index access only: a generic plan made while the tables were still small must not keep scanning them once they are big.
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
DECLARE
  v_start      bigint;
  v_position   bigint;
  v_now        timestamptz := clock_timestamp();
  v_item       jsonb;
  v_item_no    integer := 0;
  v_append     jsonb;
  v_event      jsonb;
  v_version    bigint;
  v_hash       bytea;
  v_deleted    boolean;
  v_conflict   boolean;
  v_any_known  boolean;
  v_ids        uuid[];
BEGIN
  PERFORM append_lock();
  SELECT COALESCE(max(ev.global_position), 0) INTO v_start FROM events ev;
  v_position := v_start;

  -- Whether any event id of the batch is already stored (such items are answered from the store).
  -- (An array and `= ANY` keep it an index probe: a join against jsonb_array_elements may be planned as a scan.)
  SELECT array_agg((e->>'eventId')::uuid) INTO v_ids
    FROM jsonb_array_elements(p_items) i, jsonb_array_elements(i->'streams') s, jsonb_array_elements(s->'events') e;
  SELECT EXISTS (SELECT 1 FROM events ev WHERE ev.event_id = ANY (v_ids)) INTO v_any_known;

  -- General path: items one by one, so that a later item sees an earlier item's writes to the same stream,
  -- and retries answer their stored results.
  FOR v_item IN SELECT x FROM jsonb_array_elements(p_items) x LOOP
    v_item_no := v_item_no + 1;

    IF v_any_known AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(v_item->'streams') s, jsonb_array_elements(s->'events') e
       WHERE NOT EXISTS (SELECT 1 FROM events ev
                          WHERE ev.event_id = (e->>'eventId')::uuid AND ev.stream_id = s->>'streamId')
    ) THEN
      RETURN QUERY
        SELECT v_item_no, s->>'streamId', 'duplicate'::text, max(ev.stream_version), max(ev.global_position), NULL::bigint
          FROM jsonb_array_elements(v_item->'streams') s
          CROSS JOIN LATERAL jsonb_array_elements(s->'events') e
          JOIN events ev ON ev.event_id = (e->>'eventId')::uuid
         GROUP BY s->>'streamId';
      CONTINUE;
    END IF;

    v_conflict := false;
    FOR v_append IN SELECT x FROM jsonb_array_elements(v_item->'streams') x LOOP
      SELECT st.version, st.deleted INTO v_version, v_deleted FROM streams st WHERE st.stream_id = v_append->>'streamId';
      IF NOT FOUND THEN v_version := 0; v_deleted := false; END IF;
      IF NOT expected_version_holds(v_append->>'expected', v_version, v_deleted) THEN
        RETURN QUERY SELECT v_item_no, v_append->>'streamId', 'conflict'::text, NULL::bigint, NULL::bigint, v_version;
        v_conflict := true;
        EXIT;
      END IF;
    END LOOP;
    CONTINUE WHEN v_conflict;

    IF v_item ? 'claim' THEN
      INSERT INTO idempotency_keys (user_id, key, request_hash, state, append_stream_id)
      VALUES (v_item->'claim'->>'userId', v_item->'claim'->>'key', v_item->'claim'->>'requestHash', 'in_progress',
              v_item->'streams'->0->>'streamId')
      ON CONFLICT (user_id, key) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT v_item_no, s->>'streamId', 'claim_taken'::text, NULL::bigint, NULL::bigint, NULL::bigint
                       FROM jsonb_array_elements(v_item->'streams') s;
        CONTINUE;
      END IF;
    END IF;

    FOR v_append IN SELECT x FROM jsonb_array_elements(v_item->'streams') x LOOP
      SELECT st.version, st.last_hash INTO v_version, v_hash FROM streams st WHERE st.stream_id = v_append->>'streamId';
      IF NOT FOUND THEN
        v_version := 0;
        v_hash := decode(repeat('00', 32), 'hex');
      END IF;
      FOR v_event IN SELECT x FROM jsonb_array_elements(v_append->'events') x LOOP
        v_version := v_version + 1;
        v_position := v_position + 1;
        v_hash := event_hash(v_hash, (v_event->>'eventId')::uuid, v_append->>'streamId', v_version, v_event->>'type',
                             (v_event->>'schemaVersion')::integer, v_event->'data', v_event->'metadata', v_now);
        INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, schema_version,
                            data, metadata, recorded_at, hash)
        VALUES (v_position, (v_event->>'eventId')::uuid, v_append->>'streamId', v_version, v_event->>'type',
                (v_event->>'schemaVersion')::integer, v_event->'data', v_event->'metadata', v_now, v_hash);
      END LOOP;
      INSERT INTO streams AS st (stream_id, version, last_hash) VALUES (v_append->>'streamId', v_version, v_hash)
        ON CONFLICT ON CONSTRAINT streams_pkey
        DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, deleted = false;
      RETURN QUERY SELECT v_item_no, v_append->>'streamId', 'appended'::text, v_version, v_position, NULL::bigint;
    END LOOP;
  END LOOP;

  IF v_position > v_start THEN
    -- Delivered at commit, in commit order: wakes the relay and catch-up subscribers without polling.
    PERFORM pg_notify('shop_events', v_position::text);
  END IF;
END
$$;

-- The store's hot path: a batch taken apart by the client into arrays (one entry per stream of each item, events
-- flattened in order; payloads as two JSON arrays), checked and written by one set-based statement that reads each
-- event by index (about a quarter less work per event, measured here, than digging each out of a jsonb document).
-- Same answers and guarantees as append_batch: it takes the append lock, and hands any batch that statement cannot
-- take (a stream named twice, a retried event id, a conflict that may be a retry) to append_batch, as one document.
-- Idempotency claims come as three arrays indexed by item number (NULL where an item has none; NULL arrays for none).
DROP FUNCTION IF EXISTS append_streams(integer[], text[], text[], integer[], uuid[], text[], integer[], jsonb, jsonb);
CREATE OR REPLACE FUNCTION append_streams(
  p_items integer[], p_stream_ids text[], p_expected text[], p_counts integer[],
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb, p_metadata jsonb,
  p_claim_users text[], p_claim_keys text[], p_claim_hashes text[]
) RETURNS TABLE (item integer, stream_id text, outcome text, next_version bigint, last_position bigint, actual_version bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
DECLARE
  v_start     bigint;
  v_position  bigint;
  v_now       timestamptz := clock_timestamp();
  v_fast      boolean := false;
  r_items     integer[];
  r_streams   text[];
  r_outcomes  text[];
  r_versions  bigint[];
  r_positions bigint[];
  r_actuals   bigint[];
BEGIN
  PERFORM append_lock();
  IF cardinality(p_stream_ids) = (SELECT count(DISTINCT s) FROM unnest(p_stream_ids) s) THEN
    SELECT COALESCE(max(ev.global_position), 0) INTO v_start FROM events ev;
    BEGIN
      WITH input AS (
        SELECT u.item, u.stream_no, u.stream_id, u.expected, u.n, (sum(u.n) OVER (ORDER BY u.stream_no) - u.n)::integer AS before
          FROM unnest(p_items, p_stream_ids, p_expected, p_counts) WITH ORDINALITY AS u(item, stream_id, expected, n, stream_no)
      ), checked AS (
        SELECT input.*, COALESCE(st.version, 0) AS version, COALESCE(st.last_hash, decode(repeat('00', 32), 'hex')) AS last_hash,
               expected_version_holds(input.expected, COALESCE(st.version, 0), COALESCE(st.deleted, false)) AS holds
          FROM input LEFT JOIN streams st ON st.stream_id = input.stream_id
      ), decided AS (
        SELECT c.*, bool_and(c.holds) OVER (PARTITION BY c.item) AS item_holds FROM checked c
      ), claimed AS (
        -- Only items whose expectations hold claim their key: a conflicting item leaves it free for its retry.
        -- Keys in order, as the key table's own batched claims take them: the same lock order on both sides (against deadlocks).
        INSERT INTO idempotency_keys (user_id, key, request_hash, state, append_stream_id)
        SELECT p_claim_users[i.item], p_claim_keys[i.item], p_claim_hashes[i.item], 'in_progress', i.stream_id
          FROM (SELECT DISTINCT ON (d.item) d.item, d.stream_id FROM decided d WHERE d.item_holds ORDER BY d.item, d.stream_no) i
         WHERE p_claim_keys[i.item] IS NOT NULL
         ORDER BY p_claim_users[i.item], p_claim_keys[i.item]
        ON CONFLICT (user_id, key) DO NOTHING
        RETURNING idempotency_keys.user_id, idempotency_keys.key
      ), writing AS (
        SELECT d.*, d.item_holds AND (p_claim_keys[d.item] IS NULL OR EXISTS (
                 SELECT 1 FROM claimed cl WHERE cl.user_id = p_claim_users[d.item] AND cl.key = p_claim_keys[d.item])) AS writes
          FROM decided d
      ), positioned AS (
        -- e: the event's index in the flattened event arrays (1-based).
        SELECT d.stream_id, d.version + k AS stream_version, d.before + k AS e, d.last_hash, d.n,
               v_start + row_number() OVER (ORDER BY d.stream_no, k) AS global_position
          FROM writing d CROSS JOIN LATERAL generate_series(1, d.n) AS k
         WHERE d.writes
      ), hashed AS (
        SELECT p.*, event_hash(p.last_hash, p_event_ids[p.e], p.stream_id, p.stream_version, p_types[p.e], p_schema_versions[p.e],
                               p_data -> (p.e - 1), p_metadata -> (p.e - 1), v_now) AS hash
          FROM positioned p WHERE p.n = 1
        UNION ALL
        SELECT p.*, event_hash_chain(p.last_hash, p_event_ids[p.e], p.stream_id, p.stream_version, p_types[p.e], p_schema_versions[p.e],
                                     p_data -> (p.e - 1), p_metadata -> (p.e - 1), v_now)
                    OVER (PARTITION BY p.stream_id ORDER BY p.stream_version) AS hash
          FROM positioned p WHERE p.n > 1
      ), inserted AS (
        INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, hash)
        SELECT h.global_position, p_event_ids[h.e], h.stream_id, h.stream_version, p_types[h.e], p_schema_versions[h.e],
               p_data -> (h.e - 1), p_metadata -> (h.e - 1), v_now, h.hash
          FROM hashed h
        RETURNING events.stream_id, events.stream_version, events.global_position, events.hash
      ), stream_heads AS (
        SELECT DISTINCT ON (ins.stream_id) ins.stream_id, ins.stream_version, ins.global_position, ins.hash
          FROM inserted ins ORDER BY ins.stream_id, ins.stream_version DESC
      ), upserted AS (
        INSERT INTO streams AS st (stream_id, version, last_hash)
        SELECT sh.stream_id, sh.stream_version, sh.hash FROM stream_heads sh
        ON CONFLICT ON CONSTRAINT streams_pkey
        DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, deleted = false
      )
      -- Collected, not returned at once: rows returned inside the block would survive its rollback.
      SELECT array_agg(d.item), array_agg(d.stream_id),
             array_agg(CASE WHEN d.writes THEN 'appended' WHEN d.item_holds THEN 'claim_taken' WHEN d.holds THEN 'skipped'
                            ELSE 'conflict' END::text),
             array_agg(sh.stream_version), array_agg(sh.global_position), array_agg(CASE WHEN NOT d.holds THEN d.version END)
        INTO r_items, r_streams, r_outcomes, r_versions, r_positions, r_actuals
        FROM writing d LEFT JOIN stream_heads sh ON sh.stream_id = d.stream_id;
      -- A retry of an item already written shows up as a conflict (or, with a claim, as its key taken): only then are
      -- the event ids looked up.
      IF ('conflict' = ANY (r_outcomes) OR 'claim_taken' = ANY (r_outcomes)) AND EXISTS (SELECT 1 FROM events ev WHERE ev.event_id = ANY (p_event_ids)) THEN
        RAISE unique_violation USING MESSAGE = 'a conflicting item may be a retry';
      END IF;
      v_fast := true;
    EXCEPTION WHEN unique_violation THEN
      v_fast := false;
    END;
    IF v_fast THEN
      RETURN QUERY SELECT * FROM unnest(r_items, r_streams, r_outcomes, r_versions, r_positions, r_actuals);
      SELECT COALESCE(max(ev.global_position), v_start) INTO v_position FROM events ev;
      IF v_position > v_start THEN
        PERFORM pg_notify('shop_events', v_position::text);
      END IF;
      RETURN;
    END IF;
  END IF;
  -- Everything else: the batch as append_batch's document (the advisory lock is held already; taking it again is free).
  RETURN QUERY SELECT * FROM append_batch((
    SELECT jsonb_agg(jsonb_build_object('streams', streams) || CASE WHEN p_claim_keys[i] IS NULL THEN '{}'::jsonb ELSE
                       jsonb_build_object('claim', jsonb_build_object('userId', p_claim_users[i], 'key', p_claim_keys[i],
                                                                      'requestHash', p_claim_hashes[i])) END ORDER BY i)
      FROM (
        SELECT s.item AS i, jsonb_agg(jsonb_build_object('streamId', s.stream_id, 'expected', s.expected, 'events', (
                 SELECT jsonb_agg(jsonb_build_object('eventId', p_event_ids[e], 'type', p_types[e], 'schemaVersion', p_schema_versions[e],
                                                     'data', p_data -> (e - 1), 'metadata', p_metadata -> (e - 1)) ORDER BY e)
                   FROM generate_series(s.before + 1, s.before + s.n) e)) ORDER BY s.stream_no) AS streams
          FROM (SELECT u.*, (sum(u.n) OVER (ORDER BY u.stream_no) - u.n)::integer AS before
                  FROM unnest(p_items, p_stream_ids, p_expected, p_counts) WITH ORDINALITY AS u(item, stream_id, expected, n, stream_no)) s
         GROUP BY s.item
      ) items
  ));
END
$$;

-- Stream metadata changes take the append lock too, so they serialise with appends.
CREATE OR REPLACE FUNCTION set_stream_truncate_before(p_stream_id text, p_before bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT append_lock();
  UPDATE streams SET truncate_before = GREATEST(truncate_before, p_before) WHERE stream_id = p_stream_id;
$$;

-- Soft delete: the stream reads as empty (everything up to its last version is truncated); raises SH409 when
-- the expected version does not hold.
CREATE OR REPLACE FUNCTION soft_delete_stream(p_stream_id text, p_expected text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_deleted boolean;
BEGIN
  PERFORM append_lock();
  SELECT version, deleted INTO v_version, v_deleted FROM streams WHERE stream_id = p_stream_id;
  IF NOT FOUND THEN v_version := 0; v_deleted := false; END IF;
  IF v_version = 0 OR NOT expected_version_holds(p_expected, v_version, v_deleted) THEN
    RAISE EXCEPTION 'version conflict on stream %', p_stream_id
      USING ERRCODE = 'SH409', DETAIL = json_build_object('expected', p_expected, 'actual', v_version)::text;
  END IF;
  UPDATE streams SET deleted = true, truncate_before = v_version + 1 WHERE stream_id = p_stream_id;
  RETURN v_version;
END
$$;

-- ───────────────────────── relay and projections ─────────────────────────
CREATE TABLE IF NOT EXISTS relay_checkpoints (
  relay      text        PRIMARY KEY,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Each projection writes its read model and its checkpoint in one transaction.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection text        PRIMARY KEY,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Poison events: an event a projection failed on `maxAttempts` times is parked here with the error, and so is every
-- later event of the same stream (its order must hold); the projection goes on with every other stream.
-- `npm run projections -- redrive <projection>` applies them again, in order, after a fix.
CREATE TABLE IF NOT EXISTS projection_dead_letters (
  projection      text        NOT NULL,
  global_position bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  event_type      text        NOT NULL,
  error           text        NOT NULL,
  attempts        integer     NOT NULL,
  failed_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, global_position)
);
CREATE INDEX IF NOT EXISTS projection_dead_letters_stream ON projection_dead_letters (projection, stream_id);

-- ───────────────────────── read models ─────────────────────────
CREATE TABLE IF NOT EXISTS catalog_products (
  id               uuid        PRIMARY KEY,
  sku              text        NOT NULL,
  name             text        NOT NULL,
  description      text        NOT NULL,
  price_cents      bigint      NOT NULL,
  currency         text        NOT NULL,
  stock_available  integer     NOT NULL,
  version          bigint      NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  last_position    bigint      NOT NULL
);
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'active';
CREATE INDEX IF NOT EXISTS catalog_products_name_id ON catalog_products (name, id);
-- Full-text search: name and SKU weigh more than the description; English stemming ("mugs" finds "mug").
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('simple', sku), 'A') ||
  setweight(to_tsvector('english', description), 'B')
) STORED;
CREATE INDEX IF NOT EXISTS catalog_products_search ON catalog_products USING gin (search_document);

-- Orders, one row per order as the shopper sees it (the lines as sold). `version` is the order stream version
-- (the order's ETag); every write is guarded by it, so an old event re-applied never moves a row backwards.
-- `customer_forgotten_at`: the customer was forgotten (GDPR) and this row's personal data erased.
CREATE TABLE IF NOT EXISTS orders (
  id                    uuid        PRIMARY KEY,
  customer_id           uuid        NOT NULL,
  status                text        NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'cancelled', 'refunded')),
  lines                 jsonb       NOT NULL,
  currency              text        NOT NULL,
  total_cents           bigint      NOT NULL,
  shipping_address      jsonb       NOT NULL,
  placed_at             timestamptz NOT NULL,
  payment_method        text,
  paid_at               timestamptz,
  shipped_at            timestamptz,
  cancelled_at          timestamptz,
  cancellation_reason   text,
  refunded_at           timestamptz,
  customer_forgotten_at timestamptz,
  version               bigint      NOT NULL,
  last_position         bigint      NOT NULL
);
-- Keyset pagination newest first: a customer's orders, and every order (admin, auditor).
CREATE INDEX IF NOT EXISTS orders_customer_newest ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS orders_newest ON orders (placed_at DESC, id DESC);
-- Part of the orders read model: the customers it has seen forgotten, so an order such a customer places later
-- is stored redacted too (without asking another projection, which may be behind).
CREATE TABLE IF NOT EXISTS orders_forgotten_customers (
  customer_id   uuid        PRIMARY KEY,
  forgotten_at  timestamptz NOT NULL,
  last_position bigint      NOT NULL
);

-- Customers, without secrets (credentials stay in user_accounts). A forgotten customer keeps only its id and
-- when it was forgotten: email, name and registration time are erased (NULL).
CREATE TABLE IF NOT EXISTS customers (
  id            uuid        PRIMARY KEY,
  email         text,
  name          text,
  registered_at timestamptz,
  forgotten     boolean     NOT NULL DEFAULT false,
  forgotten_at  timestamptz,
  version       bigint      NOT NULL,
  last_position bigint      NOT NULL,
  CHECK (NOT forgotten OR (email IS NULL AND name IS NULL AND registered_at IS NULL))
);

-- Stock report (GET /api/analytics/stock): lowest available stock first, keyset by (stock_available, id).
CREATE INDEX IF NOT EXISTS catalog_products_stock_id ON catalog_products (stock_available, id);

-- Sales (projection `sales`; packages/read-models/src/sales): the lines of every placed order (a payment or refund
-- carries none), and one fact per order line per payment (+) or refund (-), stamped with when it happened.
-- Reports aggregate facts at query time, so any [from, to) range is exact. A fact is keyed by the event that caused
-- it and its line, and never changes: re-applying an event inserts nothing (ON CONFLICT DO NOTHING).
CREATE TABLE IF NOT EXISTS sales_orders (
  order_id        uuid   PRIMARY KEY,
  currency        text   NOT NULL,
  lines           jsonb  NOT NULL,
  placed_position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS sales_facts (
  event_id      uuid        NOT NULL,
  line_no       integer     NOT NULL CHECK (line_no >= 0),
  order_id      uuid        NOT NULL,
  kind          text        NOT NULL CHECK (kind IN ('payment', 'refund')),
  at            timestamptz NOT NULL,
  position      bigint      NOT NULL,
  currency      text        NOT NULL,
  product_id    uuid        NOT NULL,
  sku           text        NOT NULL,
  name          text        NOT NULL,
  sign          smallint    NOT NULL CHECK (sign IN (1, -1)),
  order_delta   smallint    NOT NULL CHECK (order_delta IN (1, 0, -1)),
  units         integer     NOT NULL,
  revenue_cents bigint      NOT NULL,
  PRIMARY KEY (event_id, line_no)
);
-- Range scans by instant; the by-day report reads only the index (the visibility map permitting).
CREATE INDEX IF NOT EXISTS sales_facts_at ON sales_facts (at) INCLUDE (currency, order_delta, units, revenue_cents);

-- The Elasticsearch analytics projection (`analytics`) keeps its own copy of placed orders' lines here, beside its
-- checkpoint, so it never depends on how far the SQL sales projection has got.
CREATE TABLE IF NOT EXISTS analytics_orders (
  order_id        uuid   PRIMARY KEY,
  currency        text   NOT NULL,
  lines           jsonb  NOT NULL,
  placed_position bigint NOT NULL
);

-- ───────────────────────── accounts ─────────────────────────
-- Credentials live outside the event log on purpose: a password hash must be erasable and never replayed.
CREATE TABLE IF NOT EXISTS user_accounts (
  id            uuid        PRIMARY KEY,
  email         text        NOT NULL UNIQUE,
  password_hash text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('shopper', 'admin', 'auditor', 'analyst')),
  customer_id   uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Revocation: every token carries the version it was issued under (claim `ver`); logout, a role change and an
-- admin reset bump it, and every older token is refused (command service: on every write; query service: after a
-- short cache, TOKEN_VERSION_CACHE_MS). Docs: decisions/0030.
ALTER TABLE user_accounts ADD COLUMN IF NOT EXISTS token_version integer NOT NULL DEFAULT 0;

-- ───────────────────────── personal data keys (crypto-shredding) ─────────────────────────
-- One AES-256 data key per subject (a customer), under which the personal fields of its events are encrypted
-- (kernel personal-data/). Outside the event log on purpose: erasure sets `wrapped_key` to NULL, after which those
-- fields read as `[erased]` everywhere, while the hash chain, which covers only the ciphertext, still verifies. The
-- row stays as a tombstone, so an erased subject never gets a new key. Keys are stored wrapped (AES-256-GCM) by the
-- master key DATA_KEY_ENCRYPTION_KEY, which never enters the database.
CREATE TABLE IF NOT EXISTS personal_data_keys (
  subject_id  text        PRIMARY KEY,
  wrapped_key bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  erased_at   timestamptz,
  CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- ───────────────────────── command-side bookkeeping ─────────────────────────
-- Idempotency keys, per user: the first request with a key stores its answer; a retry with the same key and
-- the same body gets that answer again, a different body is refused. Kept in Postgres so any instance sees them.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id          text        NOT NULL,
  key              text        NOT NULL,
  request_hash     text        NOT NULL,
  state            text        NOT NULL CHECK (state IN ('in_progress', 'done')),
  response_status  integer,
  response_headers jsonb,
  response_body    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
-- A key claimed in an append (the event store's claim) names that append's first stream: once the append committed,
-- the request's outcome is in the store even if its answer never got stored (its process died in between), so a
-- retry can be answered from it (command-service http/idempotency.ts, `recover`).
ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS append_stream_id text;
-- Every key is claimed, then updated once with its answer: room on the page lets that update stay HOT (no new
-- index entries for the row's new version).
ALTER TABLE idempotency_keys SET (fillfactor = 70);

-- Stores a batch of answers (one statement for every create answered in the same instant). A function, for its
-- planner settings: the join with the batch must probe the primary key, and a generic plan made while the table was
-- still small (a fresh database) would otherwise keep scanning it whole, once per batch, as it grows.
CREATE OR REPLACE FUNCTION store_idempotent_answers(p_users text[], p_keys text[], p_statuses integer[], p_headers jsonb[], p_bodies text[])
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off AS $$
BEGIN
  UPDATE idempotency_keys k
     SET state = 'done', response_status = u.status, response_headers = u.headers, response_body = u.body
    FROM unnest(p_users, p_keys, p_statuses, p_headers, p_bodies) AS u(user_id, key, status, headers, body)
   WHERE k.user_id = u.user_id AND k.key = u.key;
END
$$;

-- ───────────────────────── Grants (least privilege) ─────────────────────────
-- One role per service, created NOLOGIN: the migrate step (packages/kernel/src/postgres/migrate.ts) gives a role
-- LOGIN and a password when COMMAND_DB_PASSWORD / PROJECTOR_DB_PASSWORD / QUERY_DB_PASSWORD is set (compose does).
-- Roles are cluster-wide while this file runs per database (the test harness runs many databases at once, each
-- under its own advisory lock): a concurrent creator wins, the loser's duplicate error is the same outcome.
-- A table added above needs its grants added here (docs/decisions/0010-database-roles.md).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['shop_command', 'shop_projector', 'shop_query'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END;
    END IF;
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO shop_command, shop_projector, shop_query;

-- command: appends events (append_streams/append_batch write events, streams and idempotency claims), reads streams
-- and snapshots to decide, keeps accounts and idempotency answers.
GRANT SELECT, INSERT ON events TO shop_command;
GRANT SELECT, INSERT, UPDATE ON streams TO shop_command;
GRANT SELECT, INSERT, UPDATE, DELETE ON snapshots, user_accounts, idempotency_keys TO shop_command;

-- projector: reads the log, writes the read models, its checkpoints and dead letters (and nothing else).
GRANT SELECT ON events, streams TO shop_projector;
GRANT SELECT, INSERT, UPDATE, DELETE ON relay_checkpoints, projection_checkpoints, projection_dead_letters,
  catalog_products, orders, orders_forgotten_customers, customers, sales_orders, sales_facts, analytics_orders
  TO shop_projector;

-- command, accounts: revocation bumps token versions; erasure removes an erased customer's login and shreds its data
-- key. Personal-data keys are made and shredded (an UPDATE to NULL, never a DELETE) by the command service only.
GRANT SELECT, INSERT, UPDATE ON personal_data_keys TO shop_command;

-- projector: decrypts personal fields while projecting (keys read-only).
GRANT SELECT ON personal_data_keys TO shop_projector;

-- query: reads the read models, their checkpoints and (audit) the log; never credentials or idempotency answers.
-- Of the accounts only the token version, to refuse revoked tokens on reads (a column grant: no email, no hash);
-- personal-data keys read-only, for the audit views.
GRANT SELECT (id, token_version) ON user_accounts TO shop_query;
GRANT SELECT ON personal_data_keys TO shop_query;
GRANT SELECT ON events, streams, snapshots, relay_checkpoints, projection_checkpoints, projection_dead_letters,
  catalog_products, orders, orders_forgotten_customers, customers, sales_orders, sales_facts, analytics_orders
  TO shop_query;

-- The log is append-only for every application role: no UPDATE, DELETE or TRUNCATE was granted, this revokes any
-- given earlier, and the trigger refuses them from anyone but the table's owner (a superuser owns every role), so
-- a mistaken later GRANT still cannot open it. Tampering needs the owner role, and audit verify still finds it.
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM shop_command, shop_projector, shop_query;
CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RAISE EXCEPTION 'events is append-only: % refused for role %', TG_OP, current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE OR REPLACE TRIGGER events_append_only_rows BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE OR REPLACE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
