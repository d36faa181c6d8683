package dev.pcikit.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}: the one output option of every data-printing command. */
final class OutputOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  OutputFormat format = OutputFormat.table;
}
