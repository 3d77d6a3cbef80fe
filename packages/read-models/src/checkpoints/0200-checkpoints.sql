-- Checkpoints and dead letters: the projector's relay and projection runner write them; the query service reads a
-- projection's checkpoint as the position a read reflects (Read-Model-Position).
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

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
