package dev.pcikit.core.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.Faults;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.SimulatedCrash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sriov enable} crashed before each of its kernel writes in turn (autoprobe, the count
 * through 0, the count, every write of the bind transaction), then recovered the way the next
 * command does (the binding engine's journal, then the SR-IOV journal). After recovery the PF is
 * either the finished pool or back where it was; a count change the crash interrupted ends at 0 VFs
 * (the VFs the 0 write destroyed are not recreated). Then enable runs again and finishes.
 */
class SriovEnableCrashTest {
  @TempDir Path tmp;

  static final PciAddress NVME = SriovPoolsTest.NVME;
  static final PciAddress MLX = SriovPoolsTest.MLX;

  record PfState(int numVfs, boolean autoprobe, List<String> vfDrivers) {}

  static PfState state(SriovPools pools, PciAddress pf) throws IOException {
    PfStatus st = pools.status(List.of(pf)).get(0);
    return new PfState(
        st.numVfs(),
        st.autoprobe(),
        st.vfs().stream().map(v -> v.driver() == null ? "-" : v.driver()).toList());
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} VFs for {3}")
  @CsvSource({"nvme,0,4,vfio", "nvme,2,4,vfio", "mlx,0,3,vfio", "mlx,2,2,vfio", "mlx,0,3,host"})
  void crashAtEveryStepThenRecover(String which, int prior, int count, String target)
      throws IOException {
    PciAddress pf = which.equals("nvme") ? NVME : MLX;
    boolean forVfio = target.equals("vfio");
    int crashes = 0;
    for (int k = 0; ; k++) {
      SimKernel kernel = SriovPoolsTest.host();
      Path root = Files.createTempDirectory(tmp, "k" + k);
      VfioEnvironment env = SimUsage.env(kernel, root);
      if (prior > 0) {
        new SriovPools(env).enable(pf, prior, true, null);
      }
      PfState before = state(new SriovPools(env), pf);
      kernel.faults(new Faults().crashAfterStep(k));
      boolean crashed = false;
      try {
        new SriovPools(env).enable(pf, count, forVfio, null);
      } catch (SimulatedCrash c) {
        crashed = true;
      }
      kernel.faults(new Faults());
      // what the next Host.lock() does first, a fresh process each time
      dev.pcikit.core.host.Recovery.run(env);
      assertThat(Files.exists(root.resolve("var/lib/pcikit/journal"))).isFalse();
      assertThat(new SriovPools(env).journal().read()).isEmpty();

      PfState now = state(new SriovPools(env), pf);
      PfState done =
          new PfState(
              count,
              !forVfio,
              java.util.Collections.nCopies(
                  count, forVfio ? "vfio-pci" : which.equals("nvme") ? "nvme" : "mlx5_core"));
      PfState emptied = new PfState(0, before.autoprobe(), List.of());
      assertThat(now)
          .as("after a crash before write %d of the enable", k + 1)
          .isIn(done, before, emptied);
      if (!now.equals(done)) {
        assertThat(crashed).isTrue();
      }
      if (!crashed) {
        assertThat(crashes).as("the enable was crashed at some step").isPositive();
        return;
      }
      crashes++;
      // and the pool can be made after it
      new SriovPools(env).enable(pf, count, forVfio, null);
      assertThat(state(new SriovPools(env), pf)).isEqualTo(done);
    }
  }

  @org.junit.jupiter.api.Test
  void aBindThatFailsLeavesNoVfsBehind() throws IOException {
    SimKernel kernel = SriovPoolsTest.host();
    VfioEnvironment env = SimUsage.env(kernel, tmp);
    kernel.faults(
        new Faults().failProbe("0000:01:00.3", "vfio-pci", dev.pcikit.core.sysfs.Errno.EIO));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SriovPools(env).enable(NVME, 4, true, null))
        .hasMessageContaining("VFs disabled (4 -> 0), autoprobe back to 1");
    assertThat(state(new SriovPools(env), NVME)).isEqualTo(new PfState(0, true, List.of()));
  }
}
