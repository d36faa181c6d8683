package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every directive of dist/pcikit-agent.service is explained in docs/agent.md. */
class ServiceUnitDocTest {
  static final Path PROJECT = Path.of(System.getProperty("pcikit.projectDir", ".."));

  @Test
  void everyDirectiveIsExplained() throws Exception {
    List<String> directives = new ArrayList<>();
    for (String line : Files.readAllLines(PROJECT.resolve("dist/pcikit-agent.service"))) {
      if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
        continue;
      }
      directives.add(line.substring(0, line.indexOf('=')));
    }
    assertThat(directives).contains("CapabilityBoundingSet", "ReadWritePaths", "ProtectSystem");
    String doc = Files.readString(PROJECT.resolve("docs/agent.md"));
    String table = doc.substring(doc.indexOf("## The systemd unit"));
    for (String d : directives) {
      assertThat(table).as(d).contains("`" + d + "=");
    }
  }
}
