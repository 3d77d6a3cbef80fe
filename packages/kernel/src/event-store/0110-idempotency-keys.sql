-- Idempotency keys: the command service's table (command-service idempotency), kept here because the event
-- store's claim writes its rows inside the append (append_batch / append_streams, 0100) and because the migrate
-- image holds the shared packages, never a service.
-- Part of the baseline (see 0100). Applied once by the migration runner: never edit it, add a file.

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
