-- An agent numbers its events from 1 again when it restarts (core watch EventLog): each numbering
-- is an epoch of the host, and an event is stored once per (host, epoch, seq).
ALTER TABLE hosts ADD COLUMN epoch integer NOT NULL DEFAULT 0;
ALTER TABLE history ADD COLUMN epoch integer NOT NULL DEFAULT 0;
DROP INDEX history_event_once;
CREATE UNIQUE INDEX history_event_once ON history (host, epoch, seq) WHERE source = 'event';
