-- Roles and grants (least privilege): the last file of the baseline (see
-- packages/kernel/src/event-store/0100-event-store.sql), when every table of it exists.
-- One role per service, created NOLOGIN: the migrate step (packages/kernel/src/postgres/migrate.ts) gives a role
-- LOGIN and a password when COMMAND_DB_PASSWORD / PROJECTOR_DB_PASSWORD / QUERY_DB_PASSWORD is set (compose does).
-- Roles are cluster-wide while this file runs per database (the test harness runs many databases at once, each
-- under its own advisory lock): a concurrent creator wins, the loser's duplicate error is the same outcome.
-- A table added later is granted by the file that adds it (this one is applied once and never edited):
-- roles.int.test.ts checks that every table is granted as its owner's role needs (docs/decisions/0010-database-roles.md).
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
-- given earlier, and the trigger (events_append_only, 0100) refuses them from anyone but the table's owner.
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM shop_command, shop_projector, shop_query;
