package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.sim.snapshot.Fixtures;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every outcome observed on the real Linux 6.1 x86 lab (the lab notes in lab/README.md), replayed
 * on the simulated kernel loaded from that lab's own recording. The recording's state: NVMe PF
 * 01:00.0 on nvme with 2 VFs (autoprobe 0), VF 01:00.1 and e1000e 02:00.0 on vfio-pci,
 * enable_sriov=N.
 */
class SimKernelLabOutcomesTest {
  static final String PF = "0000:01:00.0";
  static final String VF1 = "0000:01:00.1";
  static final String VF2 = "0000:01:00.2";
  SimKernel k;
  DeviceTree t;

  @BeforeEach
  void boot() {
    k = new SimKernel(Fixtures.x86Lab());
    t = k.tree();
  }

  static String dev(String bdf, String attr) {
    return "bus/pci/devices/" + bdf + "/" + attr;
  }

  static String drv(String driver, String file) {
    return "bus/pci/drivers/" + driver + "/" + file;
  }

  AbstractThrowableAssert<?, ? extends Throwable> refused(String path, String value, Errno errno) {
    return assertThatThrownBy(() -> k.write(path, value))
        .isInstanceOfSatisfying(SysfsException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  // ---- SR-IOV ---------------------------------------------------------------------------------

  @Test
  void moreVfsThanTotalIsErange() {
    refused(dev(PF, "sriov_numvfs"), "99", Errno.ERANGE);
    assertThat(t.virtfns(PF)).hasSize(2);
  }

  @Test
  void changingANonZeroCountIsEbusyWithTheKernelMessage() throws Exception {
    k.write(dev(PF, "sriov_numvfs"), "0");
    k.write(dev(PF, "sriov_numvfs"), "3");
    refused(dev(PF, "sriov_numvfs"), "2", Errno.EBUSY)
        .hasMessageContaining("3 VFs already enabled. Disable before enabling 2 VFs");
    assertThat(k.dmesg())
        .contains("nvme " + PF + ": 3 VFs already enabled. Disable before enabling 2 VFs");
    assertThat(t.virtfns(PF)).hasSize(3);
  }

  @Test
  void vfsWithoutAutoprobeAppearUnboundWithLinksAndOwnGroups() throws Exception {
    k.write(dev(PF, "sriov_numvfs"), "0");
    assertThat(t.exists(VF1)).isFalse();
    assertThat(k.exists("kernel/iommu_groups/13")).isFalse();
    k.write(dev(PF, "sriov_numvfs"), "2");
    assertThat(k.readLink(dev(PF, "virtfn0"))).hasValue("../0000:01:00.1");
    assertThat(k.readLink(dev(PF, "virtfn1"))).hasValue("../0000:01:00.2");
    assertThat(k.readLink(dev(VF1, "physfn"))).hasValue("../0000:01:00.0");
    assertThat(t.driver(VF1)).isEmpty();
    assertThat(k.attr(dev(VF1, "driver_override"))).hasValue("(null)");
    assertThat(t.group(VF1)).hasValue(13);
    assertThat(t.group(VF2)).hasValue(14);
    assertThat(k.attr(dev(VF2, "reset_method"))).hasValue("flr");
    assertThat(k.attr(dev(VF2, "device"))).hasValue("0x0010");
    assertThat(k.readBytes(dev(VF2, "config"), 4)).containsOnly((byte) 0xff);
    assertThat(k.dmesg()).contains("pci 0000:01:00.1: Adding to iommu group 13");
  }

  @Test
  void withAutoprobeNvmeGrabsEachVfAndDropsIt() throws Exception {
    k.write(dev(PF, "sriov_numvfs"), "0");
    k.write(dev(PF, "sriov_drivers_autoprobe"), "1");
    k.write(dev(PF, "sriov_numvfs"), "1");
    assertThat(t.driver(VF1)).isEmpty();
    assertThat(k.dmesg()).contains("nvme nvme: Removing after probe failure status: -19");
  }

  @Test
  void pfWithoutDriverCannotConfigureSriov() throws Exception {
    k.write(drv("nvme", "unbind"), PF);
    assertThat(k.dmesg()).contains("nvme " + PF + ": driver left SR-IOV enabled after remove");
    assertThat(t.virtfns(PF)).hasSize(2);
    refused(dev(PF, "sriov_numvfs"), "0", Errno.ENOENT)
        .hasMessageContaining("no driver bound to device; cannot configure SR-IOV");
  }

  @Test
  void vfioPciRefusesAPfWithVfsEnabled() throws Exception {
    k.write(drv("nvme", "unbind"), PF);
    k.write(dev(PF, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", PF); // the write itself succeeds
    assertThat(t.driver(PF)).isEmpty();
    assertThat(k.dmesg())
        .contains(
            "vfio-pci " + PF + ": Cannot bind to PF with SR-IOV enabled",
            "vfio-pci: probe of " + PF + " failed with error -16");
    refused(drv("vfio-pci", "bind"), PF, Errno.EBUSY);
    k.write(dev(PF, "driver_override"), "\n");
    k.write(drv("nvme", "bind"), PF);
    assertThat(t.driver(PF)).hasValue("nvme");
  }

  @Test
  void pfOnVfioPciNeedsEnableSriovThenCapturesVfsThatNeedAToken() throws Exception {
    k.write(dev(PF, "sriov_numvfs"), "0");
    k.write(drv("nvme", "unbind"), PF);
    k.write(dev(PF, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", PF);
    assertThat(t.driver(PF)).hasValue("vfio-pci");
    refused(dev(PF, "sriov_numvfs"), "1", Errno.ENOENT);
    assertThat(k.dmesg()).noneMatch(l -> l.contains("cannot configure SR-IOV"));
    k.write("module/vfio_pci/parameters/enable_sriov", "Y");
    assertThat(k.attr("module/vfio_pci/parameters/enable_sriov")).hasValue("Y");
    k.write(dev(PF, "sriov_numvfs"), "1");
    assertThat(k.dmesg())
        .contains("vfio-pci " + PF + ": Captured SR-IOV VF " + VF1 + " driver_override");
    assertThat(t.driver(VF1)).hasValue("vfio-pci"); // although autoprobe is 0
    int g = t.group(VF1).getAsInt();
    assertThatThrownBy(() -> k.openGroup(g))
        .isInstanceOfSatisfying(
            SysfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
    assertThat(k.dmesg()).contains("vfio-pci " + VF1 + ": VF token required to access device");
    k.openGroup(g, "3f0a6ad8-0d4e-4f44-9e3a-9d1c3b7a4a11");
    assertThat(k.groupOpen(g)).isTrue();
  }

  // ---- dynamic IDs, driver_override, autoprobe ------------------------------------------------

  @Test
  void newIdDoesNotPickUpAVfWithoutAutoprobeAndBindAnswersEnodev() throws Exception {
    k.write(drv("vfio-pci", "new_id"), "1b36 0010");
    assertThat(t.driver(VF2)).isEmpty();
    refused(drv("vfio-pci", "bind"), VF2, Errno.ENODEV);
    refused(drv("vfio-pci", "new_id"), "1b36 0010", Errno.EEXIST);
    k.write(drv("vfio-pci", "remove_id"), "1b36 0010");
    refused(drv("vfio-pci", "remove_id"), "1b36 0010", Errno.ENODEV);
    // driver_override still probes a VF
    k.write(dev(VF2, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", VF2);
    assertThat(t.driver(VF2)).hasValue("vfio-pci");
  }

  @Test
  void newIdBindsMatchingUnboundDevices() throws Exception {
    k.write(drv("e1000e", "unbind"), "0000:06:00.1");
    k.write(drv("vfio-pci", "new_id"), "8086 10d3");
    assertThat(t.driver("0000:06:00.1")).hasValue("vfio-pci");
    assertThat(t.driver("0000:06:00.0")).hasValue("e1000e");
    refused(drv("e1000e", "new_id"), "8086 10d3", Errno.EEXIST); // its static table matches
    refused(drv("vfio-pci", "new_id"), "zz", Errno.EINVAL);
  }

  @Test
  void vfioAliasesBindOnlyThroughDriverOverride() throws Exception {
    k.write(drv("e1000e", "unbind"), "0000:06:00.1");
    k.write("bus/pci/drivers_probe", "0000:06:00.1");
    assertThat(t.driver("0000:06:00.1")).hasValue("e1000e");
    k.write(drv("e1000e", "unbind"), "0000:06:00.1");
    refused(drv("vfio-pci", "bind"), "0000:06:00.1", Errno.ENODEV);
    k.write(dev("0000:06:00.1", "driver_override"), "vfio-pci\n");
    k.write(drv("vfio-pci", "bind"), "0000:06:00.1");
    assertThat(t.driver("0000:06:00.1")).hasValue("vfio-pci");
  }

  @Test
  void driverOverrideIsClearedByANewline() throws Exception {
    k.write(dev("0000:02:00.0", "driver_override"), "\n");
    assertThat(k.attr(dev("0000:02:00.0", "driver_override"))).hasValue("(null)");
    k.write(dev("0000:03:00.0", "driver_override"), "vfio-pci\nignored");
    assertThat(k.attr(dev("0000:03:00.0", "driver_override"))).hasValue("vfio-pci");
    assertThat(t.driver("0000:03:00.0")).hasValue("e1000e"); // setting it does not rebind
    // a zero-length write never reaches store() (fs/sysfs/file.c sysfs_kf_write(): "if (!count)
    // return 0;"): the override stays; seen on the x86 lab's 6.1 kernel (vfio release)
    k.write(dev("0000:03:00.0", "driver_override"), "");
    assertThat(k.attr(dev("0000:03:00.0", "driver_override"))).hasValue("vfio-pci");
    k.write(dev("0000:03:00.0", "driver_override"), "\n");
    assertThat(k.attr(dev("0000:03:00.0", "driver_override"))).hasValue("(null)");
  }

  // ---- binding a NIC, /dev/vfio, restore --------------------------------------------------------

  @Test
  void nicMovesToVfioAndBack() throws Exception {
    String nic = "0000:02:00.0";
    k.write(drv("vfio-pci", "unbind"), nic);
    k.write(dev(nic, "driver_override"), "\n");
    assertThat(k.devVfioExists(10)).isFalse();
    k.write("bus/pci/drivers_probe", nic);
    assertThat(t.driver(nic)).hasValue("e1000e");
    k.write(drv("e1000e", "unbind"), nic);
    k.write(dev(nic, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", nic);
    assertThat(t.driver(nic)).hasValue("vfio-pci");
    assertThat(k.vfioGroups()).contains(10, 13);
    k.openGroup(10);
    k.closeGroup(10);
    k.write(dev(nic, "reset"), "1");
    refused(drv("vfio-pci", "unbind"), "0000:06:00.0", Errno.ENODEV);
    refused("bus/pci/drivers_probe", "0000:0a:00.0", Errno.EINVAL);
    refused(drv("e1000e", "bind"), "0000:0a:00.0", Errno.ENODEV);
    refused(drv("e1000e", "bind"), "0000:03:00.0", Errno.EBUSY); // already bound
  }

  @Test
  void vfBindsThroughOverrideAndGetsDevVfio() throws Exception {
    k.write(dev(VF2, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", VF2);
    assertThat(t.driver(VF2)).hasValue("vfio-pci");
    assertThat(k.devVfioExists(14)).isTrue();
    assertThat(k.dmesg()).contains("vfio-pci " + VF2 + ": enabling device (0000 -> 0002)");
  }

  // ---- groups and viability -------------------------------------------------------------------

  @Test
  void sharedGroupIsViableOnlyWhenEveryPeerLetsGo() throws Exception {
    String a = "0000:06:00.0";
    String b = "0000:06:00.1";
    k.write(drv("e1000e", "unbind"), a);
    k.write(dev(a, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", a);
    assertThat(t.driver(a)).hasValue("vfio-pci");
    assertThat(k.groupViable(12)).isFalse();
    assertThatThrownBy(() -> k.openGroup(12))
        .isInstanceOfSatisfying(
            SysfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    k.write(drv("e1000e", "unbind"), b);
    assertThat(k.groupViable(12)).isTrue();
    k.openGroup(12);
    refused(drv("e1000e", "bind"), b, Errno.EBUSY);
    k.write("bus/pci/drivers_probe", b); // succeeds, binds nothing
    assertThat(t.driver(b)).isEmpty();
    refused(drv("vfio-pci", "unbind"), a, Errno.EBUSY);
    k.closeGroup(12);
    k.write(drv("e1000e", "bind"), b);
    assertThat(t.driver(b)).hasValue("e1000e");
  }

  @Test
  void bridgeGroupAndManagedDmaRootPortGroup() throws Exception {
    k.write(drv("e1000", "unbind"), "0000:05:01.0");
    k.write(dev("0000:05:01.0", "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", "0000:05:01.0");
    assertThat(k.groupViable(11)).isFalse(); // 05:02.0 still on e1000
    k.write(drv("e1000e", "unbind"), "0000:03:00.0");
    k.write(dev("0000:03:00.0", "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", "0000:03:00.0");
    assertThat(k.groupViable(3)).isTrue(); // root port 00:04.0 is on pcieport (driver_managed_dma)
  }

  // ---- remove, rescan, reset -------------------------------------------------------------------

  @Test
  void removeAndRescan() throws Exception {
    String nic = "0000:03:00.0";
    k.write(dev(nic, "remove"), "1");
    assertThat(t.exists(nic)).isFalse();
    assertThat(k.exists("bus/pci/drivers/e1000e/" + nic)).isFalse();
    assertThat(t.groupDevices(3)).containsExactly("0000:00:04.0");
    k.write("bus/pci/rescan", "1");
    assertThat(t.exists(nic)).isTrue();
    assertThat(t.driver(nic)).hasValue("e1000e");
    assertThat(t.group(nic)).hasValue(3); // joins the ACS-less root port's group again
    assertThat(k.readLink(dev(nic, "driver"))).hasValue("../../../../bus/pci/drivers/e1000e");
    refused(dev(nic, "reset"), "2", Errno.EINVAL);
    refused(dev(nic, "vendor"), "0x1234", Errno.EACCES);
    refused(dev(nic, "nonexistent"), "1", Errno.ENOENT);
  }

  @Test
  void removingAPfRemovesItsVfs() throws Exception {
    k.write(dev(PF, "remove"), "1");
    assertThat(t.exists(VF1)).isFalse();
    assertThat(t.exists(VF2)).isFalse();
    k.write("bus/pci/rescan", "1");
    assertThat(t.exists(PF)).isTrue();
    assertThat(t.exists(VF1)).isFalse(); // VFs come back only through sriov_numvfs
    assertThat(k.attr(dev(PF, "sriov_numvfs"))).hasValue("0");
    assertThat(t.driver(PF)).hasValue("nvme");
  }
}
