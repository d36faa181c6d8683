package dev.pcikit.cli;

import dev.pcikit.core.text.SafeText;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code -o/--output} names an output format in every command (table|json|yaml, plan's and export's
 * formats, draw's svg|dot); files are written with {@code --out FILE}. A value that is not a
 * format, a file name above all (the meaning {@code -o} had in draw and snapshot), is one line
 * saying so, whichever command it was given to.
 */
final class FormatNames {
  private FormatNames() {}

  /** The line for a usage error: picocli's, or for a bad {@code -o} value, which formats exist. */
  static String message(ParameterException e) {
    ArgSpec arg = e.getArgSpec();
    if (arg instanceof OptionSpec o
        && List.of(o.names()).contains("-o")
        && o.type().isEnum()
        && e.getValue() != null) {
      String names =
          Arrays.stream(o.type().getEnumConstants())
              .map(c -> ((Enum<?>) c).name())
              .collect(Collectors.joining(", "));
      return notAFormat(e.getValue(), names);
    }
    return e.getMessage();
  }

  /** "'host.svg' is not an output format (svg, dot); -o names the format: ... --out host.svg". */
  static String notAFormat(String value, String names) {
    String shown = SafeText.field(value);
    boolean path = value.contains("/") || value.contains(".") || value.equals("-");
    return "'"
        + shown
        + "' is not an output format ("
        + names
        + ")"
        + (path ? "; -o names the format: to write a file, use --out " + shown : "");
  }
}
