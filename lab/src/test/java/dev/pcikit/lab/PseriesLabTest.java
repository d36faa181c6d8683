package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pseries real-kernel lab: Debian's ppc64el kernel under qemu-system-ppc64 -M pseries (TCG),
 * booted once with the topology file lab/topology/pseries.args; every expectation is derived from
 * that file (PseriesTopology), so a generated topology is checked the same way.
 */
class PseriesLabTest {
  private static LabBoot.Result boot;
  private static PseriesTopology topology;

  @BeforeAll
  static void bootGuest() throws IOException, InterruptedException {
    LabEnvironment.requireLab(
        "qemu-system-ppc64", "busybox", "cpio", "zstd", "depmod", "apt-get", "dpkg");
    topology = PseriesTopology.read(LabEnvironment.labDir().resolve("topology/pseries.args"));
    boot = LabBoot.run("pseries-lab.sh", "pseries", 600, "all");
  }

  private static LabScenario phbs() {
    LabConsole console = boot.console();
    String ctx = LabBoot.context(console, "phbs", boot.runLog());
    if (!console.done()) {
      fail("the pseries guest did not finish (script exit " + boot.exitCode() + ")\n" + ctx);
    }
    LabScenario s =
        console.scenario("phbs").orElseThrow(() -> new AssertionError("not run\n" + ctx));
    assertThat(s.rc()).as(ctx).isZero();
    return s;
  }

  private static String ctx() {
    return LabBoot.context(boot.console(), "phbs", boot.runLog());
  }

  /** bdf -> the guest's line: bdf vendor device class driver cfgsize of_node cfgtype. */
  private static Map<String, String[]> guestDevices() {
    Map<String, String[]> devices = new LinkedHashMap<>();
    for (String line : phbs().file("devices").orElseThrow().lines()) {
      String[] f = line.trim().split("\\s+");
      devices.put(f[0], f);
    }
    return devices;
  }

  @Test
  void onePciDomainPerPhbAndSparePhbsPresentButEmpty() {
    List<String> buses = phbs().file("buses").orElseThrow().lines();
    assertThat(buses)
        .as(ctx())
        .containsExactlyInAnyOrderElementsOf(
            topology.phbs().stream().map(p -> String.format("%04x:00", p.index())).toList());
    Map<String, String[]> devices = guestDevices();
    for (PseriesTopology.Phb phb : topology.phbs()) {
      String domain = String.format("%04x:", phb.index());
      List<String> expected =
          topology.devices().stream()
              .filter(d -> d.phb().equals(phb))
              .map(PseriesTopology.Device::bdf)
              .toList();
      assertThat(devices.keySet().stream().filter(b -> b.startsWith(domain)))
          .as(ctx() + "devices of PHB " + phb)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(
            topology.phbs().stream()
                .filter(p -> topology.devices().stream().noneMatch(d -> d.phb().equals(p))))
        .as("the topology has a spare PHB")
        .isNotEmpty();
  }

  @Test
  void everyDeviceSitsOnItsPhbWithThePredictedConfigSpaceType() {
    Map<String, String[]> devices = guestDevices();
    for (PseriesTopology.Device d : topology.devices()) {
      String[] f = devices.get(d.bdf());
      assertThat(f).as(ctx() + "no guest device at " + d.bdf() + " for " + d).isNotNull();
      PseriesTopology.pciIds(d.driver())
          .ifPresent(
              ids ->
                  assertThat(f[1].substring(2) + ":" + f[2].substring(2))
                      .as(ctx() + d)
                      .isEqualTo(ids));
      assertThat(f[6]).as(ctx() + d).startsWith(d.phb().dtNode() + "/");
      boolean ext = d.expectsExtendedConfig();
      assertThat(List.of(f[5], f[7]))
          .as(ctx() + d + " (config size, ibm,pci-config-space-type of the node)")
          .containsExactly(ext ? "4096" : "256", ext ? "00000001" : "absent");
    }
  }

  @Test
  void everyPhbHasADeviceTreeNodeWithConfigSpaceType() {
    Map<String, String> nodes =
        phbs().file("phbs").orElseThrow().lines().stream()
            .map(l -> l.trim().split("\\s+"))
            .collect(Collectors.toMap(f -> f[0], f -> f[1]));
    for (PseriesTopology.Phb phb : topology.phbs()) {
      // QEMU 7.2 puts ibm,pci-config-space-type=1 on every PHB node, whatever the PHB's
      // pcie-extended-configuration-space; the guest's decision is per device node (above)
      assertThat(nodes).as(ctx() + phb).containsEntry(phb.dtNode(), "00000001");
    }
    assertThat(nodes).as(ctx()).hasSameSizeAs(topology.phbs());
  }
}
