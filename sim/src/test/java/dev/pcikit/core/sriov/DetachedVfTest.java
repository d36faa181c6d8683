package dev.pcikit.core.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.demo.DemoHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detached VFs on demo:s390x: zPCI functions with a non-zero vfn and no physfn link. */
class DetachedVfTest {
  @TempDir Path root;

  SimKernel kernel = DemoHosts.build("s390x");

  static final PciAddress VF1 = PciAddress.parse("0000:00:00.0");
  static final PciAddress VF3 = PciAddress.parse("0002:00:00.0");
  static final PciAddress NVME = PciAddress.parse("0003:00:00.0");

  SriovPools pools() {
    return new SriovPools(SimUsage.env(kernel, root));
  }

  @Test
  void detachedVfsAreListedAsVfsWithTheirPfNotVisible() throws IOException {
    List<DetachedVf> vfs = pools().detachedVfs(List.of());
    assertThat(vfs)
        .extracting(v -> v.address().toString() + " vfn " + v.vfn() + " " + v.driver())
        .containsExactly(
            "0000:00:00.0 vfn 1 mlx5_core",
            "0001:00:00.0 vfn 2 mlx5_core",
            "0002:00:00.0 vfn 3 vfio-pci");
    // vfn 0x0000 (the NVMe and ISM functions) is not a VF; there is no PF to list either
    assertThat(DetachedVf.isVirtualFunction(kernel, NVME)).isFalse();
    assertThat(pools().status(List.of())).isEmpty();
    // naming a detached VF is not "not an SR-IOV PF"
    assertThat(pools().status(List.of(VF1))).isEmpty();
    assertThat(pools().detachedVfs(List.of(VF1))).hasSize(1);
  }

  @Test
  void aDetachedVfIsBindableAndReleasable() throws IOException {
    VfioEngine e = new VfioEngine(SimUsage.env(kernel, root));
    List<DeviceSelector> sel = List.of(DeviceSelector.parse(VF1.toString()));
    e.execute(e.planBind(new VfioEngine.BindRequest(sel, false, null, false, false)));
    DetachedVf vf = pools().detachedVfs(List.of(VF1)).get(0);
    assertThat(vf.driver()).isEqualTo("vfio-pci");
    assertThat(kernel.devVfioExists(vf.group())).isTrue();
    kernel.openGroup(vf.group());
    assertThat(pools().detachedVfs(List.of(VF1)).get(0).heldBy()).containsExactly("a simulated VM");
    kernel.closeGroup(vf.group());
    e.execute(e.planRelease(sel, false));
    assertThat(pools().detachedVfs(List.of(VF1)).get(0).driver()).isEqualTo("mlx5_core");
  }

  @Test
  void itsMemorySpaceBitReadingZeroIsNotAFault() throws IOException {
    byte[] config = kernel.readBytes("bus/pci/devices/" + VF1 + "/config", 4096);
    config[4] &= ~0x02; // COMMAND.MEM reads 0: no_command_memory (arch/s390/pci/pci_bus.c)
    boolean vf = DetachedVf.isVirtualFunction(kernel, VF1);
    assertThat(vf).isTrue();
    List<String> lines =
        ConfigRenderer.lines(ConfigDecoder.decode(config), new ConfigRenderer.Options(vf));
    assertThat(lines).anyMatch(l -> l.startsWith("Control:") && l.contains("Mem- by design"));
    assertThat(lines).noneMatch(l -> l.startsWith("Warning") || l.startsWith("Error"));
    assertThat(ConfigDecoder.decode(config).header().orElseThrow().command().memoryDecodingOff(vf))
        .isFalse();
    // the same bits on a function that is not a VF are memory decoding off
    assertThat(
            ConfigDecoder.decode(config).header().orElseThrow().command().memoryDecodingOff(false))
        .isTrue();
  }
}
