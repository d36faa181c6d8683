package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabConsoleTest {
  private static final List<String> CONSOLE =
      List.of(
          "[    3.46] shpchp 0000:05:00.0: Slot initialization failed",
          "LAB-BOOT kernel=6.1.0-56-amd64 userspace_uptime=4.39",
          "=====LAB-SCENARIO-BEGIN java=====",
          "LAB-KV app_archive=yes",
          "-----LAB-FILE pcikit-version-----",
          "pcikit 0.1.0-SNAPSHOT",
          "LAB-KV not=a-value-inside-a-block",
          "-----LAB-FILE-END pcikit-version rc=0 ms=5260-----",
          "=====LAB-SCENARIO-END java rc=0 ms=6790=====",
          "[   16.7] some kernel line between scenarios",
          "=====LAB-SCENARIO-BEGIN crashed=====",
          "-----LAB-FILE half-----",
          "partial",
          "");

  @Test
  void splitsScenariosBlocksAndValues() {
    LabConsole c = LabConsole.of(Path.of("x.log"), CONSOLE);
    LabScenario javaScenario = c.scenario("java").orElseThrow();
    assertThat(javaScenario.rc()).isZero();
    assertThat(javaScenario.millis()).isEqualTo(6790);
    assertThat(javaScenario.values()).containsExactly(Map.entry("app_archive", "yes"));
    LabScenario.Block v = javaScenario.file("pcikit-version").orElseThrow();
    assertThat(v.rc()).isZero();
    assertThat(v.millis()).isEqualTo(5260);
    assertThat(v.text()).isEqualTo("pcikit 0.1.0-SNAPSHOT\nLAB-KV not=a-value-inside-a-block\n");
    assertThat(c.bootValues()).containsEntry("userspace_uptime", "4.39");
  }

  @Test
  void aScenarioWithoutEndMarkerKeepsItsLinesAndNoStatus() {
    LabConsole c = LabConsole.of(Path.of("x.log"), CONSOLE);
    LabScenario crashed = c.scenario("crashed").orElseThrow();
    assertThat(crashed.rc()).isEqualTo(-1);
    assertThat(crashed.file("half")).isEmpty();
    assertThat(crashed.lines()).contains("partial");
    assertThat(c.done()).isFalse();
    assertThat(c.lastLines(2)).containsExactly("-----LAB-FILE half-----", "partial");
  }

  @Test
  void failureContextNamesScenarioTailAndLog() {
    LabConsole c = LabConsole.of(Path.of("/tmp/x.log"), CONSOLE);
    String ctx = LabBoot.context(c, "java", Path.of("/tmp/x.run.txt"));
    assertThat(ctx)
        .contains(
            "lab scenario 'java'", "  | pcikit 0.1.0-SNAPSHOT", "/tmp/x.log", "/tmp/x.run.txt");
  }
}
