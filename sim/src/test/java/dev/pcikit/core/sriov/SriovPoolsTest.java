package dev.pcikit.core.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.Faults;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VF pools on the simulated kernel: an NVMe PF (QEMU 1b36:0010) and a ConnectX PF. */
class SriovPoolsTest {
  @TempDir Path root;

  static final PciAddress NVME = PciAddress.parse("0000:01:00.0");
  static final PciAddress MLX = PciAddress.parse("0000:02:00.0");
  static final PciAddress BARE = PciAddress.parse("0000:03:00.0");

  SimKernel kernel = host();

  /** NVMe PF (8 VFs, nvme), ConnectX PF (16 VFs, mlx5_core), ConnectX PF without a driver. */
  static SimKernel host() {
    return new HostBuilder("x86_64")
        .device("0000:01:00.0", pf(0x1b36, 0x0010, 0x010802, 8, 0x0010))
        .driver("nvme")
        .done()
        .device("0000:02:00.0", pf(0x15b3, 0x1017, 0x020000, 16, 0x1018))
        .driver("mlx5_core")
        .done()
        .device("0000:03:00.0", pf(0x15b3, 0x1017, 0x020000, 4, 0x1018))
        .done()
        .boot();
  }

  static ConfigSpaceBuilder pf(int v, int d, int cls, int total, int vf) {
    return ConfigSpaceBuilder.endpoint(v, d)
        .classCode(cls)
        .express(PciePortType.ENDPOINT)
        .flr(true)
        .acs(0x5f, 0x1d)
        .ari(0)
        .sriov(ConfigSpaceBuilder.sriov(total, vf).offset(1).stride(1));
  }

  HostUsage usage() {
    return new SimHostUsage(kernel);
  }

  SriovPools pools() {
    return new SriovPools(
        VfioEnvironment.underRoot(
            kernel, root, usage(), kernel::modprobe, VfioDriverChooser.GENERIC));
  }

  @Test
  void vfioPoolHasAutoprobeOffAndEveryVfOnVfio() throws IOException {
    List<PciAddress> vfs = pools().enable(NVME, 4, true, null);
    assertThat(vfs).hasSize(4);
    PfStatus st = pools().status(List.of(NVME)).get(0);
    assertThat(st.autoprobe()).isFalse();
    assertThat(st.numVfs()).isEqualTo(4);
    assertThat(st.vfs()).extracting(PfStatus.VfStatus::driver).containsOnly("vfio-pci");
    assertThat(st.vfs()).extracting(PfStatus.VfStatus::index).containsExactly(0, 1, 2, 3);
    for (PfStatus.VfStatus vf : st.vfs()) {
      assertThat(kernel.devVfioExists(vf.group())).isTrue();
    }
  }

  @Test
  void hostPoolLeavesAutoprobeOnForTheHostDriver() throws IOException {
    pools().enable(MLX, 3, false, null);
    PfStatus st = pools().status(List.of(MLX)).get(0);
    assertThat(st.autoprobe()).isTrue();
    assertThat(st.vfs()).extracting(PfStatus.VfStatus::driver).containsOnly("mlx5_core");
  }

  @Test
  void disableIsRefusedWhileAVmHoldsAVfAndWorksAfter() throws IOException {
    pools().enable(NVME, 2, true, null);
    PfStatus.VfStatus vf = pools().status(List.of(NVME)).get(0).vfs().get(1);
    kernel.openGroup(vf.group());
    assertThatThrownBy(() -> pools().disable(NVME, true))
        .hasMessageContaining(vf.address() + " (group " + vf.group() + " open by a simulated VM)")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.REFUSED);
    assertThatThrownBy(() -> pools().enable(NVME, 4, true, null))
        .hasMessageContaining("refused to change the VF count");
    kernel.closeGroup(vf.group());
    pools().disable(NVME, false);
    assertThat(pools().status(List.of(NVME)).get(0).numVfs()).isZero();
  }

  @Test
  void changingTheCountGoesThroughZero() throws IOException {
    pools().enable(NVME, 2, true, null);
    pools().enable(NVME, 5, true, null);
    PfStatus st = pools().status(List.of(NVME)).get(0);
    assertThat(st.vfs()).hasSize(5).extracting(PfStatus.VfStatus::driver).containsOnly("vfio-pci");
  }

  @Test
  void refusalsSayWhy() {
    assertThatThrownBy(() -> pools().enable(NVME, 9, true, null))
        .hasMessageContaining("supports 1..8 VFs");
    assertThatThrownBy(() -> pools().enable(BARE, 2, true, null))
        .hasMessageContaining("has no driver");
    assertThat(SriovPools.explain(NVME, "sriov_numvfs", "99", Errno.ERANGE))
        .contains("more VFs than the PF supports");
  }

  @Test
  void aPfOnVfioPciIsRefusedForBindingWhileItsVfsAreEnabled() throws IOException {
    pools().enable(MLX, 2, false, null);
    dev.pcikit.core.vfio.VfioEngine e =
        new dev.pcikit.core.vfio.VfioEngine(
            VfioEnvironment.underRoot(
                kernel, root, usage(), kernel::modprobe, VfioDriverChooser.GENERIC));
    assertThatThrownBy(
            () ->
                e.planBind(
                    new dev.pcikit.core.vfio.VfioEngine.BindRequest(
                        List.of(dev.pcikit.core.model.DeviceSelector.parse(MLX.toString())),
                        false,
                        null,
                        false,
                        true)))
        .hasMessageContaining("vfio-pci refuses a PF with SR-IOV enabled");
  }

  @Test
  void disableWithoutForceIsRefusedWhileAGroupIsOpenToo() throws IOException {
    pools().enable(NVME, 2, true, null);
    PfStatus.VfStatus vf = pools().status(List.of(NVME)).get(0).vfs().get(0);
    kernel.openGroup(vf.group());
    assertThatThrownBy(() -> pools().disable(NVME, false))
        .hasMessageContaining("VFs in use by a VM")
        .hasMessageContaining("(cannot be overridden)");
    assertThat(pools().status(List.of(NVME)).get(0).numVfs()).isEqualTo(2);
  }

  @Test
  void vfsOnAHostDriverNeedForceToDisable() throws IOException {
    pools().enable(MLX, 2, false, null);
    assertThatThrownBy(() -> pools().disable(MLX, false))
        .hasMessageContaining("VFs bound to host drivers: 0000:02:00.1 (mlx5_core)")
        .satisfies(
            x -> {
              assertThat(((PcikitException) x).failure()).isEqualTo(Failure.REFUSED);
              assertThat(((PcikitException) x).remedy())
                  .isEqualTo(dev.pcikit.core.error.Remedy.OVERRIDE_SAFETY_RULES);
            });
    assertThatThrownBy(() -> pools().enable(MLX, 3, true, null))
        .hasMessageContaining("refused to change the VF count of " + MLX);
    pools().disable(MLX, true);
    assertThat(pools().status(List.of(MLX)).get(0).numVfs()).isZero();
  }

  @Test
  void theKernelsEbusyAndEnoentComeWithTheFixAndThePfIsLeftAsItWas() throws IOException {
    kernel.faults(new Faults().failWrite("sriov_numvfs", 1, Errno.EBUSY));
    assertThatThrownBy(() -> pools().enable(NVME, 2, true, null))
        .hasMessageContaining("EBUSY")
        .hasMessageContaining("the count goes through 0 first")
        .hasMessageContaining("autoprobe back to 1")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.KERNEL_REFUSED);
    PfStatus st = pools().status(List.of(NVME)).get(0);
    assertThat(st.autoprobe()).isTrue();
    assertThat(st.numVfs()).isZero();
    assertThat(pools().journal().read()).isEmpty();
    kernel.faults(new Faults().failWrite("sriov_numvfs", 1, Errno.ENOENT));
    assertThatThrownBy(() -> pools().enable(NVME, 2, true, null))
        .hasMessageContaining("a PF on vfio-pci needs vfio_pci enable_sriov=Y");
  }

  @Test
  void aPfOnVfioPciWithoutEnableSriovIsRefusedUpFront() throws IOException {
    dev.pcikit.core.vfio.VfioEngine e =
        new dev.pcikit.core.vfio.VfioEngine(
            VfioEnvironment.underRoot(
                kernel, root, usage(), kernel::modprobe, VfioDriverChooser.GENERIC));
    e.execute(
        e.planBind(
            new dev.pcikit.core.vfio.VfioEngine.BindRequest(
                List.of(dev.pcikit.core.model.DeviceSelector.parse(NVME.toString())),
                false,
                "vfio-pci",
                false,
                false)));
    int writes = kernel.writes();
    assertThatThrownBy(() -> pools().enable(NVME, 2, true, null))
        .hasMessageContaining("vfio_pci enable_sriov=Y")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.REFUSED);
    assertThat(kernel.writes()).isEqualTo(writes);
  }
}
