-- The lookups of `pcikit fleet find`; docs/benchmarks-fleet.md shows the plans (EXPLAIN ANALYZE).
-- The scheduler's selective question, "PFs of this device ID on NUMA node N with at least K free
-- VFs": an index over PFs only (free_vfs is set on PFs alone). `free_vfs >= $1` is strict, so the
-- planner proves the partial predicate even for a generic plan of a prepared statement.
CREATE INDEX devices_pf_free ON devices (vendor, device, numa_node, free_vfs)
  WHERE free_vfs IS NOT NULL;
-- every function of one model (VFs included) on one NUMA node, in the order find prints them:
-- with LIMIT the scan stops after the first rows that pass the other filters (no sort)
CREATE INDEX devices_model_numa ON devices (vendor, device, numa_node, host, bdf);
CREATE INDEX devices_driver ON devices (driver);
CREATE INDEX devices_class ON devices ((class_code >> 8));
CREATE INDEX devices_held ON devices USING gin (held_by) WHERE held_by <> '{}';
