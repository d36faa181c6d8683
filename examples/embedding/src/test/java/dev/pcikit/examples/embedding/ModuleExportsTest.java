package dev.pcikit.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * run.sh puts the core on the module path and sim plus this example on the class path: every core
 * package they import must be exported by core's module-info, or the example fails with
 * IllegalAccessError at run time (the in-process test above runs on the class path and would not
 * notice).
 */
class ModuleExportsTest {
  static final Path REPO = Path.of(System.getProperty("pcikit.projectDir", "../.."));
  static final Pattern IMPORT =
      Pattern.compile("(?m)^import (?:static )?(dev\\.pcikit\\.core(?:\\.[a-z]+)+)\\.[A-Z]");

  @Test
  void everyCorePackageSimAndTheExampleUseIsExported() throws IOException {
    String moduleInfo = Files.readString(REPO.resolve("core/src/main/java/module-info.java"));
    Set<String> used = new TreeSet<>();
    for (String dir : new String[] {"sim/src/main/java", "examples/embedding/src/main/java"}) {
      try (Stream<Path> files = Files.walk(REPO.resolve(dir))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(f));
          while (m.find()) {
            used.add(m.group(1));
          }
        }
      }
    }
    assertThat(used).isNotEmpty();
    for (String pkg : used) {
      assertThat(moduleInfo)
          .as("core's module-info exports " + pkg)
          .containsPattern("(?m)^\\s*exports " + Pattern.quote(pkg) + ";");
    }
  }
}
