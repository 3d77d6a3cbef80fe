-- The event store: streams, events, snapshots, the hash chain, the append and stream-metadata functions, and the
-- trigger that keeps `events` append-only. Read and written by the kernel's PostgresEventStore
-- (postgres-event-store.ts) and verified by postgres-hash-chain.ts.
-- Part of the baseline (0100–0900: init.sql as of step 7, split by owner): idempotent, so that it also adopts a
-- database an earlier init.sql made; the DROP and ADD COLUMN IF NOT EXISTS lines upgrade databases older than that.
-- Applied once by the migration runner (packages/kernel/src/postgres/migrations.ts): never edit it, add a file.

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
-- Two paths, one contract: a session with `shop.append_path = 'general'` sends every batch down append_batch, which
-- is how postgres-event-store.int.test.ts runs the whole event-store contract suite through each path.
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
  IF cardinality(p_stream_ids) = (SELECT count(DISTINCT s) FROM unnest(p_stream_ids) s)
     AND current_setting('shop.append_path', true) IS DISTINCT FROM 'general' THEN
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

-- The log is append-only for every application role: they are granted no UPDATE, DELETE or TRUNCATE (0900), and
-- this trigger refuses them from anyone but the table's owner (a superuser owns every role), so a mistaken later
-- GRANT still cannot open it. Tampering needs the owner role, and audit verify still finds it.
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
