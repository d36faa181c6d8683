-- Several collectors share the agents: a host is written by the collector holding its lease.
ALTER TABLE hosts ADD COLUMN owner text;
ALTER TABLE hosts ADD COLUMN lease_until timestamptz;
CREATE INDEX hosts_lease ON hosts (lease_until);
-- live collectors (heartbeat every tick): each takes its fair share of the hosts
CREATE TABLE collectors (
  id        text PRIMARY KEY,
  started   timestamptz NOT NULL DEFAULT now(),
  heartbeat timestamptz NOT NULL DEFAULT now()
);
