-- Redrive requests: an admin asks (POST /api/admin/projections/{projection}/redrive, the command service inserts a
-- row); a projector process that runs the projection takes the row FOR UPDATE SKIP LOCKED, redrives the projection's
-- dead letters as `npm run projections -- redrive` does, and records the outcome. The row stays locked for the whole
-- redrive, so a projector killed half-way leaves it open (finished_at NULL) for the next process to take; what it had
-- redriven is already out of the dead letters (each letter leaves with the transaction that applied it again).
-- Applied once by the migration runner: never edit it, add a file. Grants: 0965-redrive-request-grants.sql.

CREATE TABLE IF NOT EXISTS projection_redrive_requests (
  id           uuid        PRIMARY KEY,
  projection   text        NOT NULL,
  -- The admin's account id (user_accounts.id), from the verified token.
  requested_by uuid        NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- Both set when the projector records the outcome (it holds the row locked until then).
  started_at   timestamptz,
  finished_at  timestamptz,
  outcome      text        CHECK (outcome IN ('redriven', 'failed')),
  redriven     integer,
  error        text,
  CHECK ((finished_at IS NULL) = (outcome IS NULL))
);

-- At most one open request per projection: a second ask while one is open answers the open one's id (the command
-- service's INSERT ... ON CONFLICT DO NOTHING), so two admins clicking at once start one redrive, not two.
CREATE UNIQUE INDEX IF NOT EXISTS projection_redrive_requests_open ON projection_redrive_requests (projection) WHERE finished_at IS NULL;

-- Wakes the projectors at once (they also look every REDRIVE_POLL_MS, in case a notification was missed).
CREATE OR REPLACE FUNCTION projection_redrive_requested() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('shop_redrive_requests', NEW.projection);
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS projection_redrive_requested ON projection_redrive_requests;
CREATE TRIGGER projection_redrive_requested AFTER INSERT ON projection_redrive_requests
  FOR EACH ROW EXECUTE FUNCTION projection_redrive_requested();
