-- Grants for projection_redrive_requests (packages/read-models/src/checkpoints/0960-projection-redrive-requests.sql),
-- in the spirit of 0900-roles-and-grants.sql (applied once, never edited): the command service records requests,
-- the projector takes and finishes them, the query service may read them.
GRANT SELECT, INSERT ON projection_redrive_requests TO shop_command;
GRANT SELECT, UPDATE ON projection_redrive_requests TO shop_projector;
GRANT SELECT ON projection_redrive_requests TO shop_query;
