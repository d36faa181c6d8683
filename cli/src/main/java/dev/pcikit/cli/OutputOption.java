package dev.pcikit.cli;

import dev.pcikit.formats.Documents;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** {@code -o table|json|yaml}: the one output option of every data-printing command. */
final class OutputOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  OutputFormat format = OutputFormat.table;

  /** Prints the table, or the document as JSON or YAML, as -o asks; only that one is built. */
  void print(PrintWriter out, Supplier<Table> table, Supplier<ObjectNode> document) {
    if (format == OutputFormat.table) {
      table.get().print(out);
      out.flush();
    } else {
      Documents.write(document.get(), format.document(), out);
    }
  }
}
