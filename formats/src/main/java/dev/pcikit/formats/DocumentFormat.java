package dev.pcikit.formats;

/** The two text forms a document is written in: the same tree either way. */
public enum DocumentFormat {
  /** JSON, indented, one document followed by a newline. */
  JSON,
  /** YAML 1.2 (a document start marker {@code ---} first). */
  YAML
}
