-- Several collectors share the agents: a host is written by the collector holding its lease.
ALTER TABLE hosts ADD COLUMN owner text;
ALTER TABLE hosts ADD COLUMN lease_until timestamptz;
CREATE INDEX hosts_lease ON hosts (lease_until);
