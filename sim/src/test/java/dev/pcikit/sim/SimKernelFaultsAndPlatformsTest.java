package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimKernelFaultsAndPlatformsTest {
  static final String PF = "0000:01:00.0";

  static String dev(String bdf, String attr) {
    return "bus/pci/devices/" + bdf + "/" + attr;
  }

  static Errno errno(ThrowingWrite w) {
    try {
      w.run();
      return null;
    } catch (SysfsException e) {
      return e.errno();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  interface ThrowingWrite {
    void run() throws Exception;
  }

  SimKernel sample() {
    return TestHosts.sample().boot();
  }

  @Test
  void failTheNthWriteToAnAttribute() throws Exception {
    SimKernel k = sample();
    k.faults(new Faults().failWrite("sriov_numvfs", 2, Errno.EIO));
    k.write(dev(PF, "sriov_numvfs"), "2");
    assertThat(errno(() -> k.write(dev(PF, "sriov_numvfs"), "0"))).isEqualTo(Errno.EIO);
    assertThat(k.tree().virtfns(PF)).hasSize(2); // the failed write had no effect
    k.write(dev(PF, "sriov_numvfs"), "0");
    assertThat(k.tree().virtfns(PF)).isEmpty();
  }

  @Test
  void failAProbe() throws Exception {
    SimKernel k = sample();
    k.faults(new Faults().failProbe("0000:06:00.0", "vfio-pci", Errno.ENOMEM));
    k.write("bus/pci/drivers/i40e/unbind", "0000:06:00.0");
    k.write(dev("0000:06:00.0", "driver_override"), "vfio-pci");
    assertThat(errno(() -> k.write("bus/pci/drivers/vfio-pci/bind", "0000:06:00.0")))
        .isEqualTo(Errno.ENOMEM);
    k.write("bus/pci/drivers_probe", "0000:06:00.0");
    assertThat(k.tree().driver("0000:06:00.0")).isEmpty();
    assertThat(k.dmesg()).contains("vfio-pci: probe of 0000:06:00.0 failed with error -12");
  }

  @Test
  void removeADeviceBetweenTwoSteps() throws Exception {
    SimKernel k = sample();
    k.faults(new Faults().removeBeforeStep(2, "0000:06:00.0"));
    k.write("bus/pci/drivers/i40e/unbind", "0000:06:00.0");
    assertThat(errno(() -> k.write(dev("0000:06:00.0", "driver_override"), "vfio-pci")))
        .isEqualTo(Errno.ENOENT);
    assertThat(k.tree().exists("0000:06:00.0")).isFalse();
    k.write("bus/pci/rescan", "1");
    assertThat(k.tree().exists("0000:06:00.0")).isFalse(); // unplugged, not just removed
  }

  @Test
  void crashAfterStepK() throws Exception {
    SimKernel k = sample();
    k.faults(new Faults().crashAfterStep(2));
    k.write("bus/pci/drivers/i40e/unbind", "0000:06:00.0");
    k.write(dev("0000:06:00.0", "driver_override"), "vfio-pci");
    assertThatThrownBy(() -> k.write("bus/pci/drivers_probe", "0000:06:00.0"))
        .isInstanceOfSatisfying(SimulatedCrash.class, c -> assertThat(c.step()).isEqualTo(3));
    assertThat(k.tree().driver("0000:06:00.0")).isEmpty();
    assertThat(k.attr(dev("0000:06:00.0", "driver_override"))).hasValue("vfio-pci");
  }

  @Test
  void seededRandomFailuresAreReproducible() throws Exception {
    assertThat(chaosRun(42)).isEqualTo(chaosRun(42));
    assertThat(chaosRun(42)).isNotEqualTo(chaosRun(7));
  }

  private List<Errno> chaosRun(long seed) throws Exception {
    SimKernel k = sample();
    k.faults(
        new Faults().randomWriteFailures(seed, 0.5, List.of(Errno.EIO, Errno.EBUSY, Errno.ENOMEM)));
    List<Errno> seen = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      seen.add(errno(() -> k.write(dev("0000:06:00.0", "driver_override"), "vfio-pci")));
    }
    return seen;
  }

  @Test
  void frozenPeReadsAllOnesUntilReset() throws Exception {
    SimKernel k =
        new HostBuilder("ppc64le")
            .info("platform", "powernv")
            .device("0000:00:00.0", TestHosts.rootPort(1, 1, true))
            .driver("pcieport")
            .pe(0)
            .done()
            .device("0000:01:00.0", TestHosts.nic(0x1017, false))
            .pe(2)
            .done()
            .boot();
    k.freezePe(2);
    assertThat(k.peFrozen(2)).isTrue();
    assertThat(k.readBytes(dev(PF, "config"), 64)).containsOnly((byte) 0xff);
    assertThat(k.readBytes(dev("0000:00:00.0", "config"), 2)).isNotEqualTo(new byte[] {-1, -1});
    assertThat(k.attr(dev(PF, "vendor"))).hasValue("0x8086"); // cached by the kernel
    k.write(dev(PF, "reset"), "1");
    assertThat(k.peFrozen(2)).isFalse();
    assertThat(k.readBytes(dev(PF, "config"), 2)).containsExactly(0x86, 0x80);
    k.faults(new Faults().freezeBeforeStep(1, 2));
    k.write(dev(PF, "driver_override"), "vfio-pci");
    assertThat(k.peFrozen(2)).isTrue();
  }

  @Test
  void detachedVfHasNoPfAndBindsLikeAnyDevice() throws Exception {
    SimKernel k =
        new HostBuilder("s390x")
            .iommu("")
            .device(
                "0001:00:00.0",
                ConfigSpaceBuilder.endpoint(0x15b3, 0x101e)
                    .classCode(0x020000)
                    .express(PciePortType.ENDPOINT)
                    .flr(true))
            .detachedVf(1)
            .attr("fid", "0x00000300")
            .attr("uid", "0x300")
            .attr("pchid", "0x0100")
            .driver("mlx5_core")
            .done()
            .load("vfio-pci")
            .boot();
    String vf = "0001:00:00.0";
    assertThat(k.exists(dev(vf, "physfn"))).isFalse();
    assertThat(k.attr(dev(vf, "vfn"))).hasValue("0x0001");
    assertThat(k.exists(dev(vf, "sriov_numvfs"))).isFalse();
    k.write("bus/pci/drivers/mlx5_core/unbind", vf);
    k.write(dev(vf, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", vf);
    assertThat(k.tree().driver(vf)).hasValue("vfio-pci");
    assertThat(k.vfioGroups()).hasSize(1);
  }

  @Test
  void modulesLoadOnDemandForNewVfs() throws Exception {
    SimKernel k =
        new HostBuilder("x86_64")
            .device("0000:00:01.0", TestHosts.rootPort(1, 1, true))
            .driver("pcieport")
            .done()
            .device(
                PF,
                TestHosts.nic(0x1572, false)
                    .sriov(ConfigSpaceBuilder.sriov(8, 0x154c).offset(16).stride(1))
                    .ari(0))
            .driver("i40e")
            .done()
            .boot();
    assertThat(k.loaded("iavf")).isFalse();
    k.write(dev(PF, "sriov_numvfs"), "2");
    assertThat(k.loaded("iavf")).isTrue();
    assertThat(k.tree().driver("0000:01:02.0")).hasValue("iavf");
    assertThat(k.tree().driver("0000:01:02.1")).hasValue("iavf");
    assertThat(k.loaded("vfio-pci")).isFalse();
    assertThat(k.exists("bus/pci/drivers/vfio-pci/bind")).isFalse();
    k.modprobe("vfio-pci");
    assertThat(k.attr("module/vfio_pci/parameters/enable_sriov")).hasValue("N");
    assertThat(k.tree().driver("0000:01:02.0"))
        .hasValue("iavf"); // vfio-pci takes nothing by itself
  }

  @Test
  void vfsJoinTheUpstreamGroupWithoutAcs() throws Exception {
    SimKernel k =
        new HostBuilder("x86_64")
            .device("0000:00:01.0", TestHosts.rootPort(1, 1, false))
            .driver("pcieport")
            .done()
            .device(PF, TestHosts.nvmePf(4, 1, 1))
            .driver("nvme")
            .autoprobe(false)
            .numVfs(2)
            .done()
            .boot();
    int port = k.tree().group("0000:00:01.0").getAsInt();
    assertThat(k.tree().group(PF)).hasValue(port);
    assertThat(k.tree().group("0000:01:00.1")).hasValue(port);
    assertThat(k.tree().group("0000:01:00.2")).hasValue(port);
  }

  @Test
  void disablingVfsInUseIsRefused() throws Exception {
    SimKernel k = TestHosts.sample().device(PF).autoprobe(false).numVfs(2).done().boot();
    String vf = k.tree().virtfns(PF).get(0);
    k.write(dev(vf, "driver_override"), "vfio-pci");
    k.write("bus/pci/drivers_probe", vf);
    int g = k.tree().group(vf).getAsInt();
    k.openGroup(g);
    assertThat(errno(() -> k.write(dev(PF, "sriov_numvfs"), "0"))).isEqualTo(Errno.EBUSY);
    assertThat(errno(() -> k.openGroup(g))).isEqualTo(Errno.EBUSY);
    k.closeGroup(g);
    k.write(dev(PF, "sriov_numvfs"), "0");
    assertThat(k.exists("kernel/iommu_groups/" + g)).isFalse();
    assertThat(errno(() -> k.openGroup(g))).isEqualTo(Errno.ENOENT);
  }

  @Test
  void resetMethodAcceptsSupportedMethodsOnly() throws Exception {
    SimKernel k = sample();
    k.write(dev(PF, "reset_method"), "bus");
    assertThat(k.attr(dev(PF, "reset_method"))).hasValue("bus");
    assertThat(errno(() -> k.write(dev(PF, "reset_method"), "pm"))).isEqualTo(Errno.EINVAL);
    k.write(dev(PF, "reset_method"), "default");
    assertThat(k.attr(dev(PF, "reset_method"))).hasValue("flr bus");
  }
}
