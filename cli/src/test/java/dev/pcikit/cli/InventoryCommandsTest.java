package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list / show / groups end to end on a materialized tree: output, exit codes, error lines. */
class InventoryCommandsTest {
  @TempDir static Path root;

  static Run pcikit(String... args) {
    return CliRun.run(args);
  }

  @BeforeAll
  static void host() throws Exception {
    HostBuilder h = new HostBuilder("x86_64");
    h.device(
            "0000:00:01.0",
            ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                .buses(0, 1, 1)
                .express(PciePortType.ROOT_PORT)
                .acs(0x5f, 0x1d))
        .driver("pcieport");
    h.device(
            "0000:01:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x10d3)
                .classCode(0x020000)
                .multifunction(true)
                .express(PciePortType.ENDPOINT))
        .driver("e1000e")
        .numa(1);
    h.device(
            "0000:01:00.1",
            ConfigSpaceBuilder.endpoint(0x8086, 0x10d3)
                .classCode(0x020000)
                .multifunction(true)
                .express(PciePortType.ENDPOINT))
        .driver("vfio-pci");
    TreeMaterializer.materialize(h.build(), root.resolve("sys"));
  }

  @Test
  void listShowsOneLinePerDeviceWithDriverGroupAndNuma() {
    Run r = pcikit("--root", root.toString(), "list", "--pci-ids", "/dev/null");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(4);
    assertThat(r.out()).contains("0000:01:00.0", "e1000e", "Device [8086:10d3]");
    String line = r.out().lines().filter(l -> l.startsWith("0000:01:00.0")).findFirst().get();
    assertThat(line).matches(".*e1000e\\s+\\d+\\s+1.*");
  }

  @Test
  void machineFormatsCarryASchemaAndFiltersWorkLikeLspci() throws Exception {
    Run r = pcikit("list", "--root", root.toString(), "-s", "01:00.1", "-o", "json");
    assertThat(r.code()).isZero();
    var doc = dev.pcikit.formats.Documents.json().readTree(r.out());
    assertThat(doc.get("schema").asString()).isEqualTo("pcikit/inventory/v1");
    assertThat(doc.get("devices")).hasSize(1);
    assertThat(doc.get("devices").get(0).get("driver").asString()).isEqualTo("vfio-pci");
    Run y = pcikit("list", "--root", root.toString(), "-d", "8086:10d3", "-o", "yaml");
    assertThat(y.out()).contains("schema: \"pcikit/inventory/v1\"").contains("0000:01:00.0");
    assertThat(y.out()).doesNotContain("bdf: \"0000:00:01.0\"");
  }

  @Test
  void groupsSayWhetherAGroupIsViable() {
    Run r = pcikit("--root", root.toString(), "groups");
    assertThat(r.code()).isZero();
    // the multifunction pair without ACS shares a group: one function on vfio, one on e1000e
    assertThat(r.out()).contains("mixed: not viable until [0000:01:00.0] leave their host drivers");
  }

  @Test
  void showDecodesCapabilities() {
    Run r = pcikit("--root", root.toString(), "show", "01:00.0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Express", "NUMA node:       1", "Driver:          e1000e");
  }

  @Test
  void errorsAreOneLineWithDocumentedExitCodes() {
    Run notFound = pcikit("--root", root.toString(), "show", "07:00.0");
    assertThat(notFound.code()).isEqualTo(3);
    assertThat(notFound.err().strip()).isEqualTo("pcikit: no PCI device 07:00.0");
    Run notSysfs = pcikit("--root", root.resolve("nowhere").toString(), "list");
    assertThat(notSysfs.code()).isEqualTo(3);
    assertThat(notSysfs.err().lines()).hasSize(1).first().asString().contains("not a sysfs tree");
    Run usage = pcikit("list", "--bogus");
    assertThat(usage.code()).isEqualTo(2);
    Run badFilter = pcikit("--root", root.toString(), "list", "-d", "xyz");
    assertThat(badFilter.code()).isEqualTo(2);
    assertThat(badFilter.err()).startsWith("pcikit: invalid -d selector 'xyz'");
    Run trace = pcikit("--root", root.toString(), "--stacktrace", "show", "07:00.0");
    assertThat(trace.err()).contains("at dev.pcikit");
  }

  @Test
  void unreadableDevicesAreListedWithProblemsAndExitCode8() throws Exception {
    Path broken = Files.createTempDirectory(root, "broken");
    TreeMaterializer.materialize(
        new HostBuilder("x86_64")
            .device("0000:00:02.0", ConfigSpaceBuilder.endpoint(0x8086, 0x10d3))
            .attr("vendor", "oops")
            .done()
            .build(),
        broken.resolve("sys"));
    Run r = pcikit("--root", broken.toString(), "list");
    assertThat(r.code()).isEqualTo(8);
    assertThat(r.out()).contains("0000:00:02.0");
    assertThat(r.err()).contains("pcikit: 0000:00:02.0: vendor: not a number: 'oops'");
  }

  @Test
  void everySubcommandAnswersHelp() {
    for (String[] cmd :
        new String[][] {
          {"list"}, {"show"}, {"groups"}, {"vfio", "bind"}, {"snapshot", "materialize"}
        }) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = "--help";
      Run r = pcikit(args);
      assertThat(r.code()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).startsWith("Usage: pcikit " + String.join(" ", cmd));
    }
  }

  @Test
  void completionIsGeneratedFromTheCommands() {
    Run r = pcikit("completion");
    assertThat(r.out()).contains("complete -F").contains("groups");
  }
}
