-- Personal data keys (crypto-shredding), read and written by the kernel's data-key-ring.ts.
-- Part of the baseline (see packages/kernel/src/event-store/0100-event-store.sql). Applied once by the migration
-- runner: never edit it, add a file.

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
