package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Exit codes are defined once ({@link ExitCode}): docs/exit-codes.md's table and the --help footer
 * are checked against it. {@code -Dpcikit.regenerate=true} rewrites the table in the doc.
 */
class ExitCodeDocTest {
  static final Path DOC =
      Path.of(System.getProperty("pcikit.projectDir", ".."), "docs", "exit-codes.md");

  @Test
  void docTableIsTheEnum() throws Exception {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("| code | meaning |");
    int end = doc.indexOf("\n\n", start);
    assertThat(start).as("table in " + DOC).isNotNegative();
    String table = doc.substring(start, end + 1);
    if (Boolean.getBoolean("pcikit.regenerate")) {
      Files.writeString(
          DOC, doc.substring(0, start) + ExitCode.markdownTable() + doc.substring(end + 1));
      return;
    }
    assertThat(table)
        .as(DOC + " (regenerate: -Dpcikit.regenerate=true)")
        .isEqualTo(ExitCode.markdownTable());
  }

  @Test
  void helpListsEveryCode() {
    String out = CliRun.run("--help").out();
    for (ExitCode c : ExitCode.values()) {
      assertThat(out).containsPattern("(?m)^  " + c.code() + " +\\S");
    }
  }
}
