package dev.pcikit.cli;

/** Output formats: a readable table, or machine formats that carry a schema version. */
public enum OutputFormat {
  table,
  json,
  yaml
}
