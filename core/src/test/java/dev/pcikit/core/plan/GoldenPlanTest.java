package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.plan.render.LibvirtRenderer;
import dev.pcikit.core.plan.render.QemuRenderer;
import dev.pcikit.core.plan.render.SummaryRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Golden files: one per machine type and scenario, holding every renderer's output (the plan
 * document is formats' PlanJson, golden-tested there). Regenerate with {@code
 * -Dpcikit.regenerate=true} and review the diff.
 */
class GoldenPlanTest {

  static Plan pseries() {
    return Planner.plan(
        TestHosts.spec(
            MachineType.PSERIES, "0001:01:00.0", "0002:01:00.0", "0003:01:00.0", "0002:01:00.2"),
        TestHosts.power(),
        Optional.empty());
  }

  static Plan q35() {
    return Planner.plan(
        TestHosts.spec(MachineType.Q35, "0000:01:00.0", "10de:1db6", "0000:05:01.0", "group:13"),
        TestHosts.x86(),
        Optional.empty());
  }

  static Plan virt() {
    return Planner.plan(
        TestHosts.spec(MachineType.VIRT, "0000:01:00.0", "0000:02:00.0"),
        TestHosts.x86(),
        Optional.empty());
  }

  static Plan s390() {
    GuestSpec spec =
        new GuestSpec(
            "guest1",
            MachineType.S390_CCW_VIRTIO,
            List.of(
                DeviceRequest.of("0000:01:00.0"),
                new DeviceRequest(
                    "0000:03:00.0",
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.of(1),
                    java.util.OptionalLong.of(0x10),
                    Optional.empty())),
            0,
            OptionalInt.empty(),
            Policies.defaults());
    return Planner.plan(spec, TestHosts.x86(), Optional.empty());
  }

  static Plan pseriesReplan() throws IOException {
    ExistingDomain d = DomainXmlReader.parse(resource("domains/pseries-existing.xml"));
    return Planner.plan(
        TestHosts.spec(MachineType.PSERIES, "0001:01:00.0", "0003:01:00.0"),
        TestHosts.power(),
        Optional.of(d));
  }

  static Plan pseriesHotplug() throws IOException {
    ExistingDomain d = DomainXmlReader.parse(resource("domains/pseries-existing.xml"));
    return Planner.hotplug(
        d, List.of(DeviceRequest.of("0002:01:00.0")), TestHosts.power(), Policies.defaults());
  }

  static String resource(String name) throws IOException {
    try (InputStream in = GoldenPlanTest.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String all(Plan p) {
    return "=== summary\n"
        + SummaryRenderer.render(p)
        + "=== libvirt domain\n"
        + LibvirtRenderer.domain(p)
        + "=== qemu\n"
        + QemuRenderer.render(p)
        + "=== qmp device_add\n"
        + String.join("\n", QemuRenderer.qmpDeviceAdd(p))
        + "\n";
  }

  @Test
  void pseriesGolden() throws IOException {
    golden("pseries", all(pseries()));
  }

  @Test
  void q35Golden() throws IOException {
    golden("q35", all(q35()));
  }

  @Test
  void virtGolden() throws IOException {
    golden("virt", all(virt()));
  }

  @Test
  void s390Golden() throws IOException {
    golden("s390x", all(s390()));
  }

  @Test
  void pseriesReplanGolden() throws IOException {
    golden("pseries-replan", all(pseriesReplan()));
  }

  @Test
  void pseriesHotplugGolden() throws IOException {
    Plan p = pseriesHotplug();
    golden(
        "pseries-hotplug",
        SummaryRenderer.render(p)
            + "=== virsh attach-device\n"
            + String.join("", LibvirtRenderer.hostdevs(p))
            + "=== qmp\n"
            + String.join("\n", QemuRenderer.qmpDeviceAdd(p))
            + "\n");
  }

  static void golden(String name, String actual) throws IOException {
    String file = "golden/plan/" + name + ".txt";
    if (Boolean.getBoolean("pcikit.regenerate")) {
      Path dir = Path.of(System.getProperty("pcikit.projectDir"), "core/src/test/resources");
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      Files.writeString(target, actual);
      return;
    }
    assertThat(actual)
        .as("golden file %s (regenerate: -Dpcikit.regenerate=true)", file)
        .isEqualTo(resource(file));
  }
}
