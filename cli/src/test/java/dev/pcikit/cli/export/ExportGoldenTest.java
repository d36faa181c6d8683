package dev.pcikit.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: every demo host in every export format (stdout, then stderr after a marker).
 * Regenerate with -Dpcikit.regenerate=true and review the diff.
 */
class ExportGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/export");

  record Format(String file, List<String> args) {}

  static final List<Format> FORMATS =
      List.of(
          new Format("dra.yaml", List.of("export", "dra")),
          new Format("dra.json", List.of("export", "dra", "-o", "json")),
          new Format("nova.conf", List.of("export", "nova")),
          new Format("nova-provider.yaml", List.of("export", "nova", "-o", "provider")),
          new Format("nova.json", List.of("export", "nova", "-o", "json")),
          new Format("kubevirt.yaml", List.of("export", "kubevirt")),
          new Format("kubevirt.json", List.of("export", "kubevirt", "-o", "json")),
          new Format("cloudstack.json", List.of("export", "cloudstack")));

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String host : ExportRun.HOSTS) {
      for (Format f : FORMATS) {
        if (host.equals("nic-farm") && f.file().equals("dra.json")) {
          continue; // 770 kB; DraExportTest shows it is the YAML golden's slices as JSON
        }
        out.add(Arguments.of(host, f));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void golden(String host, Format f) throws Exception {
    Run r = ExportRun.run(host, f.args().toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    String text = r.out() + "\n==== stderr ====\n" + r.err();
    Path file = GOLDEN.resolve(host).resolve(f.file());
    if (Boolean.getBoolean("pcikit.regenerate")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    assertThat(text)
        .as("%s %s (regenerate with -Dpcikit.regenerate=true)", host, f.file())
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
