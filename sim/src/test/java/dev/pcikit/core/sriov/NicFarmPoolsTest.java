package dev.pcikit.core.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.demo.DemoHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo:nic-farm (4 E810 PFs x 128 VFs) turned into VFIO pools and back. */
class NicFarmPoolsTest {
  @TempDir Path root;

  static final List<PciAddress> PFS =
      List.of("0000:17:00.0", "0000:27:00.0", "0000:37:00.0", "0000:47:00.0").stream()
          .map(PciAddress::parse)
          .toList();

  @Test
  void fourPfsOf128VfsBecomeVfioPoolsAndBack() throws IOException {
    SimKernel kernel = DemoHosts.build("nic-farm");
    kernel.modprobe("iavf"); // loaded: with autoprobe on it would grab every VF
    RecordingSysfs sysfs = new RecordingSysfs(kernel);
    SriovPools pools =
        new SriovPools(
            VfioEnvironment.underRoot(
                sysfs,
                root,
                new SimHostUsage(kernel),
                kernel::modprobe,
                VfioDriverChooser.GENERIC));
    assertThat(pools.status(List.of()))
        .extracting(PfStatus::address)
        .containsExactlyElementsOf(PFS);
    // start from the kernel's defaults: no VFs, autoprobe on (iavf would grab every VF)
    for (PciAddress pf : PFS) {
      pools.disable(pf, false);
      kernel.write("bus/pci/devices/" + pf + "/sriov_drivers_autoprobe", "1");
    }
    assertThat(kernel.tree().bdfs().stream().filter(b -> kernel.tree().physfn(b).isPresent()))
        .isEmpty();

    sysfs.writes.clear();
    for (PciAddress pf : PFS) {
      assertThat(pools.enable(pf, 128, true, null)).hasSize(128);
    }
    // autoprobe off before the VFs appear, for each PF
    for (PciAddress pf : PFS) {
      String d = "bus/pci/devices/" + pf + "/";
      assertThat(sysfs.writes)
          .containsSubsequence(d + "sriov_drivers_autoprobe=0", d + "sriov_numvfs=128");
    }

    Set<Integer> groups = new TreeSet<>();
    for (PfStatus st : pools.status(List.of())) {
      assertThat(st.numVfs()).isEqualTo(128);
      assertThat(st.autoprobe()).as("autoprobe of %s", st.address()).isFalse();
      assertThat(st.driver()).isEqualTo("ice");
      assertThat(st.vfs()).hasSize(128);
      for (PfStatus.VfStatus vf : st.vfs()) {
        assertThat(vf.driver()).as("driver of %s", vf.address()).isEqualTo("vfio-pci");
        assertThat(vf.group()).isNotNull();
        groups.add(vf.group());
      }
    }
    assertThat(groups).hasSize(512); // ACS below each root port: one group per VF
    for (int g : groups) {
      assertThat(kernel.groupViable(g)).as("group %d viable", g).isTrue();
      assertThat(kernel.devVfioExists(g)).as("/dev/vfio/%d", g).isTrue();
    }
    assertThat(pools.journal().read()).isEmpty();

    for (PciAddress pf : PFS) {
      pools.disable(pf, false);
    }
    for (PfStatus st : pools.status(List.of())) {
      assertThat(st.numVfs()).isZero();
      assertThat(st.vfs()).isEmpty();
    }
    assertThat(kernel.vfioGroups()).isEmpty();
  }
}
