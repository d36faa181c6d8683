package dev.pcikit.cli;

/** Output formats: a readable table, or machine formats that carry a schema version. */
public enum OutputFormat {
  table,
  json,
  yaml;

  /** The document format of json or yaml (table has none). */
  dev.pcikit.formats.DocumentFormat document() {
    return this == yaml
        ? dev.pcikit.formats.DocumentFormat.YAML
        : dev.pcikit.formats.DocumentFormat.JSON;
  }

  /** Also accepts "text" for table: the name {@code drivers -o} had before the formats were one. */
  static final class WithText implements picocli.CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      String v = value.strip().toLowerCase(java.util.Locale.ROOT);
      return v.equals("text") ? table : OutputFormat.valueOf(v);
    }
  }
}
