package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.holders.FakeHolders;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code vfio status} names who holds a VFIO group: pid, command line, libvirt domain. */
class VfioStatusHoldersTest {
  @TempDir Path root;

  Run run(String... args) {
    return CliRun.runIn(root, args);
  }

  @BeforeEach
  void tree() throws IOException {
    MemorySysfs s = new MemorySysfs();
    String d = "devices/pci0000:00/0000:00:03.0/0000:03:00.0";
    s.putText(d + "/vendor", "0x8086\n");
    s.putText(d + "/device", "0x10d3\n");
    s.putText(d + "/class", "0x020000\n");
    s.putText(d + "/driver_override", "vfio-pci\n");
    s.putLink("bus/pci/devices/0000:03:00.0", "../../../" + d);
    s.putLink(d + "/iommu_group", "../../../../kernel/iommu_groups/12");
    s.putLink("kernel/iommu_groups/12/devices/0000:03:00.0", "../../../../" + d);
    s.putLink(d + "/driver", "../../../../bus/pci/drivers/vfio-pci");
    s.putText("bus/pci/drivers/vfio-pci/unbind", "");
    s.materialize(root.resolve("sys"));
    FakeHolders.qemuHoldsGroup12ForDomainLab(root);
  }

  @Test
  void tableNamesPidCommandLineAndDomain() {
    Run r = run("vfio", "status");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("group 12 (open by pid 4242 (qemu-system-x86), libvirt domain lab (running))")
        .contains("      pid 4242: qemu-system-x86_64 -name guest=lab");
  }

  @Test
  void jsonNamesPidAndDomain() throws Exception {
    Run r = run("vfio", "status", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = dev.pcikit.formats.Documents.json().readTree(r.out());
    assertThat(doc.get("schema").asString()).isEqualTo("pcikit/vfio-status/v1");
    JsonNode dev = doc.get("vfioDevices").get(0);
    assertThat(dev.get("address").asString()).isEqualTo("0000:03:00.0");
    JsonNode h = dev.get("heldBy").get(0);
    assertThat(h.get("pid").asInt()).isEqualTo(4242);
    assertThat(h.get("domain").asString()).isEqualTo("lab");
    assertThat(h.get("domainState").asString()).isEqualTo("running");
    assertThat(dev.get("fingerprint").get("path").asString()).isEqualTo("pci0000:00/03.0/00.0");
    assertThat(dev.get("fingerprint").get("strength").asString()).isEqualTo("path only");
  }
}
