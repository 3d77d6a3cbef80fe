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
  stream_id text   PRIMARY KEY,
  version   bigint NOT NULL CHECK (version >= 1),
  last_hash bytea  NOT NULL
);

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

-- Appends events to one stream with an expected version, in one round trip.
--   expected: 'no_stream' | 'exists' | 'any' | a version number (the stream's current last version).
--   events:   [{ "eventId", "type", "schemaVersion", "data", "metadata" }, ...]
-- Returns the stream's new version and the global position of the last event.
-- A retry of an append whose reply was lost (same event ids, same stream) returns the original result.
-- A version mismatch raises SQLSTATE 'SH409' with DETAIL '{"expected": ..., "actual": ...}'.
CREATE OR REPLACE FUNCTION append_to_stream(p_stream_id text, p_expected text, p_events jsonb)
RETURNS TABLE (next_version bigint, last_position bigint) LANGUAGE plpgsql AS $$
DECLARE
  v_count         integer := jsonb_array_length(p_events);
  v_version       bigint;
  v_hash          bytea;
  v_position      bigint;
  v_now           timestamptz := clock_timestamp();
  v_event         jsonb;
  v_found         integer;
BEGIN
  IF v_count = 0 THEN
    RAISE EXCEPTION 'append_to_stream needs at least one event' USING ERRCODE = '22023';
  END IF;

  -- Idempotent retry: the same event ids already stored in this stream answer the stored result.
  SELECT count(*), max(e.stream_version), max(e.global_position) INTO v_found, next_version, last_position
    FROM events e
   WHERE e.event_id IN (SELECT (x->>'eventId')::uuid FROM jsonb_array_elements(p_events) x)
     AND e.stream_id = p_stream_id;
  IF v_found = v_count THEN
    RETURN NEXT;
    RETURN;
  END IF;

  SELECT s.version, s.last_hash INTO v_version, v_hash FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  IF NOT FOUND THEN
    -- A concurrent first append to the same new stream blocks here until the other commits, then loses.
    INSERT INTO streams (stream_id, version, last_hash) VALUES (p_stream_id, 1, '\x'::bytea)
      ON CONFLICT (stream_id) DO NOTHING;
    IF FOUND THEN
      v_version := 0;
      v_hash := decode(repeat('00', 32), 'hex');
    ELSE
      SELECT s.version, s.last_hash INTO v_version, v_hash FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    END IF;
  END IF;

  IF NOT (
       p_expected = 'any'
    OR (p_expected = 'no_stream' AND v_version = 0)
    OR (p_expected = 'exists' AND v_version > 0)
    OR (p_expected ~ '^[0-9]+$' AND v_version = p_expected::bigint)
  ) THEN
    RAISE EXCEPTION 'version conflict on stream %', p_stream_id
      USING ERRCODE = 'SH409', DETAIL = json_build_object('expected', p_expected, 'actual', v_version)::text;
  END IF;

  -- Taken last (after the stream lock) so that every append locks in the same order: no deadlocks.
  UPDATE event_store_head SET position = position + v_count RETURNING position - v_count INTO v_position;

  FOR v_event IN SELECT x FROM jsonb_array_elements(p_events) x LOOP
    v_version := v_version + 1;
    v_position := v_position + 1;
    v_hash := event_hash(v_hash, (v_event->>'eventId')::uuid, p_stream_id, v_version, v_event->>'type',
                         (v_event->>'schemaVersion')::integer, v_event->'data', v_event->'metadata', v_now);
    INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, schema_version,
                        data, metadata, recorded_at, hash)
    VALUES (v_position, (v_event->>'eventId')::uuid, p_stream_id, v_version, v_event->>'type',
            (v_event->>'schemaVersion')::integer, v_event->'data', v_event->'metadata', v_now, v_hash);
  END LOOP;

  UPDATE streams SET version = v_version, last_hash = v_hash WHERE stream_id = p_stream_id;
  -- Delivered at commit, in commit order: wakes the relay and catch-up subscribers without polling.
  PERFORM pg_notify('shop_events', v_position::text);

  next_version := v_version;
  last_position := v_position;
  RETURN NEXT;
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
