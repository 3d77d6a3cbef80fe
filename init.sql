-- Shop database schema: the one source of truth for every table. Idempotent: applied at every start
-- (`npm start`, the test harness) under an advisory lock, and by the Postgres container on first boot.

-- ───────────────────────── event store ─────────────────────────
-- Global positions are dense and commit in order: every append takes the single `event_store_head` row
-- lock before it writes, so a reader following global position can never pass an event that will still
-- commit below it (DESIGN.md "Readers never skip an event": we serialize appends).
CREATE TABLE IF NOT EXISTS event_store_head (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  position bigint  NOT NULL
);
INSERT INTO event_store_head (id, position) VALUES (true, 0) ON CONFLICT (id) DO NOTHING;

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

-- The hash chaining an event to its stream's previous one (the first event chains to 32 zero bytes).
-- jsonb renders canonically (sorted keys, fixed spacing), so the same event always hashes the same;
-- the audit verifier recomputes it with this very function.
CREATE OR REPLACE FUNCTION event_hash(
  previous_hash bytea, event_id uuid, stream_id text, stream_version bigint, event_type text,
  schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz
) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(previous_hash || convert_to(jsonb_build_object(
    'eventId', event_id, 'streamId', stream_id, 'streamVersion', stream_version, 'type', event_type,
    'schemaVersion', schema_version, 'data', data, 'metadata', metadata,
    'recordedAt', (extract(epoch FROM recorded_at) * 1000000)::bigint
  )::text, 'UTF8'))
$$;

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

-- Appends a batch of independent items in ONE transaction (group commit). Each item is atomic on its own:
-- one or several streams, each with an expected version; an item whose expectation fails writes nothing and
-- reports 'conflict' with the actual version, while the other items of the batch still commit.
--   p_items: [{ "streams": [{ "streamId", "expected", "events": [{ "eventId", "type", "schemaVersion",
--             "data", "metadata" }] }] }]
-- One row per stream of each item: outcome 'appended', 'duplicate' (a retry: every event id of the item is
-- already stored in its stream; the stored result is answered) or 'conflict'.
-- Global positions are dense and commit in order: the batch locks the single event_store_head row first and
-- holds it to commit, so no reader following global position can pass an event that commits later.
CREATE OR REPLACE FUNCTION append_batch(p_items jsonb)
RETURNS TABLE (item integer, stream_id text, outcome text, next_version bigint, last_position bigint, actual_version bigint)
LANGUAGE plpgsql AS $$
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
BEGIN
  SELECT h.position INTO v_start FROM event_store_head h FOR UPDATE;
  v_position := v_start;

  -- Retries are rare: one index probe for the whole batch decides whether items need the per-item check.
  SELECT EXISTS (
    SELECT 1 FROM events ev
     WHERE ev.event_id IN (SELECT (e->>'eventId')::uuid
                             FROM jsonb_array_elements(p_items) i,
                                  jsonb_array_elements(i->'streams') s,
                                  jsonb_array_elements(s->'events') e)
  ) INTO v_any_known;

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
    UPDATE event_store_head SET position = v_position;
    -- Delivered at commit, in commit order: wakes the relay and catch-up subscribers without polling.
    PERFORM pg_notify('shop_events', v_position::text);
  END IF;
END
$$;

-- Stream metadata changes take the head lock too, so they serialise with appends.
CREATE OR REPLACE FUNCTION set_stream_truncate_before(p_stream_id text, p_before bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT 1 FROM event_store_head FOR UPDATE;
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
  PERFORM 1 FROM event_store_head FOR UPDATE;
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
CREATE INDEX IF NOT EXISTS catalog_products_name_id ON catalog_products (name, id);

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
