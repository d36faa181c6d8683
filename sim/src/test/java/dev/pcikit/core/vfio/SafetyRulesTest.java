package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One refusal per host-safety rule, each with the reason in the message, and --force. */
class SafetyRulesTest {
  @TempDir Path dir;

  private static VfioEngine.BindRequest req(String dev, boolean force) {
    return new VfioEngine.BindRequest(
        List.of(DeviceSelector.parse(dev)), false, null, false, force);
  }

  private static void refused(SimHost h, String dev, String reason) {
    h.kernel.faults(new dev.pcikit.sim.Faults());
    assertThatThrownBy(() -> h.engine().planBind(req(dev, false)))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining(reason)
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.REFUSED);
    assertThat(h.kernel.steps()).isZero();
  }

  @Test
  void mountedPartitionIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    h.proc("mounts", "/dev/nvme0n1p1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n");
    refused(h, "0000:02:00.0", "has block device /dev/nvme0n1p1 mounted");
  }

  @Test
  void swapIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    h.proc("swaps", "Filename Type Size Used Priority\n/dev/nvme0n1 partition 8388604 0 -2\n");
    refused(h, "0000:02:00.0", "/dev/nvme0n1 in use as swap");
  }

  @Test
  void diskHeldByDeviceMapperIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    h.kernel.host().mkdirs(h.dir("0000:02:00.0") + "/nvme/nvme0/nvme0n1/nvme0n1p1/holders/dm-0");
    refused(h, "0000:02:00.0", "/dev/nvme0n1p1 held by dm-0 (md/dm/LVM)");
  }

  @Test
  void multipathNvmeHiddenPathMapsToItsDisk() throws IOException {
    SimHost h = new SimHost(dir);
    // Native NVMe multipath: only nvme0c0n1 under the function; the disk lives in block/.
    h.kernel.host().remove(h.dir("0000:02:00.0") + "/nvme/nvme0/nvme0n1");
    h.kernel.host().mkdirs(h.dir("0000:02:00.0") + "/nvme/nvme0/nvme0c0n1");
    h.kernel.host().mkdirs("block/nvme0n1/holders/md127");
    refused(h, "0000:02:00.0", "/dev/nvme0n1 held by md127");
  }

  @Test
  void defaultRouteInterfaceIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    h.proc(
        "net/route",
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
            + "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n");
    refused(h, "0000:03:00.0", "network interface eth0 carrying the default route");
  }

  @Test
  void interfaceWithAnAddressIsRefusedButLinkLocalIsNot() throws IOException {
    SimHost h = new SimHost(dir);
    h.proc(
        "net/if_inet6",
        "fe800000000000000000000000000001 03 40 20 80 eth2\n"
            + "20010db8000000000000000000000005 04 40 00 80 eth1\n");
    refused(h, "0000:03:00.1", "network interface eth1 with an IP address configured");
    h.engine().planBind(req("0000:06:00.0", false)); // eth2: link-local only
  }

  @Test
  void aDeviceWithoutIommuGroupIsRefused() throws IOException {
    SimHost h =
        new SimHost(dir) {
          @Override
          HostBuilderHook hook() {
            return b ->
                b.device(
                        "0000:07:00.0",
                        dev.pcikit.sim.config.ConfigSpaceBuilder.endpoint(0x8086, 0x10d3)
                            .classCode(0x020000))
                    .driver("e1000e")
                    .noGroup();
          }
        };
    refused(h, "0000:07:00.0", "has no IOMMU group: the IOMMU is off");
  }

  @Test
  void bootVgaIsRefused() {
    SimHost h = new SimHost(dir);
    refused(h, "0000:04:00.0", "is the boot VGA device (boot_vga = 1)");
  }

  @Test
  void bridgeIsRefused() {
    SimHost h = new SimHost(dir);
    refused(h, "0000:00:00.0", "is a bridge (class 0x060000)");
  }

  @Test
  void pfWhoseVfsAreInUseIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    h.kernel.modprobe("vfio-pci");
    h.kernel.write("bus/pci/devices/0000:05:00.2/driver_override", "vfio-pci");
    h.kernel.write("bus/pci/drivers_probe", "0000:05:00.2");
    int g = h.group("0000:05:00.2");
    h.kernel.openGroup(g);
    refused(
        h,
        "0000:05:00.0",
        "is an SR-IOV PF whose VFs are in use: 0000:05:00.2 (group "
            + g
            + " open by a simulated VM)");
  }

  @Test
  void pfWithVfsEnabledIsRefusedForVfioPciEvenWithForce() {
    SimHost h = new SimHost(dir);
    assertThatThrownBy(() -> h.engine().planBind(req("0000:05:00.0", true)))
        .hasMessageContaining("vfio-pci refuses a PF with SR-IOV enabled")
        .hasMessageContaining("(cannot be overridden)")
        .isInstanceOfSatisfying(
            RefusedException.class,
            r ->
                assertThat(r.refusals())
                    .extracting(Refusal::rule)
                    .contains(Refusal.Rule.SRIOV_ENABLED));
  }

  @Test
  void releaseOfAGroupHeldOpenByAVmIsRefused() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    e.execute(e.planBind(req("0000:03:00.1", false)));
    h.kernel.openGroup(4);
    assertThatThrownBy(
            () -> h.engine().planRelease(List.of(DeviceSelector.parse("03:00.1")), false))
        .hasMessageContaining("its VFIO group 4 is open by a simulated VM")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.REFUSED);
    // --force passes the rule; the kernel then answers EBUSY and nothing changes.
    VfioEngine.Plan p = h.engine().planRelease(List.of(DeviceSelector.parse("03:00.1")), true);
    assertThatThrownBy(() -> h.engine().execute(p)).hasMessageContaining("EBUSY");
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("vfio-pci");
  }

  @Test
  void driverctlOverrideIsRespected() throws IOException {
    SimHost h = new SimHost(dir);
    Files.createDirectories(dir.resolve("etc/driverctl.d"));
    Files.writeString(dir.resolve("etc/driverctl.d/pci-0000:06:00.0"), "e1000e\n");
    refused(h, "0000:06:00.0", "has a driverctl override to e1000e");
    VfioEngine.Plan p = h.engine().planBind(req("0000:06:00.0", true));
    assertThat(p.overridden()).extracting(Refusal::rule).containsExactly(Refusal.Rule.DRIVERCTL);
    assertThat(h.engine().status().driverctl()).containsValue("e1000e");
  }

  @Test
  void forceOverridesAForceableRuleAndWarns() throws IOException {
    SimHost h = new SimHost(dir);
    h.proc("mounts", "/dev/nvme0n1p1 /data ext4 rw 0 0\n");
    VfioEngine.Plan p = h.engine().planBind(req("0000:02:00.0", true));
    assertThat(p.overridden())
        .anyMatch(r -> r.rule() == Refusal.Rule.MOUNTED && r.reason().contains("mounted"));
  }
}
