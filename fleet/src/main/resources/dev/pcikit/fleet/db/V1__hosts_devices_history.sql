-- The first fleet schema: hosts, their PCI functions keyed by fingerprint, and history.
CREATE TABLE hosts (
  name        text PRIMARY KEY,
  address     text NOT NULL,
  state       text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'answering', 'unreachable')),
  state_since timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz,
  last_seq    bigint NOT NULL DEFAULT 0,
  last_error  text
);

CREATE TABLE devices (
  host             text NOT NULL REFERENCES hosts (name) ON DELETE CASCADE,
  fingerprint      text NOT NULL,
  bdf              text NOT NULL,
  vendor           integer,
  device           integer,
  subsystem_vendor integer,
  subsystem_device integer,
  class_code       integer,
  vendor_name      text,
  device_name      text,
  driver           text,
  numa_node        integer,
  iommu_group      integer,
  group_status     text,
  bridge           boolean NOT NULL DEFAULT false,
  sriov_role       text,
  pf_fingerprint   text,
  total_vfs        integer,
  num_vfs          integer,
  free_vfs         integer,
  held_by          text[] NOT NULL DEFAULT '{}',
  not_responding   boolean NOT NULL DEFAULT false,
  doc              jsonb NOT NULL,
  doc_hash         text NOT NULL,
  changed_at       timestamptz NOT NULL DEFAULT now(),
  changed_seq      bigint,
  PRIMARY KEY (host, fingerprint)
);

CREATE TABLE history (
  id          bigserial PRIMARY KEY,
  host        text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  seq         bigint,
  source      text NOT NULL CHECK (source IN ('event', 'snapshot')),
  kind        text NOT NULL,
  fingerprint text,
  bdf         text,
  details     jsonb NOT NULL DEFAULT '{}'
);
-- one row per agent event: a resumed stream cannot store an event twice
CREATE UNIQUE INDEX history_event_once ON history (host, seq) WHERE source = 'event';
CREATE INDEX history_by_host ON history (host, at);
CREATE INDEX history_by_fingerprint ON history (fingerprint, at);
