-- The selective scheduler question ("PFs of this device ID on NUMA node N with free VFs") and the
-- per-model, per-driver lookups of `pcikit fleet find`; see docs/benchmarks-fleet.md.
CREATE INDEX devices_model_numa ON devices (vendor, device, numa_node) INCLUDE (free_vfs);
CREATE INDEX devices_free_vfs ON devices (vendor, device, numa_node, free_vfs) WHERE free_vfs > 0;
CREATE INDEX devices_driver ON devices (driver);
CREATE INDEX devices_class ON devices ((class_code >> 8));
CREATE INDEX devices_held ON devices USING gin (held_by) WHERE held_by <> '{}';
