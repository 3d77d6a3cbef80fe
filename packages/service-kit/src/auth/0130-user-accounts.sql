-- Accounts: the command service registers and signs in against them; token-versions.ts (here) reads a token's
-- version on every request of either service.
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

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
