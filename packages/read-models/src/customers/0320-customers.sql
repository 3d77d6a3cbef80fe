-- The customers read model (customers.read-model.ts): written by the customers projection.
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

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
