package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostBuilderTest {
  @TempDir Path tmp;

  @Test
  void treeHasTheKernelShape() throws Exception {
    HostSysfs fs = TestHosts.sample().build();
    assertThat(fs.readLink("bus/pci/devices/0000:01:00.0"))
        .hasValue("../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
    String dev = "devices/pci0000:00/0000:00:01.0/0000:01:00.0";
    assertThat(fs.readLink(dev + "/driver")).hasValue("../../../../bus/pci/drivers/nvme");
    assertThat(fs.readLink(dev + "/subsystem")).hasValue("../../../../bus/pci");
    assertThat(fs.readLink(dev + "/iommu")).hasValue("../../../virtual/iommu/dmar0");
    assertThat(fs.readLink("bus/pci/drivers/nvme/0000:01:00.0"))
        .hasValue("../../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
    assertThat(fs.readLink("bus/pci/drivers/nvme/module")).hasValue("../../../../module/nvme");
    assertThat(fs.attr("bus/pci/devices/0000:01:00.0/modalias"))
        .hasValue("pci:v0000144Dd0000A824sv0000144Dsd0000A801bc01sc08i02");
    assertThat(fs.attr("bus/pci/devices/0000:01:00.0/sriov_totalvfs")).hasValue("64");
    assertThat(fs.attr("bus/pci/devices/0000:01:00.0/reset_method")).hasValue("flr bus");
    assertThat(fs.exists("bus/pci/drivers/vfio-pci/bind")).isTrue();
    assertThat(fs.attr("module/vfio_pci/parameters/enable_sriov")).hasValue("N");
    assertThat(fs.exists("bus/pci/devices/0000:08:02.0/numa_node")).isFalse();
  }

  @Test
  void groupsFollowAcsLikeTheKernel() throws Exception {
    DeviceTree t = new DeviceTree(TestHosts.sample().build());
    // root port without ACS: its multifunction NIC pair joins the port's group
    int port = t.group("0000:00:02.0").getAsInt();
    assertThat(t.group("0000:03:00.0")).hasValue(port);
    assertThat(t.group("0000:03:00.1")).hasValue(port);
    // conventional devices behind a PCIe-to-PCI bridge alias to the bridge
    int bridge = t.group("0000:07:00.0").getAsInt();
    assertThat(t.group("0000:08:01.0")).hasValue(bridge);
    assertThat(t.group("0000:08:02.0")).hasValue(bridge);
    // ACS all the way: own groups
    assertThat(t.group("0000:06:00.0").getAsInt())
        .isNotIn(port, bridge, t.group("0000:05:00.0").getAsInt());
    assertThat(t.group("0000:01:00.0").getAsInt()).isNotEqualTo(t.group("0000:00:01.0").getAsInt());
    assertThat(t.groups()).startsWith(0, 1, 2);
  }

  @Test
  void vfsSpillOntoTheNextBusWithOwnGroups() throws Exception {
    SimKernel k =
        TestHosts.sample().device("0000:01:00.0").autoprobe(false).numVfs(10).done().boot();
    DeviceTree t = k.tree();
    assertThat(t.virtfns("0000:01:00.0")).hasSize(10);
    assertThat(t.virtfns("0000:01:00.0").get(5)).isEqualTo("0000:01:1f.7");
    assertThat(t.virtfns("0000:01:00.0").get(6)).isEqualTo("0000:02:00.0");
    assertThat(k.readLink("bus/pci/devices/0000:02:00.0"))
        .hasValue("../../../devices/pci0000:00/0000:00:01.0/0000:02:00.0");
    assertThat(k.readLink("bus/pci/devices/0000:02:00.0/physfn")).hasValue("../0000:01:00.0");
    assertThat(k.readLink("bus/pci/devices/0000:01:00.0/virtfn6")).hasValue("../0000:02:00.0");
    assertThat(k.attr("bus/pci/devices/0000:02:00.0/device")).hasValue("0xa824");
    assertThat(k.readBytes("bus/pci/devices/0000:02:00.0/config", 4)).containsOnly((byte) 0xff);
    assertThat(t.group("0000:02:00.0")).isNotEqualTo(t.group("0000:01:00.0"));
    assertThat(k.attr("bus/pci/devices/0000:02:00.0/reset_method")).hasValue("flr");
  }

  @Test
  void lspciReadsTheMaterializedTreeWithoutWarnings() throws Exception {
    SimKernel k = TestHosts.sample().device("0000:01:00.0").numVfs(10).done().boot();
    TreeMaterializer.materialize(k.host(), tmp);
    String out = Lspci.readsCleanly(tmp);
    assertThat(out)
        .contains("0000:01:00.0 Non-Volatile memory controller [0108]")
        .contains("0000:02:00.3 Non-Volatile memory controller [0108]")
        .contains("0000:08:02.0 Ethernet controller [0200]")
        .contains("Kernel driver in use: nvme")
        .contains("Kernel driver in use: pcieport");
    assertThat(out.lines().filter(l -> !l.startsWith("\t")).count()).isEqualTo(14 + 10);
    String vvv = Lspci.run(tmp, "-vvv", "-s", "01:00.0").out();
    assertThat(vvv).contains("Single Root I/O Virtualization (SR-IOV)").contains("IOMMU group");
  }
}
