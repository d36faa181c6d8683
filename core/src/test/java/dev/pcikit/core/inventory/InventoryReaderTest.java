package dev.pcikit.core.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InventoryReaderTest {
  private static final String ROOT = "devices/pci0000:00";

  private static MemorySysfs hostWithNvmePf() {
    MemorySysfs fs = new MemorySysfs();
    String rp =
        TestTrees.device(fs, ROOT, "0000:00:02.0", TestTrees.config(0x1b36, 0x000c, 0x060400, 1));
    TestTrees.ids(fs, rp, 0x1b36, 0x000c, 0x060400);
    String pf =
        TestTrees.device(fs, rp, "0000:01:00.0", TestTrees.config(0x1b36, 0x0010, 0x010802, 0));
    TestTrees.ids(fs, pf, 0x1b36, 0x0010, 0x010802);
    fs.putText(pf + "/subsystem_vendor", "0x1af4\n");
    fs.putText(pf + "/subsystem_device", "0x1100\n");
    fs.putText(pf + "/numa_node", "1\n");
    fs.putText(pf + "/driver_override", "(null)\n");
    fs.putText(pf + "/sriov_totalvfs", "4\n");
    fs.putText(pf + "/sriov_numvfs", "1\n");
    fs.putText(pf + "/sriov_drivers_autoprobe", "0\n");
    fs.putText(pf + "/sriov_offset", "1\n");
    fs.putText(pf + "/sriov_stride", "1\n");
    fs.putText(pf + "/sriov_vf_device", "10\n");
    fs.putText(pf + "/reset_method", "flr bus\n");
    fs.mkdirs("bus/pci/drivers/nvme");
    fs.mkdirs("module/nvme");
    fs.putLink("bus/pci/drivers/nvme/module", "../../../../module/nvme");
    fs.putLink(pf + "/driver", "../../../../bus/pci/drivers/nvme");
    fs.mkdirs("kernel/iommu_groups/7/devices");
    fs.putLink(pf + "/iommu_group", "../../../../kernel/iommu_groups/7");
    fs.putLink("kernel/iommu_groups/7/devices/0000:01:00.0", "../../../../" + pf);
    String vf =
        TestTrees.device(fs, rp, "0000:01:00.1", TestTrees.config(0x1b36, 0x0010, 0x010802, 0));
    TestTrees.ids(fs, vf, 0x1b36, 0x0010, 0x010802);
    fs.putLink(vf + "/physfn", "../0000:01:00.0");
    fs.putLink(pf + "/virtfn0", "../0000:01:00.1");
    return fs;
  }

  @Test
  void readsIdsDriverGroupNumaAndSriov() {
    Inventory inv = new InventoryReader(hostWithNvmePf()).read();
    assertThat(inv.devices())
        .extracting(d -> d.address().toString())
        .containsExactly("0000:00:02.0", "0000:01:00.0", "0000:01:00.1");
    PciDevice pf = inv.device(PciAddress.parse("0000:01:00.0")).orElseThrow();
    assertThat(pf.vendor()).isEqualTo(0x1b36);
    assertThat(pf.subsystemVendor()).isEqualTo(0x1af4);
    assertThat(pf.classCode()).isEqualTo(0x010802);
    assertThat(pf.driver()).contains("nvme");
    assertThat(pf.driverModule()).contains("nvme");
    assertThat(pf.driverOverride()).isEmpty();
    assertThat(pf.numaNode()).isEqualTo(1);
    assertThat(pf.iommuGroup()).contains(7);
    assertThat(pf.sriov())
        .get()
        .extracting(SriovInfo::totalVfs, SriovInfo::numVfs, SriovInfo::vfDevice)
        .containsExactly(4, 1, 0x10);
    assertThat(pf.virtfns()).containsExactly(PciAddress.parse("0000:01:00.1"));
    assertThat(pf.resetMethods()).contains(java.util.List.of("flr", "bus"));
    assertThat(pf.parent()).contains(PciAddress.parse("0000:00:02.0"));
    assertThat(pf.rootBus()).isEqualTo("pci0000:00");
    assertThat(pf.sriovRole()).isEqualTo("PF");
    PciDevice vf = inv.device(PciAddress.parse("0000:01:00.1")).orElseThrow();
    assertThat(vf.physfn()).contains(pf.address());
    assertThat(vf.sriovRole()).isEqualTo("VF");
    assertThat(inv.groups().get(7).members()).containsExactly(pf.address());
    assertThat(inv.device(PciAddress.parse("0000:00:02.0")).orElseThrow().isBridge()).isTrue();
    assertThat(inv.incomplete()).isFalse();
  }

  @Test
  void aFocusedReadHasTheFocusedDeviceAsAFullReadAndOfTheOthersWhatItsGroupAndResetNeed() {
    MemorySysfs fs = hostWithNvmePf();
    Inventory full = new InventoryReader(fs).read();
    PciAddress vf = PciAddress.parse("0000:01:00.1");
    Inventory focused = InventoryReader.focused(fs, vf::equals).read();

    assertThat(focused.device(vf).orElseThrow())
        .usingRecursiveComparison()
        .isEqualTo(full.device(vf).orElseThrow());
    assertThat(focused.devices()).hasSameSizeAs(full.devices());
    for (PciDevice f : full.devices()) {
      PciDevice c = focused.device(f.address()).orElseThrow();
      assertThat(c.devicePath()).isEqualTo(f.devicePath());
      assertThat(c.classCode()).isEqualTo(f.classCode());
      assertThat(c.isBridge()).isEqualTo(f.isBridge());
      assertThat(c.driver()).isEqualTo(f.driver());
      assertThat(c.iommuGroup()).isEqualTo(f.iommuGroup());
      assertThat(c.physfn()).isEqualTo(f.physfn());
      assertThat(c.parent()).isEqualTo(f.parent());
    }
    PciDevice pf = focused.device(PciAddress.parse("0000:01:00.0")).orElseThrow();
    assertThat(pf.vendor()).as("not read outside the focus").isEqualTo(-1);
    assertThat(pf.config()).hasSize(InventoryReader.HEADER_CONFIG);
    assertThat(pf.resetMethods()).isEmpty();
  }

  @Test
  void aFocusedReadTakesTheFocusedDevicesGroupsAsTheKernelListsThem() {
    MemorySysfs fs = hostWithNvmePf();
    // the kernel's group lists a member whose own iommu_group link does not say so (a device
    // mid-removal, or any function the links miss): the FULL reading believes the kernel
    fs.putLink("kernel/iommu_groups/7/devices/0000:01:00.1", "../../../../" + ROOT + "/x");
    PciAddress pf = PciAddress.parse("0000:01:00.0");
    Inventory focused = InventoryReader.focused(fs, pf::equals).read();
    Inventory full = new InventoryReader(fs).read();
    assertThat(focused.groups().get(7)).isEqualTo(full.groups().get(7));
    assertThat(focused.groups().get(7).members())
        .extracting(PciAddress::toString)
        .containsExactly("0000:01:00.0", "0000:01:00.1");
  }

  @Test
  void missingAndNonNumericAttributesAreProblemsNotFailures() {
    MemorySysfs fs = hostWithNvmePf();
    fs.putText("devices/pci0000:00/0000:00:02.0/0000:01:00.0/vendor", "garbage\n");
    fs.remove("devices/pci0000:00/0000:00:02.0/0000:01:00.1/class");
    fs.putText("devices/pci0000:00/0000:00:02.0/0000:01:00.0/numa_node", "x\n");
    Inventory inv = new InventoryReader(fs).read();
    assertThat(inv.devices()).hasSize(3);
    assertThat(inv.allProblems())
        .extracting(Problem::toString)
        .contains(
            "0000:01:00.0: vendor: not a number: 'garbage'",
            "0000:01:00.1: class: missing",
            "0000:01:00.0: numa_node: not a number: 'x'");
    assertThat(inv.incomplete()).isTrue();
  }

  @Test
  void truncatedShortAndAllOnesConfig() {
    MemorySysfs fs = hostWithNvmePf();
    String pf = "devices/pci0000:00/0000:00:02.0/0000:01:00.0";
    String vf = "devices/pci0000:00/0000:00:02.0/0000:01:00.1";
    String rp = "devices/pci0000:00/0000:00:02.0";
    fs.putFile(pf + "/config", new byte[12]);
    fs.putFile(vf + "/config", Arrays.copyOf(TestTrees.config(0x1b36, 0x10, 0x010802, 0), 64));
    byte[] ones = new byte[256];
    Arrays.fill(ones, (byte) 0xff);
    fs.putFile(rp + "/config", ones);
    Inventory inv = new InventoryReader(fs).read();
    assertThat(inv.allProblems())
        .extracting(Problem::toString)
        .contains(
            "0000:01:00.0: config: truncated (12 bytes; a header has 64)",
            "0000:01:00.1: config: 64 bytes readable; capabilities need root",
            "0000:00:02.0: not responding: config reads all ones (device gone, or frozen by EEH)");
    assertThat(inv.device(PciAddress.parse("0000:00:02.0")).orElseThrow().notResponding()).isTrue();
    assertThat(inv.devices()).hasSize(3);
  }

  @Test
  void cyclicAndDanglingDeviceLinksAreReportedAndTheRestListed() {
    MemorySysfs fs = hostWithNvmePf();
    fs.putLink("bus/pci/devices/0000:09:00.0", "../../../devices/loop/a");
    fs.putLink("devices/loop/a", "../loop/a");
    fs.putLink("bus/pci/devices/0000:0a:00.0", "../../../devices/nowhere/0000:0a:00.0");
    fs.putLink("bus/pci/devices/junk", "../../../devices/nowhere");
    Inventory inv = new InventoryReader(fs).read();
    assertThat(inv.devices()).hasSize(3);
    assertThat(inv.problems())
        .extracting(Problem::subject)
        .contains("0000:09:00.0", "0000:0a:00.0", "bus/pci/devices/junk");
  }

  @Test
  void aRootThatIsNotSysfsIsOneClearError() {
    MemorySysfs fs = new MemorySysfs().mkdirs("something/else");
    assertThatThrownBy(() -> new InventoryReader(fs).read())
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("not a sysfs tree")
        .extracting(e -> ((PcikitException) e).failure())
        .isEqualTo(Failure.NOT_FOUND);
  }

  @Test
  void groupMembersFallBackToDeviceLinksWhenTheGroupDirIsMissing() {
    MemorySysfs fs = hostWithNvmePf();
    fs.remove("kernel/iommu_groups/7/devices/0000:01:00.0");
    fs.remove("kernel/iommu_groups/7/devices");
    fs.mkdirs("kernel/iommu_groups/7");
    Inventory inv = new InventoryReader(fs).read();
    assertThat(inv.groups().get(7).members()).containsExactly(PciAddress.parse("0000:01:00.0"));
  }

  @Test
  void groupStatusTellsViableHostAndMixed() {
    MemorySysfs fs = hostWithNvmePf();
    String vf = "devices/pci0000:00/0000:00:02.0/0000:01:00.1";
    fs.putLink(vf + "/iommu_group", "../../../../kernel/iommu_groups/7");
    fs.putLink("kernel/iommu_groups/7/devices/0000:01:00.1", "../../../../" + vf);
    fs.mkdirs("bus/pci/drivers/vfio-pci");
    fs.putLink(vf + "/driver", "../../../../bus/pci/drivers/vfio-pci");
    Inventory inv = new InventoryReader(fs).read();
    GroupStatus st = GroupStatus.of(inv.groups().get(7), inv);
    assertThat(st.kind()).isEqualTo(GroupStatus.Kind.MIXED);
    assertThat(st.blockers())
        .extracting(d -> d.address().toString())
        .containsExactly("0000:01:00.0");
    fs.remove("devices/pci0000:00/0000:00:02.0/0000:01:00.0/driver");
    inv = new InventoryReader(fs).read();
    assertThat(GroupStatus.of(inv.groups().get(7), inv).kind())
        .isEqualTo(GroupStatus.Kind.VFIO_VIABLE);
  }
}
